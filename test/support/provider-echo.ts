import type { RecordedRequest, ScriptedAnswer } from './https-test-server.js';

/** Every form in which a secret could leak: as is, percent-encoded (both ways) and JSON-escaped. */
export function leakedForms(secret: string): string[] {
  const strict = encodeURIComponent(secret).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      strict,
      JSON.stringify(secret).slice(1, -1),
    ]),
  ];
}

/**
 * The whole request as a provider received it, written back as text: the request line, every
 * header as sent, the body, and the query decoded, so that a careless log or error would repeat
 * every secret and message text of it.
 */
export function wholeRequestEcho(request: RecordedRequest): string {
  const headers: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    headers.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  let decodedQuery: string;
  try {
    decodedQuery = decodeURIComponent(request.query);
  } catch {
    decodedQuery = request.query;
  }
  return [
    `${request.method} ${request.url}`,
    ...headers,
    '',
    request.body.toString('utf8'),
    `decoded query: ${decodedQuery}`,
  ].join('\n');
}

/** How an echoing provider writes its answer: as plain text, or in every error field providers use. */
export type EchoShape = 'text' | 'json';

/**
 * An answer that refuses with `status` and repeats the whole request, as plain text or in the
 * error fields of all four providers (Gateway API `code`/`message`, Smstools `error`/`errorMsg`,
 * Telia `requestError`).
 */
export function echoAnswer(
  status: number,
  shape: EchoShape,
): (request: RecordedRequest) => ScriptedAnswer {
  return (request) => {
    const echo = wholeRequestEcho(request);
    if (shape === 'text')
      return {
        status,
        headers: { 'content-type': 'text/plain' },
        body: echo,
      };
    return {
      status,
      body: {
        code: echo,
        message: echo,
        error: echo,
        errorMsg: echo,
        requestError: {
          serviceException: { messageId: echo, text: echo, variables: [echo] },
        },
      },
    };
  };
}

import { measureSmsText } from '@app/sms/message/message-encoding.js';
import type {
  SandboxMessage,
  SandboxMessageDraft,
} from './sandbox-message.interface.js';
import {
  headerOf,
  type SandboxRequest,
} from '../server/sandbox-request.interface.js';

/** What replaces a credential in a recorded request. */
export const SANDBOX_MASK = '[masked]';

const MASKED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-client-secret',
]);
const MASKED_QUERY_PARAMETERS = new Set(['username', 'password']);

/** Completes a provider endpoint's draft into the message the inbox shows. */
export function recordSandboxMessage(
  draft: SandboxMessageDraft,
  request: SandboxRequest,
  receivedAt = new Date(),
): SandboxMessage {
  const { encoding, segments } = measureSmsText(draft.text);
  return {
    id: draft.id,
    provider: draft.provider,
    receivedAt: receivedAt.toISOString(),
    to: draft.to,
    from: draft.from,
    text: draft.text,
    encoding,
    segments,
    environment: request.environment?.name ?? null,
    deliveryReport: draft.deliveryReport
      ? { status: draft.deliveryReport.status, state: 'waiting', answer: null }
      : null,
    request: {
      method: request.method,
      path:
        (request.environment?.prefix ?? '') +
        request.url.pathname +
        maskQuery(request.url.search),
      headers: maskHeaders(request),
      body: request.body.toString('utf8'),
    },
  };
}

function maskHeaders(request: SandboxRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) {
    const value = headerOf(request, name) ?? '';
    if (!MASKED_HEADERS.has(name)) headers[name] = value;
    else {
      // The scheme (Token, Bearer, Basic) tells a developer what was sent; the credential need not.
      const scheme = /^(\S+)\s+\S/.exec(value)?.[1];
      headers[name] = scheme ? `${scheme} ${SANDBOX_MASK}` : SANDBOX_MASK;
    }
  }
  return headers;
}

// Works on the raw query so that the rest of it is shown exactly as it was encoded.
function maskQuery(search: string): string {
  if (search.length <= 1) return '';
  const pairs = search
    .slice(1)
    .split('&')
    .map((pair) => {
      const rawName = pair.split('=', 1)[0];
      return MASKED_QUERY_PARAMETERS.has(decodeName(rawName))
        ? `${rawName}=${SANDBOX_MASK}`
        : pair;
    });
  return `?${pairs.join('&')}`;
}

function decodeName(rawName: string): string {
  try {
    return decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    return rawName;
  }
}

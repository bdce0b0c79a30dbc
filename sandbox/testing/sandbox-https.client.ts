import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** One request to a running sandbox. */
export interface SandboxTestRequest {
  method?: string;
  /** Path and query, e.g. `/gatewayapi/rest/mtsms`. */
  path: string;
  headers?: Record<string, string | number>;
  /** A string or Buffer is sent as it is; anything else as JSON. */
  body?: unknown;
  /** A client certificate for mutual TLS. */
  clientCertificate?: { certificatePem: string; privateKeyPem: string };
}

/** What came back, byte for byte. */
export interface SandboxTestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a request to the sandbox over real HTTPS, trusting only the sandbox CA, on a fresh
 * connection (so that each request's client certificate is its own).
 */
export function sandboxRequest(
  sandbox: { url: string; caCertificateFile: string },
  options: SandboxTestRequest,
): Promise<SandboxTestResponse> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || Buffer.isBuffer(options.body)
        ? Buffer.from(options.body)
        : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string | number> = { ...options.headers };
  if (payload && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(options.path, sandbox.url),
      {
        method: options.method ?? (payload ? 'POST' : 'GET'),
        headers,
        ca: readFileSync(sandbox.caCertificateFile),
        cert: options.clientCertificate?.certificatePem,
        key: options.clientCertificate?.privateKeyPem,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** Posts a body to the sandbox's Gateway API endpoint with its token. */
export function sendToGatewayApi(
  sandbox: {
    url: string;
    caCertificateFile: string;
    credentials: { gatewayApiToken: string };
  },
  body: unknown,
  headers: Record<string, string | number> = {},
): Promise<SandboxTestResponse> {
  return sandboxRequest(sandbox, {
    path: '/gatewayapi/rest/mtsms',
    headers: {
      authorization: `Token ${sandbox.credentials.gatewayApiToken}`,
      ...headers,
    },
    body,
  });
}

import { request, type Agent } from 'node:https';
import type { CapturedRequest } from '../provider/bench-provider.protocol.js';

/** A request to send as it is: target, raw headers and body. */
export interface ReplayedRequest {
  method: string;
  /** The request target: path and raw query string. */
  url: string;
  /** Header names and values in the order and case to send them, Host included. */
  rawHeaders: string[];
  body: Buffer;
}

/** A captured request in the form {@link sendRaw} sends. */
export function toReplayedRequest(captured: CapturedRequest): ReplayedRequest {
  return { ...captured, body: Buffer.from(captured.body, 'base64') };
}

/**
 * The least a client on Node's `https` module can do: one `https.request` with the given bytes over
 * the given agent, then read the whole answer. No validation, no timeout, no parsing.
 *
 * @returns the answer's body
 * @throws Error when the status is not 2xx or the exchange fails
 */
export function sendRaw(
  origin: { hostname: string; port: string },
  agent: Agent,
  replayed: ReplayedRequest,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: origin.hostname,
        port: origin.port,
        method: replayed.method,
        path: replayed.url,
        headers: replayed.rawHeaders,
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(Buffer.concat(chunks));
          else reject(new Error(`HTTP ${status}`));
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(replayed.body.length > 0 ? replayed.body : undefined);
  });
}

import type { ServerResponse } from 'node:http';
import type { SandboxReply } from './sandbox-request.interface.js';

/** A JSON reply. */
export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SandboxReply {
  return { status, headers, body };
}

/** A plain-text reply. */
export function textReply(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): SandboxReply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    body,
  };
}

/** Writes a reply: strings as they are, other bodies as JSON, no body when there is none. */
export function writeReply(
  response: ServerResponse,
  reply: SandboxReply,
): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer | undefined;
  if (typeof reply.body === 'string') {
    payload = Buffer.from(reply.body, 'utf8');
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload?.length ?? 0);
  response.writeHead(reply.status, headers);
  response.end(payload);
}

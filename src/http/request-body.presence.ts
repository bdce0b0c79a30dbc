import type { IncomingMessage } from 'node:http';

/** True when the request announces a body: a positive `Content-Length`, or any `Transfer-Encoding`. */
export function announcesBody(request: IncomingMessage): boolean {
  return (
    Number(request.headers['content-length'] ?? 0) > 0 ||
    request.headers['transfer-encoding'] !== undefined
  );
}

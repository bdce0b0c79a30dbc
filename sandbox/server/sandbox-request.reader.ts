import type { IncomingMessage } from 'node:http';
import { SandboxBodyTooLargeError } from './sandbox-body.error.js';

/**
 * Reads a request body up to `limit` bytes.
 *
 * @throws SandboxBodyTooLargeError as soon as the declared or received size exceeds the limit.
 */
export function readRequestBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length']) > limit) {
      reject(new SandboxBodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        reject(new SandboxBodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete)
        reject(new Error('The client closed the request before its end.'));
    });
  });
}

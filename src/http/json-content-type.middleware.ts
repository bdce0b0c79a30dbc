import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestBodyError } from './request-body.error.js';
import { announcesBody } from './request-body.presence.js';

/**
 * Refuses with 415 a request that has a body not declared as `application/json`. Every body this
 * API takes is JSON; a form or plain-text body would otherwise reach validation as an empty object,
 * or, form-encoded, be read as if it were JSON.
 */
export function requireJsonBody(
  request: IncomingMessage,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const mediaType = (request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (!announcesBody(request) || mediaType === 'application/json') {
    next();
    return;
  }
  next(
    requestBodyError(
      415,
      'The request body must be JSON: send it with "Content-Type: application/json".',
    ),
  );
}

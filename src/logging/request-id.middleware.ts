import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestIdContext } from './request-id.context.js';

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

// 1 to 128 visible ASCII characters: anything else (spaces, control characters, other scripts)
// could forge or break a log line.
const ACCEPTED_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

type Middleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

const assigned = new WeakMap<IncomingMessage, string>();

/**
 * Gives the request its id — the caller's `X-Request-Id` when acceptable, else a new UUID — echoes
 * it in the answer's `X-Request-Id` header, and runs the rest of the request in its
 * {@link RequestIdContext}. Mounted first and again after the body is read: the body parser's
 * stream callbacks do not carry the context over, so the second mount takes it up again.
 */
export const bindRequestId: Middleware = (request, response, next) => {
  let id = assigned.get(request);
  if (id === undefined) {
    id = acceptedRequestId(request.headers['x-request-id']) ?? randomUUID();
    assigned.set(request, id);
    response.setHeader(REQUEST_ID_HEADER, id);
  }
  RequestIdContext.run(id, next);
};

/** The caller's id when it is 1–128 visible ASCII characters; undefined otherwise. */
export function acceptedRequestId(
  value: string | string[] | undefined,
): string | undefined {
  return typeof value === 'string' && ACCEPTED_REQUEST_ID.test(value)
    ? value
    : undefined;
}

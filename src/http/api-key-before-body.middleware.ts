import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyAuthenticator } from '../auth/api-key.authenticator.js';
import { announcesBody } from './request-body.presence.js';

type Middleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Answers 401 (with `WWW-Authenticate: Bearer`) to a request that announces a body but carries no
 * valid API key, before a byte of the body is read: nobody without a key can make the service read,
 * buffer and parse up to the body limit. What a valid key may do is still decided by the guard at
 * the route, which reuses this match. Requests without a body pass untouched: the public routes
 * (`/health`, `/docs`) take none; `isPublicBody` names the public routes that do (delivery reports,
 * whose own reader keeps their bodies small).
 */
export function refuseUnauthenticatedBody(
  authenticator: ApiKeyAuthenticator,
  isPublicBody: (request: IncomingMessage) => boolean = () => false,
): Middleware {
  return (request, response, next) => {
    if (!announcesBody(request) || isPublicBody(request)) {
      next();
      return;
    }
    try {
      authenticator.authenticate(request, response);
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnauthorizedException, type CanActivate } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { announcesBody } from './request-body.presence.js';

/** Stands for the route, not known yet before routing: it declares nothing, so the key is checked. */
class BeforeRouting {}

type Middleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Answers 401 (with `WWW-Authenticate: Bearer`) to a request that announces a body but carries no
 * valid API key, before a byte of the body is read: nobody without a key can make the service read,
 * buffer and parse up to the body limit. The check is the API-key guard's own; what a valid key may
 * do is still decided by the guard at the route. Requests without a body pass untouched: the public
 * routes (`/health`, `/docs`) take none.
 *
 * @param guard the API-key guard
 */
export function refuseUnauthenticatedBody(guard: CanActivate): Middleware {
  return (request, response, next) => {
    if (!announcesBody(request)) {
      next();
      return;
    }
    const context = new ExecutionContextHost(
      [request, response, next],
      BeforeRouting,
      BeforeRouting,
    );
    authenticate(guard, context).then(() => next(), next);
  };
}

/** @throws UnauthorizedException when the guard refuses the key; its other refusals wait for the route */
async function authenticate(
  guard: CanActivate,
  context: ExecutionContextHost,
): Promise<void> {
  try {
    await guard.canActivate(context);
  } catch (error) {
    if (error instanceof UnauthorizedException) throw error;
  }
}

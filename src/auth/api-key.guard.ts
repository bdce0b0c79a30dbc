import type { IncomingHttpHeaders } from 'node:http';
import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiKeyConfig } from '../config/service-config.interface.js';
import { isSmsEnvironmentName } from '@app/sms';
import {
  ApiKeyAuthenticator,
  type AuthenticationResponse,
} from './api-key.authenticator.js';
import type { ApiKeyRequest } from './api-key.request.js';
import type { ApiKeyScope } from './api-key.scopes.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { REQUIRED_SCOPE_KEY } from './requires-scope.decorator.js';

/** What the guard needs of a request. */
type GuardedRequest = ApiKeyRequest & {
  headers: IncomingHttpHeaders;
  params?: Record<string, string | undefined>;
};

/**
 * Lets a request through when its route is {@link Public}, or when it carries
 * `Authorization: Bearer <key>` with one of `Settings:Api:Keys` that has the route's
 * {@link RequiresScope} scope and, on a route with an `{environment}`, may be used for that
 * environment. An unknown or missing key gets 401 with `WWW-Authenticate: Bearer` (see
 * {@link ApiKeyAuthenticator}); a known key without the scope or outside its environments gets 403;
 * a protected route that declares no scope is refused to every key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  /**
   * @throws UnauthorizedException when the key is missing or not one of the configured keys
   * @throws ForbiddenException when the key lacks the route's scope or is limited to other environments
   */
  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(
      IS_PUBLIC_KEY,
      targets,
    );
    if (isPublic || context.getType() !== 'http') return true;

    const http = context.switchToHttp();
    const request = http.getRequest<GuardedRequest>();
    const key = this.authenticator.authenticate(
      request,
      http.getResponse<AuthenticationResponse>(),
    );
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(
      REQUIRED_SCOPE_KEY,
      targets,
    );
    authorize(key, scope, request.params?.environment);
    return true;
  }
}

/** @throws ForbiddenException when the key may not do what the route does, where it does it */
function authorize(
  key: ApiKeyConfig,
  scope: ApiKeyScope | undefined,
  environment: string | undefined,
): void {
  if (scope === undefined) {
    throw new ForbiddenException(
      'This route declares no API-key scope, so no key may use it.',
    );
  }
  if (!key.scopes.includes(scope)) {
    throw new ForbiddenException(
      `The API key ${key.name} does not have the scope ${scope}, which this request needs.`,
    );
  }
  if (
    environment !== undefined &&
    key.environments !== undefined &&
    !key.environments.includes(environment)
  ) {
    // Only a well-formed name is repeated in the answer.
    const which = isSmsEnvironmentName(environment)
      ? `the environment ${environment}`
      : 'this environment';
    throw new ForbiddenException(
      `The API key ${key.name} may not be used for ${which}.`,
    );
  }
}

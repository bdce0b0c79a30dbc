import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type {
  ApiConfig,
  ApiKeyConfig,
} from '../config/service-config.interface.js';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import { ENVIRONMENT_NAME_PATTERN } from '../environments/environment-name.pipe.js';
import type { ApiKeyRequest } from './api-key.request.js';
import type { ApiKeyScope } from './api-key.scopes.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { REQUIRED_SCOPE_KEY } from './requires-scope.decorator.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

interface KnownKey {
  id: string;
  digest: Buffer;
  config: ApiKeyConfig;
}

/** What the guard needs of a request. */
type GuardedRequest = ApiKeyRequest & {
  headers: IncomingHttpHeaders;
  params?: Record<string, string | undefined>;
};

/**
 * Lets a request through when its route is {@link Public}, or when it carries
 * `Authorization: Bearer <key>` with one of `Settings:Api:Keys` that has the route's
 * {@link RequiresScope} scope and, on a route with an `{environment}`, may be used for that
 * environment. An unknown or missing key gets 401 with `WWW-Authenticate: Bearer`; a known key
 * without the scope or outside its environments gets 403; a protected route that declares no scope
 * is refused to every key. Keys are compared as SHA-256 digests in constant time, and every
 * configured key is compared, so the time taken says nothing about which key came close.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KnownKey[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(serviceConfigToken('api')) api: ApiConfig,
  ) {
    this.keys = api.keys.map((config) => {
      const digest = sha256(config.key);
      return { id: digest.toString('hex').slice(0, 16), digest, config };
    });
  }

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
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const known =
      presented === undefined ? undefined : this.match(sha256(presented));
    if (!known) {
      http
        .getResponse<{ setHeader(name: string, value: string): void }>()
        .setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        presented === undefined
          ? 'An API key is required: send it as "Authorization: Bearer <key>".'
          : 'The API key is not valid.',
      );
    }
    request.apiKeyId = known.id;
    request.apiKeyName = known.config.name;
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(
      REQUIRED_SCOPE_KEY,
      targets,
    );
    authorize(known.config, scope, request.params?.environment);
    return true;
  }

  private match(digest: Buffer): KnownKey | undefined {
    let found: KnownKey | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest) && !found) found = key;
    }
    return found;
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
    const which = ENVIRONMENT_NAME_PATTERN.test(environment)
      ? `the environment ${environment}`
      : 'this environment';
    throw new ForbiddenException(
      `The API key ${key.name} may not be used for ${which}.`,
    );
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiConfig } from '../config/service-config.interface.js';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import type { ApiKeyRequest } from './api-key.request.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

interface KnownKey {
  id: string;
  digest: Buffer;
}

/**
 * Lets a request through when it carries `Authorization: Bearer <key>` with one of
 * `Settings:Api:Keys`, or when its route is {@link Public}; otherwise answers 401 with
 * `WWW-Authenticate: Bearer`. Keys are compared as SHA-256 digests in constant time, and every
 * configured key is compared, so the time taken says nothing about which key came close.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KnownKey[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(serviceConfigToken('api')) api: ApiConfig,
  ) {
    this.keys = api.keys.map((key) => {
      const digest = sha256(key);
      return { id: digest.toString('hex').slice(0, 16), digest };
    });
  }

  /** @throws UnauthorizedException when the key is missing or not one of the configured keys */
  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic || context.getType() !== 'http') return true;

    const http = context.switchToHttp();
    const request = http.getRequest<
      ApiKeyRequest & { headers: IncomingHttpHeaders }
    >();
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const known =
      presented === undefined ? undefined : this.match(sha256(presented));
    if (known) {
      request.apiKeyId = known.id;
      return true;
    }
    http
      .getResponse<{ setHeader(name: string, value: string): void }>()
      .setHeader('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException(
      presented === undefined
        ? 'An API key is required: send it as "Authorization: Bearer <key>".'
        : 'The API key is not valid.',
    );
  }

  private match(digest: Buffer): KnownKey | undefined {
    let found: KnownKey | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest) && !found) found = key;
    }
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type {
  ApiConfig,
  ApiKeyConfig,
} from '../config/service-config.interface.js';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import type { ApiKeyRequest } from './api-key.request.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

interface KnownKey {
  id: string;
  digest: Buffer;
  config: ApiKeyConfig;
}

/** What authentication needs of a request. */
export type AuthenticatedRequest = ApiKeyRequest & {
  headers: IncomingHttpHeaders;
};

/** What authentication needs of the response: where to say which scheme it expects. */
export interface AuthenticationResponse {
  setHeader(name: string, value: string): void;
}

/**
 * Finds the configured API key a request carries, once per request: the body middleware asks before
 * the body is read, the guard at the route, and the second ask reuses the first answer. Keys are
 * compared as SHA-256 digests in constant time, and every configured key is compared, so the time
 * taken says nothing about which key came close.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly keys: KnownKey[];
  private readonly matched = new WeakMap<object, KnownKey>();

  constructor(@Inject(serviceConfigToken('api')) api: ApiConfig) {
    this.keys = api.keys.map((config) => {
      const digest = sha256(config.key);
      return { id: digest.toString('hex').slice(0, 16), digest, config };
    });
  }

  /**
   * The key the request carries; sets `apiKeyId` and `apiKeyName` on the request.
   *
   * @throws UnauthorizedException (with `WWW-Authenticate: Bearer` set) when the key is missing or
   *   not one of the configured keys
   */
  authenticate(
    request: AuthenticatedRequest,
    response: AuthenticationResponse,
  ): ApiKeyConfig {
    const earlier = this.matched.get(request);
    if (earlier) return earlier.config;
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const known =
      presented === undefined ? undefined : this.match(sha256(presented));
    if (!known) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        presented === undefined
          ? 'An API key is required: send it as "Authorization: Bearer <key>".'
          : 'The API key is not valid.',
      );
    }
    this.matched.set(request, known);
    request.apiKeyId = known.id;
    request.apiKeyName = known.config.name;
    return known.config;
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

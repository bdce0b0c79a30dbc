import { Injectable } from '@nestjs/common';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiLimitThrottlerGuard } from './api-limit-throttler.guard.js';
import { VERIFY_THROTTLERS } from './api-limits.throttler-options.js';

/**
 * Applies the connection-check limit (`Settings:Api:VerifyLimitPerKey`). Put it on the verify
 * routes, after the API-key guard: a refused check answers 429 with `Retry-After` in seconds.
 */
@Injectable()
export class VerifyThrottlerGuard extends ApiLimitThrottlerGuard {
  protected readonly limits = Object.values(VERIFY_THROTTLERS);

  protected refusal(detail: ThrottlerLimitDetail, seconds: number): string {
    return `Too many connection checks: at most ${detail.limit} with one API key within ${detail.ttl / 1000} seconds. Try again in ${seconds} seconds.`;
  }
}

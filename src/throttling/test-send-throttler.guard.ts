import { Injectable } from '@nestjs/common';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiLimitThrottlerGuard } from './api-limit-throttler.guard.js';
import { TEST_SEND_THROTTLERS } from './api-limits.throttler-options.js';
import { PHONE_TRACKER_PREFIX } from './test-send.trackers.js';

/**
 * Applies the test-send limits (see `createApiLimitsThrottlerOptions`). Put it on test-send routes,
 * after the API-key guard: a refused send answers 429 with `Retry-After` in seconds.
 */
@Injectable()
export class TestSendThrottlerGuard extends ApiLimitThrottlerGuard {
  protected readonly limits = Object.values(TEST_SEND_THROTTLERS);

  protected refusal(detail: ThrottlerLimitDetail, seconds: number): string {
    const scope = detail.tracker.startsWith(PHONE_TRACKER_PREFIX)
      ? 'to one phone number'
      : 'with one API key';
    return `Too many test sends: at most ${detail.limit} ${scope} within ${detail.ttl / 1000} seconds. Try again in ${seconds} seconds.`;
  }
}

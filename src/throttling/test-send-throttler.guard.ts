import { Injectable, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
} from '@nestjs/throttler';
import { PHONE_TRACKER_PREFIX } from './test-send.trackers.js';

/**
 * Applies the test-send limits (see `createTestSendThrottlerOptions`). Put it on test-send routes,
 * after the API-key guard: a refused send answers 429 with `Retry-After` in seconds.
 */
@Injectable()
export class TestSendThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    context
      .switchToHttp()
      .getResponse<{ setHeader(name: string, value: string): void }>()
      .setHeader('Retry-After', String(seconds));
    const scope = detail.tracker.startsWith(PHONE_TRACKER_PREFIX)
      ? 'to one phone number'
      : 'with one API key';
    throw new ThrottlerException(
      `Too many test sends: at most ${detail.limit} ${scope} within ${detail.ttl / 1000} seconds. Try again in ${seconds} seconds.`,
    );
  }
}

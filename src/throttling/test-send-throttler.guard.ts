import {
  Inject,
  Injectable,
  Optional,
  type ExecutionContext,
} from '@nestjs/common';
import type { Counter } from 'prom-client';
import { TEST_SENDS_REFUSED_METRIC } from '../metrics/metrics.module.js';
import type { TestSendRefusalReason } from '../metrics/sms.metrics.js';
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

  // Absent when Settings:Metrics:Enabled is false.
  @Optional()
  @Inject(TEST_SENDS_REFUSED_METRIC)
  private readonly refusals?: Counter;

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reason: TestSendRefusalReason = isPerPhone(detail)
      ? 'limit_phone'
      : 'limit_key';
    this.refusals?.inc({ reason });
    await super.throwThrottlingException(context, detail);
  }

  protected refusal(detail: ThrottlerLimitDetail, seconds: number): string {
    const scope = isPerPhone(detail)
      ? 'to one phone number'
      : 'with one API key';
    return `Too many test sends: at most ${detail.limit} ${scope} within ${detail.ttl / 1000} seconds. Try again in ${seconds} seconds.`;
  }
}

function isPerPhone(detail: ThrottlerLimitDetail): boolean {
  return detail.tracker.startsWith(PHONE_TRACKER_PREFIX);
}

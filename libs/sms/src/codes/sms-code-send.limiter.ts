import { Inject, Injectable } from '@nestjs/common';
import {
  SmsCodeRateLimitError,
  type SmsCodeLimit,
} from '../errors/codes/sms-code-rate-limit.error.js';
import type { ResolvedSmsCodeOptions } from './options/sms-code-options.resolver.js';
import { SmsCodeStore, type SmsCodeKey } from './store/sms-code.store.js';
import { SMS_CODE_RESOLVED_OPTIONS } from './sms-code.module-definition.js';

const HOUR_MS = 3_600_000;

/**
 * The limits that stop SMS pumping and harassment: a cooldown per number and purpose, a cap per
 * number per hour and a cap per environment per hour. Each is a counter in the store, counted in
 * that order; a refusal stops there, so a send refused by the cooldown uses up no hourly quota.
 */
@Injectable()
export class SmsCodeSendLimiter {
  constructor(
    @Inject(SMS_CODE_RESOLVED_OPTIONS)
    private readonly options: ResolvedSmsCodeOptions,
    private readonly store: SmsCodeStore,
  ) {}

  /**
   * Counts one send of a code for `key`.
   *
   * @returns when the next code for the same number and purpose may be sent
   * @throws SmsCodeRateLimitError naming the limit and the seconds to wait
   */
  async reserve(key: SmsCodeKey, now: Date): Promise<Date> {
    const o = this.options;
    const resendAfter =
      o.resendCooldownSeconds > 0
        ? await this.count(now, {
            limit: 'cooldown',
            counter: ['cooldown', key.environment, key.phone, key.purpose],
            max: 1,
            windowMs: o.resendCooldownSeconds * 1000,
          })
        : now;
    await this.count(now, {
      limit: 'phone',
      counter: ['phone', key.phone],
      max: o.maxSendsPerPhonePerHour,
      windowMs: HOUR_MS,
    });
    await this.count(now, {
      limit: 'environment',
      counter: ['environment', key.environment],
      max: o.maxSendsPerEnvironmentPerHour,
      windowMs: HOUR_MS,
    });
    return resendAfter;
  }

  /** Counts one send against a limit; returns when its window ends. */
  private async count(now: Date, rule: LimitRule): Promise<Date> {
    const { count, windowEndsAt } = await this.store.hit(
      JSON.stringify(rule.counter),
      rule.windowMs,
      now,
    );
    if (count > rule.max) {
      const seconds = Math.ceil(
        (windowEndsAt.getTime() - now.getTime()) / 1000,
      );
      throw new SmsCodeRateLimitError(rule.limit, Math.max(1, seconds));
    }
    return windowEndsAt;
  }
}

/** One limit: its counter's key parts, and how many sends it allows per window. */
interface LimitRule {
  limit: SmsCodeLimit;
  counter: (string | null)[];
  max: number;
  windowMs: number;
}

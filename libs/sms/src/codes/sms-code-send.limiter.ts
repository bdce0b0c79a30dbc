import { Inject, Injectable } from '@nestjs/common';
import { SmsCodeRateLimitError, type SmsCodeLimit } from '../errors/index.js';
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
    let resendAfter = now;
    if (o.resendCooldownSeconds > 0) {
      resendAfter = await this.count(
        'cooldown',
        JSON.stringify(['cooldown', key.environment, key.phone, key.purpose]),
        1,
        o.resendCooldownSeconds * 1000,
        now,
      );
    }
    await this.count(
      'phone',
      JSON.stringify(['phone', key.phone]),
      o.maxSendsPerPhonePerHour,
      HOUR_MS,
      now,
    );
    await this.count(
      'environment',
      JSON.stringify(['environment', key.environment]),
      o.maxSendsPerEnvironmentPerHour,
      HOUR_MS,
      now,
    );
    return resendAfter;
  }

  private async count(
    limit: SmsCodeLimit,
    counter: string,
    max: number,
    windowMs: number,
    now: Date,
  ): Promise<Date> {
    const { count, windowEndsAt } = await this.store.hit(
      counter,
      windowMs,
      now,
    );
    if (count > max) {
      const seconds = Math.ceil(
        (windowEndsAt.getTime() - now.getTime()) / 1000,
      );
      throw new SmsCodeRateLimitError(limit, Math.max(1, seconds));
    }
    return windowEndsAt;
  }
}

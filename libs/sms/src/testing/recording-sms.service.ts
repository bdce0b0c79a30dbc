import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { measureSmsText } from '../message/message-encoding.js';
import { normalizePhoneNumber } from '../message/phone-number.js';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import type { SmsSendRequest, SmsSendResult } from '../sms-send.interface.js';
import type { SmsService } from '../sms.service.js';
import type { SmsSettingsOrigin } from '../settings/sms-settings.interface.js';
import { SmsSettingsSource } from '../settings/sms-settings.source.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';
import { SmsNotConfiguredError } from '../errors/sms-not-configured.error.js';
import { SmsFallbackNotConfiguredError } from '../errors/sms-fallback-not-configured.error.js';
import type { SmsProviderError } from '../errors/sms-provider.error.js';

/** A message recorded by {@link RecordingSmsService}. */
export interface RecordedSms {
  /** E.164 destination. */
  phone: string;
  message: string;
  environment: string | null;
  /** Which provider of the settings the send asked for (`SmsSendRequest.use`). */
  use: 'primary' | 'fallback';
  sentAt: Date;
}

/**
 * A failure {@link RecordingSmsService.failNext} can plan: an `SmsProviderError` (with `maybeSent`
 * true or false), an `SmsTimeoutError`, or an `SmsNotConfiguredError`.
 */
export type SimulatedSmsFailure = SmsProviderError | SmsNotConfiguredError;

/** Options of {@link RecordingSmsService.failNext}. */
export interface SimulatedSmsFailureOptions {
  /**
   * How many of the next sends fail with the error.
   * @default 1
   */
  times?: number;
}

/** A planned failure and the sends it still applies to. */
interface PlannedFailure {
  error: SimulatedSmsFailure;
  remaining: number;
}

/**
 * Stands in for `SmsService` in tests: checks the phone number and text as the real service does,
 * resolves where the settings would come from, records the message and sends nothing. A test can
 * plan failures with {@link failNext}.
 *
 * Its results have the shape of `SmsService`'s: a new `id` for each send, `provider: 'Recording'`
 * and `failoverFrom: null` (it never fails over). `use: 'fallback'` is checked as the real service
 * checks it, `SmsFallbackNotConfiguredError` when the settings in use have no fallback (an
 * environment's own settings, or the site's as {@link siteHasFallback} says), and is recorded in
 * {@link RecordedSms.use}; the message is recorded the same either way.
 */
@Injectable()
export class RecordingSmsService implements Pick<SmsService, 'send'> {
  /**
   * Whether the site has settings. When false, a send whose environment has no settings in the
   * `SmsSettingsSource` throws `SmsNotConfiguredError`, as the real service does.
   * @default true
   */
  siteHasSettings = true;

  /**
   * Whether the site settings have a fallback provider. When false, a send with `use: 'fallback'`
   * that takes the site settings throws `SmsFallbackNotConfiguredError`, as the real service does.
   * @default false
   */
  siteHasFallback = false;

  private readonly recorded: RecordedSms[] = [];
  private readonly planned: PlannedFailure[] = [];

  constructor(private readonly settingsSource: SmsSettingsSource) {}

  /** Every message recorded so far, oldest first. A failed send is not recorded. */
  get messages(): readonly RecordedSms[] {
    return this.recorded;
  }

  /** The last message sent to `phone` (any format the real service accepts), if any. */
  lastTo(phone: string): RecordedSms | undefined {
    const e164 = normalizePhoneNumber(phone).e164;
    return this.recorded.findLast((m) => m.phone === e164);
  }

  /** Forgets every recorded message. Planned failures stay planned. */
  clear(): void {
    this.recorded.length = 0;
  }

  /**
   * Makes the next send (or the next `times` sends) throw `error` instead of recording. Failures
   * planned one after another apply in that order. A send refused for its number or text, or for
   * lack of settings, uses none up: like the real service, it fails before reaching a provider.
   *
   * ```ts
   * sms.failNext(new SmsProviderError('Refused', { provider: 'GatewayApi', status: 400, maybeSent: false }));
   * sms.failNext(new SmsTimeoutError('No answer', { provider: 'GatewayApi', maybeSent: true }), { times: 2 });
   * ```
   */
  failNext(
    error: SimulatedSmsFailure,
    options: SimulatedSmsFailureOptions = {},
  ): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`times must be a whole number ≥ 1, not ${times}.`);
    }
    this.planned.push({ error, remaining: times });
  }

  /**
   * Records the message.
   *
   * @throws SmsValidationError for what the real service would refuse
   * @throws SmsNotConfiguredError when neither the environment nor the site has settings
   * @throws SmsFallbackNotConfiguredError `use: 'fallback'` and the settings in use have none
   * @throws the failure planned with {@link failNext}, if any
   */
  async send(request: SmsSendRequest): Promise<SmsSendResult> {
    const phone = normalizePhoneNumber(request.phone);
    if (typeof request.message !== 'string' || request.message.length === 0) {
      throw new SmsValidationError('message', 'The message text is required.');
    }
    const { encoding, segments } = measureSmsText(request.message);
    const environment =
      request.environment === undefined
        ? (SmsEnvironmentContext.current() ?? null)
        : request.environment;
    const use = request.use ?? 'primary';
    const source = await this.sourceOf(environment, use);
    this.throwPlannedFailure();
    this.recorded.push({
      phone: phone.e164,
      message: request.message,
      environment,
      use,
      sentAt: new Date(),
    });
    return {
      id: randomUUID(),
      provider: 'Recording',
      failoverFrom: null,
      source,
      environment,
      messageId: String(this.recorded.length),
      encoding,
      segments,
    };
  }

  /**
   * Where the real resolver would take the settings from: the environment's own, else the site's;
   * and whether they have the fallback a send asks for.
   */
  private async sourceOf(
    environment: string | null,
    use: 'primary' | 'fallback',
  ): Promise<SmsSettingsOrigin> {
    const own = environment
      ? await this.settingsSource.get(environment)
      : undefined;
    if (!own && !this.siteHasSettings)
      throw new SmsNotConfiguredError(environment);
    const source = own ? 'environment' : 'site';
    const hasFallback = own ? Boolean(own.fallback) : this.siteHasFallback;
    if (use === 'fallback' && !hasFallback)
      throw new SmsFallbackNotConfiguredError(environment, source);
    return source;
  }

  private throwPlannedFailure(): void {
    const next = this.planned[0];
    if (!next) return;
    next.remaining -= 1;
    if (next.remaining === 0) this.planned.shift();
    throw next.error;
  }
}

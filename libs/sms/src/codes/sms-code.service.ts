import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { measureSmsText } from '../message/message-encoding.js';
import { normalizePhoneNumber } from '../message/phone-number.js';
import type { SmsPhoneNumber } from '../message/phone-number.js';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import { SmsEvents } from '../events/sms-events.js';
import { SmsService } from '../sms.service.js';
import type { SmsSendResult } from '../sms-send.interface.js';
import { SmsCodeCountryNotAllowedError } from '../errors/codes/sms-code-country-not-allowed.error.js';
import { SmsCodeOptionsError } from '../errors/codes/sms-code-options.error.js';
import { SmsCodeRequestError } from '../errors/codes/sms-code-request.error.js';
import { SmsCodeTemplateError } from '../errors/codes/sms-code-template.error.js';
import { SMS_ERROR_MESSAGES } from '../errors/sms-errors.messages.js';
import {
  SmsProviderError,
  SmsTimeoutError,
} from '../errors/sms-provider.error.js';
import { SmsCodeClock } from './sms-code.clock.js';
import { generateSmsCode } from './sms-code.generator.js';
import { SmsCodeHasher } from './sms-code.hasher.js';
import type {
  SmsCodeSendRequest,
  SmsCodeSendResult,
  SmsCodeVerification,
  SmsCodeVerifyRequest,
} from './sms-code.interface.js';
import {
  composeSmsCodeMessage,
  minutesOf,
} from './templates/sms-code.message.js';
import { SmsCodeOptionsMessages } from './options/sms-code-options.messages.js';
import type { ResolvedSmsCodeOptions } from './options/sms-code-options.resolver.js';
import {
  isSmsCodePurpose,
  SMS_CODE_PURPOSES,
  type SmsCodePurpose,
} from './sms-code-purpose.js';
import { SmsCodeSendLimiter } from './sms-code-send.limiter.js';
import { SmsCodeStore, type SmsCodeKey } from './store/sms-code.store.js';
import { SMS_CODE_RESOLVED_OPTIONS } from './sms-code.module-definition.js';

/** How long an expired code is kept, so that a late check answers `expired` rather than `no-code`. */
export const EXPIRED_SMS_CODE_RETENTION_MS = 3_600_000;

/**
 * Sends one-time codes by SMS and checks them. A code is stored only as a keyed hash, works once,
 * expires, and is void after too many attempts; sends are limited per number, purpose and
 * environment. A singleton: the environment comes from the call or from `SmsEnvironmentContext`.
 */
@Injectable()
export class SmsCodeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SmsCodeService');
  private readonly hasher: SmsCodeHasher;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SMS_CODE_RESOLVED_OPTIONS)
    private readonly options: ResolvedSmsCodeOptions,
    private readonly store: SmsCodeStore,
    private readonly clock: SmsCodeClock,
    private readonly limiter: SmsCodeSendLimiter,
    private readonly sms: SmsService,
    private readonly events: SmsEvents,
  ) {
    this.hasher = new SmsCodeHasher(options.hashKey);
  }

  /**
   * Generates a code, sends it in the purpose's text and stores its hash. A code sent before for
   * the same number, purpose and environment stops working.
   *
   * @returns when the code expires and when another may be sent; never the code
   * @throws SmsCodeRequestError the purpose is not one of `SMS_CODE_PURPOSES`
   * @throws SmsValidationError the phone number cannot be sent to
   * @throws SmsCodeCountryNotAllowedError the number's country is not allowed
   * @throws SmsCodeTemplateError the text does not fit `maxSegments` with this company name
   * @throws SmsCodeRateLimitError a cooldown or an hourly cap refused the send
   * @throws SmsNotConfiguredError from `SmsService`
   * @throws SmsProviderError, SmsTimeoutError the provider refused or failed, told in words of the
   *   library's own (the provider's answer is on `cause`); the code is then void unless it may have
   *   reached the phone (`maybeSent`)
   */
  async send(request: SmsCodeSendRequest): Promise<SmsCodeSendResult> {
    const purpose = purposeOf(request.purpose);
    const phone = normalizePhoneNumber(request.phone);
    this.assertCountryAllowed(phone);
    const environment = environmentOf(request.environment);
    const key: SmsCodeKey = { environment, phone: phone.e164, purpose };
    const code = generateSmsCode(
      this.options.codeAlphabet,
      this.options.codeLength,
    );
    const message = await this.compose(key, code, request.locale);

    const now = this.clock.now();
    const resendAfter = await this.limiter.reserve(key, now);
    const { id, expiresAt } = await this.save(key, code, now);
    const sent = await this.deliver(key, id, code, message);
    this.events.emit({ type: 'code-sent', purpose });
    this.logger.log(
      `SMS code sent: purpose=${purpose} phone=${phone.e164} ${environmentForLog(environment)} expiresAt=${expiresAt.toISOString()}`,
    );
    return { id: sent.id, expiresAt, resendAfter, segments: sent.segments };
  }

  /** Stores the code's hash, valid from `now` for the purpose's lifetime. */
  private async save(
    key: SmsCodeKey,
    code: string,
    now: Date,
  ): Promise<{ id: string; expiresAt: Date }> {
    const expiresAt = new Date(
      now.getTime() + this.options.lifetimeSeconds[key.purpose] * 1000,
    );
    const id = randomUUID();
    await this.store.save({
      ...key,
      id,
      hash: this.hasher.hash(key, code),
      attempts: 0,
      createdAt: now,
      expiresAt,
    });
    return { id, expiresAt };
  }

  /** Sends the code's message; a code that certainly never left is voided. */
  private async deliver(
    key: SmsCodeKey,
    id: string,
    code: string,
    message: string,
  ): Promise<SmsSendResult> {
    try {
      return await this.sms.send({
        phone: key.phone,
        message,
        environment: key.environment,
        sensitive: [code],
      });
    } catch (error) {
      // A code that certainly never left cannot be typed in; one that may have reached the phone stays
      // valid, so that a user who got it despite the error is not locked out.
      if (!(error instanceof SmsProviderError && error.maybeSent)) {
        await this.store
          .consume(key, id)
          .catch((voidError: Error) =>
            this.logger.warn(
              `Voiding an unsent SMS code failed: ${voidError.message}`,
            ),
          );
      }
      throw error instanceof SmsProviderError ? codeSendFailure(error) : error;
    }
  }

  /**
   * Checks a code. Every check of a live code counts as an attempt, so that parallel guesses cannot
   * exceed `maxAttempts`; the right code is used up by the check that accepts it.
   *
   * @throws SmsCodeRequestError the purpose or the code is missing or not acceptable
   * @throws SmsValidationError the phone number is not a valid number
   */
  async verify(request: SmsCodeVerifyRequest): Promise<SmsCodeVerification> {
    const purpose = purposeOf(request.purpose);
    const phone = normalizePhoneNumber(request.phone);
    const code = this.normalizeCode(request.code);
    const environment = environmentOf(request.environment);
    const key: SmsCodeKey = { environment, phone: phone.e164, purpose };
    const verification = await this.check(key, code);
    this.events.emit({
      type: 'code-verified',
      purpose,
      result: verification.result,
    });
    this.logger.log(
      `SMS code checked: purpose=${purpose} phone=${phone.e164} ${environmentForLog(environment)} result=${verification.result}${verification.attemptsLeft === undefined ? '' : ` attemptsLeft=${verification.attemptsLeft}`}`,
    );
    return verification;
  }

  /** Starts deleting long-expired codes and finished counters on a timer. */
  onModuleInit(): void {
    this.purgeTimer = setInterval(() => {
      const before = new Date(
        this.clock.now().getTime() - EXPIRED_SMS_CODE_RETENTION_MS,
      );
      this.store
        .purge(before)
        .catch((error: Error) =>
          this.logger.warn(
            `Deleting expired SMS codes failed: ${error.message}`,
          ),
        );
    }, this.options.purgeIntervalMs);
    this.purgeTimer.unref();
  }

  /** Stops the purge timer. */
  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
    this.purgeTimer = undefined;
  }

  private async check(
    key: SmsCodeKey,
    code: string,
  ): Promise<SmsCodeVerification> {
    const max = this.options.maxAttempts;
    const record = await this.store.find(key);
    if (!record) return { result: 'no-code' };
    if (record.expiresAt.getTime() <= this.clock.now().getTime())
      return { result: 'expired' };
    if (record.attempts >= max) return { result: 'too-many-attempts' };
    const attempts = await this.store.addAttempt(key, record.id);
    if (attempts === undefined) return { result: 'no-code' };
    if (attempts > max) return { result: 'too-many-attempts' };
    if (this.hasher.matches(key, code, record.hash)) {
      return (await this.store.consume(key, record.id))
        ? { result: 'valid' }
        : { result: 'no-code' };
    }
    return attempts >= max
      ? { result: 'too-many-attempts' }
      : { result: 'invalid', attemptsLeft: max - attempts };
  }

  private assertCountryAllowed(phone: SmsPhoneNumber): void {
    const allowed = this.options.allowedCountries;
    if (allowed && !(phone.country && allowed.includes(phone.country))) {
      throw new SmsCodeCountryNotAllowedError(phone.country, allowed);
    }
  }

  private async compose(
    key: SmsCodeKey,
    code: string,
    requestedLocale: unknown,
  ): Promise<string> {
    const o = this.options;
    const locale = this.localeFor(requestedLocale);
    const companyName = await this.companyNameFor(key.environment);
    const message = composeSmsCodeMessage(
      o.templates.get(locale)![key.purpose],
      { code, companyName, minutes: minutesOf(o.lifetimeSeconds[key.purpose]) },
      o.originDomain,
    );
    const { segments } = measureSmsText(message);
    if (segments > o.maxSegments) {
      throw new SmsCodeTemplateError({
        environment: key.environment,
        purpose: key.purpose,
        locale,
        segments,
        maxSegments: o.maxSegments,
      });
    }
    return message;
  }

  /** The exact locale, then its language, then the default locale. */
  private localeFor(requested: unknown): string {
    if (typeof requested === 'string' && requested !== '') {
      const exact = requested.toLowerCase();
      const language = exact.split('-')[0];
      for (const candidate of [exact, language]) {
        if (this.options.templates.has(candidate)) return candidate;
      }
    }
    return this.options.defaultLocale;
  }

  private async companyNameFor(environment: string | null): Promise<string> {
    const { companyName } = this.options;
    const name =
      typeof companyName === 'function'
        ? await companyName(environment)
        : companyName;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new SmsCodeOptionsError([
        { path: 'companyName', message: SmsCodeOptionsMessages.companyName() },
      ]);
    }
    return name;
  }

  private normalizeCode(code: unknown): string {
    const text = typeof code === 'string' ? code.trim() : '';
    if (text === '') {
      throw new SmsCodeRequestError('code', 'The field code is required.');
    }
    return this.options.caseInsensitive ? text.toUpperCase() : text;
  }
}

function purposeOf(purpose: unknown): SmsCodePurpose {
  if (!isSmsCodePurpose(purpose)) {
    throw new SmsCodeRequestError(
      'purpose',
      `The field purpose must be one of ${SMS_CODE_PURPOSES.join(', ')}.`,
    );
  }
  return purpose;
}

function environmentOf(environment: string | null | undefined): string | null {
  return environment === undefined
    ? (SmsEnvironmentContext.current() ?? null)
    : environment;
}

/**
 * A provider failure of a code send in words of the library's own, with the provider, its status,
 * `maybeSent` and `retryAfterSeconds`: a provider's answer could repeat the message, and with it
 * the code, in a form that redaction does not catch. Its code and text stay on `cause`, redacted.
 */
function codeSendFailure(error: SmsProviderError): SmsProviderError {
  const timedOut = error instanceof SmsTimeoutError;
  const message = SMS_ERROR_MESSAGES.codeProviderFailed({
    provider: error.provider,
    status: error.status,
    timedOut,
    maybeSent: error.maybeSent,
  });
  const details = {
    provider: error.provider,
    status: error.status,
    maybeSent: error.maybeSent,
    retryAfterSeconds: error.retryAfterSeconds,
    cause: error,
  };
  return timedOut
    ? new SmsTimeoutError(message, details)
    : new SmsProviderError(message, details);
}

function environmentForLog(environment: string | null): string {
  return environment === null ? 'environment=-' : `environment=${environment}`;
}

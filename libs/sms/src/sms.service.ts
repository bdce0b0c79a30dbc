import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SmsClientCertificateGuard } from './certificates/sms-client-certificate.guard.js';
import { SmsEnvironmentContext } from './environment/sms-environment.context.js';
import { SMS_ERROR_MESSAGES } from './errors/sms-errors.messages.js';
import { SmsValidationError } from './errors/sms-validation.error.js';
import { measureSmsText } from './message/message-encoding.js';
import { normalizePhoneNumber } from './message/phone-number.js';
import { SmsProviderRegistry } from './providers/sms-provider.registry.js';
import type { PreparedSend } from './send/prepared-send.interface.js';
import type { SendBasis } from './send/send-basis.interface.js';
import { SmsSendEventEmitter } from './send/sms-send-event.emitter.js';
import {
  DEFAULT_SMS_RETRIES,
  SmsRetryPolicy,
} from './send/sms-retry.policy.js';
import {
  SmsSendReporter,
  statusResult,
  type FailedAttempt,
} from './send/sms-send.reporter.js';
import { SmsSettingsResolver } from './settings/sms-settings.resolver.js';
import type { SmsSettings } from './settings/sms-settings.interface.js';
import { SmsFallbackNotConfiguredError } from './errors/sms-fallback-not-configured.error.js';
import { withProviderErrorDetails } from './errors/sms-provider-error.copy.js';
import { SmsCircuitBreaker } from './failover/sms-circuit-breaker.js';
import {
  CIRCUIT_OPEN,
  MIN_FAILOVER_MS,
  failoverCauseOf,
  type SmsFailoverCause,
} from './failover/sms-failover.policy.js';
import {
  SmsFailoverReporter,
  withFailoverFrom,
} from './failover/sms-failover.reporter.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import {
  DEFAULT_SMS_MAX_SEGMENTS,
  DEFAULT_SMS_TIMEOUT_MS,
} from './sms.constants.js';
import { SMS_MODULE_OPTIONS } from './sms.module-definition.js';
import type { SmsSendRequest, SmsSendResult } from './sms-send.interface.js';
import { SmsHttpTransport } from './transport/sms-http.transport.js';
import { SmsTransportError } from './transport/sms-transport.error.js';
import { SmsMessageRecorder } from './messages/sms-message.recorder.js';

/** What one attempt came to: the provider's message id, or the failure. */
type AttemptOutcome = { messageId?: string } | { failure: FailedAttempt };

/**
 * Sends SMS through the provider of the current environment, or of the site. Inject it anywhere: it
 * is a singleton, and takes the environment from the call or from `SmsEnvironmentContext`. A send
 * that certainly did not reach the provider is tried again within the timeout when that is safe
 * (see `SmsRetryPolicy`); every attempt is logged. When the settings have a fallback provider and
 * the primary certainly did not send, the fallback takes the message (see `failoverCauseOf` and
 * `SmsCircuitBreaker`). Every send that reached a provider is recorded, sent or failed (see
 * `SmsMessageRecorder`), and told to `SmsEvents`.
 */
@Injectable()
export class SmsService implements OnModuleDestroy {
  private readonly logger = new Logger('SmsService');
  private readonly maxSegments: number;
  private readonly timeoutMs: number;
  private readonly retryPolicy: SmsRetryPolicy;
  private readonly circuits: SmsCircuitBreaker;
  // Ends the waits between attempts at shutdown, so that no send holds the process open.
  private readonly closing = new AbortController();

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly resolver: SmsSettingsResolver,
    private readonly registry: SmsProviderRegistry,
    private readonly transport: SmsHttpTransport,
    private readonly certificates: SmsClientCertificateGuard,
    private readonly reporter: SmsSendReporter,
    private readonly failover: SmsFailoverReporter,
    private readonly sendEvents: SmsSendEventEmitter,
    private readonly recorder: SmsMessageRecorder,
  ) {
    this.maxSegments = options.maxSegments ?? DEFAULT_SMS_MAX_SEGMENTS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
    this.retryPolicy = new SmsRetryPolicy({
      retries: options.retries ?? DEFAULT_SMS_RETRIES,
    });
    this.circuits = new SmsCircuitBreaker({
      threshold: options.circuitBreakerThreshold,
      cooldownMs: options.circuitBreakerCooldownMs,
    });
  }

  /**
   * Sends one SMS. The whole send, retries and failover included, takes at most the module's
   * `timeoutMs`.
   *
   * @throws SmsValidationError the phone number or text cannot be sent (nothing left the process)
   * @throws SmsFallbackNotConfiguredError `use: 'fallback'` and the settings have no fallback
   * @throws SmsNotConfiguredError neither the environment nor the site has settings
   * @throws SmsTimeoutError the provider did not answer within the timeout
   * @throws SmsProviderError the provider refused the message or the exchange failed
   */
  async send(request: SmsSendRequest): Promise<SmsSendResult> {
    const started = performance.now();
    let basis: SendBasis | undefined;
    try {
      basis = await this.prepare(request);
      const result = await this.recorded(basis);
      this.sendEvents.sent(started, result);
      return result;
    } catch (error) {
      this.sendEvents.failed(started, basis?.resolved, error);
      throw error;
    }
  }

  /** Sends and writes the send's record, sent or failed. */
  private async recorded(basis: SendBasis): Promise<SmsSendResult> {
    try {
      const result = await this.route(basis);
      await this.recorder.recordSent(basis, result);
      return result;
    } catch (error) {
      await this.recorder.recordFailed(basis, error);
      throw error;
    }
  }

  /** The fallback when asked for; else the primary, failing over when there is a fallback. */
  private route(basis: SendBasis): Promise<SmsSendResult> {
    const { settings } = basis.resolved;
    const { fallback } = settings;
    if (!fallback) return this.sendThrough(basis, settings, null);
    if (basis.request.use === 'fallback') {
      return this.sendThrough(basis, fallback, null);
    }
    return this.sendWithFailover(basis, fallback);
  }

  /** The primary with its retries; then, when it certainly did not send, the fallback. */
  private async sendWithFailover(
    basis: SendBasis,
    fallback: SmsSettings,
  ): Promise<SmsSendResult> {
    const primary = basis.resolved.settings;
    if (!this.circuits.allows(primary)) {
      return this.failOver(basis, fallback, CIRCUIT_OPEN);
    }
    try {
      const result = await this.sendThrough(basis, primary, null);
      if (this.circuits.succeeded(primary)) {
        this.failover.circuitClosed(basis.resolved);
      }
      return result;
    } catch (error) {
      const cause = failoverCauseOf(error);
      if (this.circuits.failed(primary, cause !== undefined)) {
        this.failover.circuitOpened(basis.resolved, this.circuits.cooldown);
      }
      // With no time left for it, a failover could only time out: the primary's error is clearer.
      if (!cause || this.remainingMs(basis) < MIN_FAILOVER_MS) throw error;
      return this.failOver(basis, fallback, cause);
    }
  }

  private failOver(
    basis: SendBasis,
    fallback: SmsSettings,
    cause: SmsFailoverCause,
  ): Promise<SmsSendResult> {
    const { resolved, phone } = basis;
    this.failover.failedOver({ resolved, fallback, phone, cause });
    return this.sendThrough(basis, fallback, resolved.settings.type);
  }

  /**
   * Sends through one provider with its retries; `failoverFrom` names the primary when this is the
   * fallback after a failover, and goes into the result or the error.
   */
  private async sendThrough(
    basis: SendBasis,
    settings: SmsSettings,
    failoverFrom: string | null,
  ): Promise<SmsSendResult> {
    try {
      const send = this.prepareFor(basis, settings);
      return { ...(await this.sendWithRetries(send)), failoverFrom };
    } catch (error) {
      throw failoverFrom === null
        ? error
        : withFailoverFrom(error, failoverFrom);
    }
  }

  private async sendWithRetries(
    send: PreparedSend,
  ): Promise<Omit<SmsSendResult, 'failoverFrom'>> {
    // An earlier attempt that may have sent the message (a Telia 500 that is repeated) still may
    // have, whatever a later attempt says: the send must not fail over then.
    let mayHaveSent = false;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(send);
      if ('failure' in outcome) {
        mayHaveSent ||= outcome.failure.judged.maybeSent;
        await this.retryOrThrow(send, outcome.failure, {
          attempt,
          mayHaveSent,
        });
        continue;
      }
      const messageId = outcome.messageId ?? null;
      const sent = this.reporter.sent(send, messageId, attempt);
      this.logger.log(sent.line, sent.fields);
      return {
        id: send.context.correlationId,
        provider: send.resolved.settings.type,
        source: send.resolved.source,
        environment: send.resolved.environment,
        messageId,
        encoding: send.context.encoding,
        segments: send.context.segments,
      };
    }
  }

  /** Ends the waits between attempts: the sends waiting fail with their last error. */
  onModuleDestroy(): void {
    this.closing.abort();
  }

  /** Checks the number and text, resolves the settings and checks a fallback asked for is there. */
  private async prepare(request: SmsSendRequest): Promise<SendBasis> {
    const phone = normalizePhoneNumber(request.phone);
    const { encoding, segments } = this.measure(request.message);
    const resolved = await this.resolver.resolve(
      request.environment === undefined
        ? (SmsEnvironmentContext.current() ?? null)
        : request.environment,
    );
    if (request.use === 'fallback' && !resolved.settings.fallback) {
      throw new SmsFallbackNotConfiguredError(
        resolved.environment,
        resolved.source,
      );
    }
    return {
      id: randomUUID(),
      request,
      phone,
      encoding,
      segments,
      resolved,
      started: performance.now(),
    };
  }

  /** Builds one provider's request; the fallback's logs and redacts as its own settings. */
  private prepareFor(basis: SendBasis, settings: SmsSettings): PreparedSend {
    const provider = this.registry.get(settings.type);
    this.certificates.assertUsable(settings);
    const { id, request, phone, encoding, segments } = basis;
    const context = {
      settings,
      phone,
      message: request.message,
      encoding,
      segments,
      // The send's one id on every attempt: Telia deduplicates a repeated clientCorrelator.
      correlationId: id,
      sensitive: request.sensitive?.filter((value) => value.length > 0),
      deliveryReportUrl: this.recorder.reportUrlFor(provider, id),
    };
    return {
      context,
      resolved: { ...basis.resolved, settings },
      provider,
      request: provider.buildRequest(context),
      started: basis.started,
    };
  }

  private measure(message: unknown) {
    if (typeof message !== 'string' || message.length === 0) {
      throw new SmsValidationError(
        'message',
        SMS_ERROR_MESSAGES.messageRequired(),
      );
    }
    const measure = measureSmsText(message);
    if (measure.segments > this.maxSegments) {
      throw new SmsValidationError(
        'message',
        SMS_ERROR_MESSAGES.tooManySegments(
          measure.segments,
          measure.encoding,
          this.maxSegments,
        ),
      );
    }
    return measure;
  }

  /** One exchange with the provider, within what is left of the send's time. */
  private async attempt(send: PreparedSend): Promise<AttemptOutcome> {
    const remainingMs = this.remainingMs(send);
    try {
      const response = await this.transport.send(send.request, {
        // Environment settings come from API callers: their hosts are held to the address policy.
        restrictAddresses: send.resolved.source === 'environment',
        timeoutMs: Math.max(1, Math.round(remainingMs)),
      });
      const outcome = send.provider.readResponse(response, send.context);
      if (outcome.ok) {
        this.sendEvents.attempt(send, statusResult(response.status));
        return { messageId: outcome.messageId };
      }
      const failure = this.reporter.providerRefused(response, outcome, send);
      this.sendEvents.attempt(send, failure.result);
      return { failure };
    } catch (error) {
      if (!(error instanceof SmsTransportError)) throw error;
      const failure = this.reporter.transportFailed(error, send);
      this.sendEvents.attempt(send, failure.result);
      return { failure };
    }
  }

  /** Returns after the wait before the next attempt, or throws when the send ends here. */
  private async retryOrThrow(
    send: PreparedSend,
    failure: FailedAttempt,
    { attempt, mayHaveSent }: { attempt: number; mayHaveSent: boolean },
  ): Promise<void> {
    const decision = this.retryPolicy.decide(
      failure.judged,
      attempt,
      this.remainingMs(send),
    );
    const finalError =
      mayHaveSent && !failure.error.maybeSent
        ? withProviderErrorDetails(failure.error, { maybeSent: true })
        : failure.error;
    if (!decision.retry) {
      this.logger.error(
        `${failure.logLine} attempts=${attempt}`,
        failure.logFields,
      );
      throw finalError;
    }
    this.logger.warn(
      `${failure.logLine} attempt=${attempt} retryInMs=${decision.delayMs}`,
      failure.logFields,
    );
    if (!(await this.pause(decision.delayMs))) {
      this.logger.error(
        `${failure.logLine} attempts=${attempt} retry=cancelled-by-shutdown`,
        failure.logFields,
      );
      throw finalError;
    }
  }

  private remainingMs(send: { started: number }): number {
    return send.started + this.timeoutMs - performance.now();
  }

  /** Waits before the next attempt; false when shutdown began meanwhile. */
  private async pause(delayMs: number): Promise<boolean> {
    if (this.closing.signal.aborted) return false;
    try {
      await sleep(delayMs, undefined, { signal: this.closing.signal });
      return true;
    } catch {
      return false;
    }
  }
}

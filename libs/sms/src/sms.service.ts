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
import {
  DEFAULT_SMS_RETRIES,
  SmsRetryPolicy,
} from './send/sms-retry.policy.js';
import { SmsSendEventEmitter } from './send/sms-send-event.emitter.js';
import {
  SmsSendReporter,
  statusResult,
  type FailedAttempt,
} from './send/sms-send.reporter.js';
import { SmsSettingsResolver } from './settings/sms-settings.resolver.js';
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
 * (see `SmsRetryPolicy`); every attempt is logged, and every send that reached a provider is
 * recorded, sent or failed (see `SmsMessageRecorder`).
 */
@Injectable()
export class SmsService implements OnModuleDestroy {
  private readonly logger = new Logger('SmsService');
  private readonly maxSegments: number;
  private readonly timeoutMs: number;
  private readonly retryPolicy: SmsRetryPolicy;
  // Ends the waits between attempts at shutdown, so that no send holds the process open.
  private readonly closing = new AbortController();

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly resolver: SmsSettingsResolver,
    private readonly registry: SmsProviderRegistry,
    private readonly transport: SmsHttpTransport,
    private readonly certificates: SmsClientCertificateGuard,
    private readonly reporter: SmsSendReporter,
    private readonly sendEvents: SmsSendEventEmitter,
    private readonly recorder: SmsMessageRecorder,
  ) {
    this.maxSegments = options.maxSegments ?? DEFAULT_SMS_MAX_SEGMENTS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
    this.retryPolicy = new SmsRetryPolicy({
      retries: options.retries ?? DEFAULT_SMS_RETRIES,
    });
  }

  /**
   * Sends one SMS. The whole send, retries included, takes at most the module's `timeoutMs`.
   *
   * @throws SmsValidationError the phone number or text cannot be sent (nothing left the process)
   * @throws SmsNotConfiguredError neither the environment nor the site has settings
   * @throws SmsTimeoutError the provider did not answer within the timeout
   * @throws SmsProviderError the provider refused the message or the exchange failed
   */
  async send(request: SmsSendRequest): Promise<SmsSendResult> {
    const started = performance.now();
    let send: PreparedSend | undefined;
    try {
      send = await this.prepare(request);
      const result = await this.recorded(send);
      this.sendEvents.ended(started, send);
      return result;
    } catch (error) {
      this.sendEvents.ended(started, send, error);
      throw error;
    }
  }

  /** Delivers the send and writes its record, sent or failed. */
  private async recorded(send: PreparedSend): Promise<SmsSendResult> {
    try {
      const result = await this.deliver(send);
      await this.recorder.recordSent(send, result.messageId);
      return result;
    } catch (error) {
      await this.recorder.recordFailed(send, error);
      throw error;
    }
  }

  /** The attempts of one send, until one succeeds or the send gives up. */
  private async deliver(send: PreparedSend): Promise<SmsSendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(send);
      if ('failure' in outcome) {
        await this.retryOrThrow(send, outcome.failure, attempt);
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

  /** Checks the number and text, resolves the settings and builds the provider's request. */
  private async prepare(request: SmsSendRequest): Promise<PreparedSend> {
    const phone = normalizePhoneNumber(request.phone);
    const { encoding, segments } = this.measure(request.message);
    const resolved = await this.resolver.resolve(
      request.environment === undefined
        ? (SmsEnvironmentContext.current() ?? null)
        : request.environment,
    );
    const provider = this.registry.get(resolved.settings.type);
    this.certificates.assertUsable(resolved.settings);
    // One id for the send, its attempts, its record and its delivery report: Telia deduplicates a
    // repeated clientCorrelator.
    const id = randomUUID();
    const context = {
      settings: resolved.settings,
      phone,
      message: request.message,
      encoding,
      segments,
      correlationId: id,
      sensitive: request.sensitive?.filter((value) => value.length > 0),
      deliveryReportUrl: this.recorder.reportUrlFor(provider, id),
    };
    const httpRequest = provider.buildRequest(context);
    return {
      context,
      resolved,
      provider,
      request: httpRequest,
      started: performance.now(),
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
    attempt: number,
  ): Promise<void> {
    const decision = this.retryPolicy.decide(
      failure.judged,
      attempt,
      this.remainingMs(send),
    );
    if (!decision.retry) {
      this.logger.error(
        `${failure.logLine} attempts=${attempt}`,
        failure.logFields,
      );
      throw failure.error;
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
      throw failure.error;
    }
  }

  private remainingMs(send: PreparedSend): number {
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

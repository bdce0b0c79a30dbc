import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SmsAddressRefusedError } from './transport/sms-transport.error.js';
import { measureSmsText } from './message/message-encoding.js';
import { normalizePhoneNumber } from './message/phone-number.js';
import {
  createSecretRedactor,
  REDACTED,
  type SecretRedactor,
} from './settings/secret-redactor.js';
import { SmsEnvironmentContext } from './environment/sms-environment.context.js';
import {
  SmsHttpTransport,
  type SmsHttpSendOptions,
} from './transport/sms-http.transport.js';
import { SMS_MODULE_OPTIONS } from './sms.module-definition.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import type {
  SmsHttpRequest,
  SmsHttpResponse,
  SmsProvider,
  SmsSendContext,
} from './providers/sms-provider.interface.js';
import { SmsProviderRegistry } from './providers/sms-provider.registry.js';
import type { SmsSendRequest, SmsSendResult } from './sms-send.interface.js';
import {
  SmsSettingsResolver,
  type ResolvedSmsSettings,
} from './settings/sms-settings.resolver.js';
import { SmsClientCertificateGuard } from './certificates/sms-client-certificate.guard.js';
import {
  SmsProviderError,
  SmsTimeoutError,
  SmsValidationError,
} from './errors/index.js';
import { SmsTransportError } from './transport/sms-transport.error.js';
import {
  DEFAULT_SMS_MAX_SEGMENTS,
  DEFAULT_SMS_TIMEOUT_MS,
} from './sms.constants.js';
import {
  DEFAULT_SMS_RETRIES,
  SmsRetryPolicy,
  type SmsAttemptFailure,
} from './send/sms-retry.policy.js';
import type { SmsSettings } from './settings/sms-settings.interface.js';

// The part of a provider's answer that goes into a log line.
const LOGGED_RESPONSE_LIMIT = 2048;

/** A failed attempt: the error a caller gets, how the retry policy judges it, and its log line. */
interface FailedAttempt {
  error: SmsProviderError;
  judged: SmsAttemptFailure;
  logLine: string;
}

/**
 * Sends SMS through the provider of the current environment, or of the site. Inject it anywhere: it
 * is a singleton, and takes the environment from the call or from `SmsEnvironmentContext`. A send
 * that certainly did not reach the provider is tried again within the timeout when that is safe
 * (see `SmsRetryPolicy`); every attempt is logged.
 */
@Injectable()
export class SmsService implements OnModuleDestroy {
  private readonly logger = new Logger('SmsService');
  private readonly redactors = new WeakMap<SmsSettings, SecretRedactor>();
  // Worked out once per settings object: parsing the URL on every send showed up in the profiles.
  private readonly loggedUrls = new WeakMap<SmsSettings, string>();
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
    const phone = normalizePhoneNumber(request.phone);
    const { encoding, segments } = this.measure(request.message);
    const environment =
      request.environment === undefined
        ? (SmsEnvironmentContext.current() ?? null)
        : request.environment;
    const resolved = await this.resolver.resolve(environment);
    const { settings } = resolved;
    const provider = this.registry.get(settings.type);
    this.certificates.assertUsable(settings);

    // One id for every attempt: Telia deduplicates a repeated clientCorrelator.
    const context: SmsSendContext = {
      settings,
      phone,
      message: request.message,
      encoding,
      segments,
      correlationId: randomUUID(),
      sensitive: request.sensitive?.filter((value) => value.length > 0),
    };
    const httpRequest = provider.buildRequest(context);
    const started = performance.now();
    const sendOptions: SmsHttpSendOptions = {
      // Environment settings come from API callers: their hosts are held to the address policy.
      restrictAddresses: resolved.source === 'environment',
    };
    for (let attempt = 1; ; attempt += 1) {
      const remainingMs = started + this.timeoutMs - performance.now();
      const outcome = await this.attempt(
        httpRequest,
        { ...sendOptions, timeoutMs: Math.max(1, Math.round(remainingMs)) },
        provider,
        context,
        resolved,
        started,
      );
      if (!('failure' in outcome)) {
        const messageId = outcome.messageId ?? null;
        this.logger.log(
          `SMS sent: provider=${settings.type} url=${this.loggedUrlOf(settings)} phone=${phone.e164} ${sourceForLog(resolved)} messageId=${messageId ?? '-'} segments=${segments} durationMs=${elapsed(started)}${attempt > 1 ? ` attempts=${attempt}` : ''}`,
        );
        return {
          provider: settings.type,
          source: resolved.source,
          environment: resolved.environment,
          messageId,
          encoding,
          segments,
        };
      }
      const { failure } = outcome;
      const decision = this.retryPolicy.decide(
        failure.judged,
        attempt,
        started + this.timeoutMs - performance.now(),
      );
      if (!decision.retry) {
        this.logger.error(`${failure.logLine} attempts=${attempt}`);
        throw failure.error;
      }
      this.logger.warn(
        `${failure.logLine} attempt=${attempt} retryInMs=${decision.delayMs}`,
      );
      if (!(await this.pause(decision.delayMs))) {
        this.logger.error(
          `${failure.logLine} attempts=${attempt} retry=cancelled-by-shutdown`,
        );
        throw failure.error;
      }
    }
  }

  /** Ends the waits between attempts: the sends waiting fail with their last error. */
  onModuleDestroy(): void {
    this.closing.abort();
  }

  private measure(message: unknown) {
    if (typeof message !== 'string' || message.length === 0) {
      throw new SmsValidationError('message', 'The message text is required.');
    }
    const measure = measureSmsText(message);
    if (measure.segments > this.maxSegments) {
      throw new SmsValidationError(
        'message',
        `The message needs ${measure.segments} SMS segments (${measure.encoding}); at most ${this.maxSegments} are allowed.`,
      );
    }
    return measure;
  }

  /** One exchange with the provider: the message id, or the failure. */
  private async attempt(
    httpRequest: SmsHttpRequest,
    options: SmsHttpSendOptions,
    provider: SmsProvider,
    context: SmsSendContext,
    resolved: ResolvedSmsSettings,
    started: number,
  ): Promise<{ messageId?: string } | { failure: FailedAttempt }> {
    let response: SmsHttpResponse;
    try {
      response = await this.transport.send(httpRequest, options);
    } catch (error) {
      if (!(error instanceof SmsTransportError)) throw error;
      return { failure: this.failed(error, context, resolved, started) };
    }
    const outcome = provider.readResponse(response, context);
    if (outcome.ok) return { messageId: outcome.messageId };
    return {
      failure: this.refused(response, outcome, context, resolved, started),
    };
  }

  /** An exchange that failed before a complete answer was read. */
  private failed(
    error: SmsTransportError,
    context: SmsSendContext,
    resolved: ResolvedSmsSettings,
    started: number,
  ): FailedAttempt {
    const { settings } = resolved;
    const reason = this.redactorFor(settings)(error.message);
    const details = {
      provider: settings.type,
      status: error.status,
      maybeSent: error.maybeSent,
      cause: error,
    };
    return {
      error:
        error.kind === 'timeout'
          ? new SmsTimeoutError(
              `${settings.type} did not answer within the timeout; the message ${error.maybeSent ? 'may have been' : 'was not'} sent.`,
              details,
            )
          : new SmsProviderError(
              `${settings.type} could not be reached or the exchange failed (${error.kind}): ${reason}`,
              details,
            ),
      judged: {
        provider: settings.type,
        kind:
          error instanceof SmsAddressRefusedError
            ? 'address-refused'
            : error.kind,
        status: error.status,
        maybeSent: error.maybeSent,
      },
      logLine: `SMS failed: provider=${settings.type} url=${this.loggedUrlOf(settings)} phone=${context.phone.e164} ${sourceForLog(resolved)} failure=${error.kind} maybeSent=${error.maybeSent} durationMs=${elapsed(started)} reason=${reason}`,
    };
  }

  /** An answer the provider strategy read as a failure. */
  private refused(
    response: SmsHttpResponse,
    outcome: { providerCode?: string; providerText?: string },
    context: SmsSendContext,
    resolved: ResolvedSmsSettings,
    started: number,
  ): FailedAttempt {
    const { settings } = resolved;
    const redact = this.redactorFor(settings);
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    const body = redactValues(
      redact(response.body.slice(0, LOGGED_RESPONSE_LIMIT)),
      context.sensitive,
    );
    const providerText =
      outcome.providerText === undefined
        ? undefined
        : redact(outcome.providerText);
    const providerCode =
      outcome.providerCode === undefined
        ? undefined
        : redact(outcome.providerCode);
    const maybeSent = maybeSentAfter(response.status, retryAfterSeconds);
    return {
      error: new SmsProviderError(
        `${settings.type} refused the message with HTTP ${response.status}${providerCode ? ` (${providerCode})` : ''}${providerText ? `: ${providerText}` : ''}`,
        {
          provider: settings.type,
          status: response.status,
          providerCode,
          providerText,
          maybeSent,
          retryAfterSeconds,
        },
      ),
      judged: {
        provider: settings.type,
        kind: 'refused',
        status: response.status,
        providerCode: outcome.providerCode,
        maybeSent,
        retryAfterSeconds,
      },
      logLine: `SMS refused: provider=${settings.type} url=${this.loggedUrlOf(settings)} phone=${context.phone.e164} ${sourceForLog(resolved)} status=${response.status} durationMs=${elapsed(started)} message=${JSON.stringify(redactValues(context.message, context.sensitive))} response=${JSON.stringify(body)}`,
    };
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

  private redactorFor(settings: SmsSettings): SecretRedactor {
    let redactor = this.redactors.get(settings);
    if (!redactor) {
      redactor = createSecretRedactor(settings);
      this.redactors.set(settings, redactor);
    }
    return redactor;
  }

  private loggedUrlOf(settings: SmsSettings): string {
    let url = this.loggedUrls.get(settings);
    if (url === undefined) {
      url = urlForLog(settings.apiUrl);
      this.loggedUrls.set(settings, url);
    }
    return url;
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** The text with each of `values` replaced by `[redacted]`. */
function redactValues(
  text: string,
  values: readonly string[] | undefined,
): string {
  return values?.length
    ? values.reduce((result, value) => result.split(value).join(REDACTED), text)
    : text;
}

/** True when a provider's answer leaves open whether the message went out. */
function maybeSentAfter(
  status: number,
  retryAfterSeconds: number | undefined,
): boolean {
  if (status >= 500)
    return !(status === 503 && retryAfterSeconds !== undefined);
  // A 2xx with an error body, a 3xx we do not follow, or a 4xx: the provider did not take it.
  return false;
}

function parseRetryAfter(
  value: string | string[] | undefined,
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(text);
  return Number.isNaN(date)
    ? undefined
    : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The API URL without its query string or fragment: query parameters are never logged. */
function urlForLog(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '[invalid url]';
  }
}

function sourceForLog(resolved: ResolvedSmsSettings): string {
  return resolved.source === 'environment'
    ? `source=environment:${resolved.environment}`
    : 'source=site';
}

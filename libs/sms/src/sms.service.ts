import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { measureSmsText } from './message-encoding.js';
import { normalizePhoneNumber } from './phone-number.js';
import {
  createSecretRedactor,
  type SecretRedactor,
} from './secret-redactor.js';
import { SmsEnvironmentContext } from './sms-environment.context.js';
import { SmsHttpTransport } from './sms-http.transport.js';
import { SMS_MODULE_OPTIONS } from './sms.module-definition.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import type {
  SmsHttpRequest,
  SmsHttpResponse,
  SmsSendContext,
} from './sms-provider.interface.js';
import { SmsProviderRegistry } from './sms-provider.registry.js';
import type { SmsSendRequest, SmsSendResult } from './sms-send.interface.js';
import {
  SmsSettingsResolver,
  type ResolvedSmsSettings,
} from './sms-settings.resolver.js';
import { SmsClientCertificateGuard } from './sms-client-certificate.guard.js';
import {
  SmsProviderError,
  SmsTimeoutError,
  SmsValidationError,
} from './sms.errors.js';
import { SmsTransportError } from './sms-transport.error.js';
import { DEFAULT_SMS_MAX_SEGMENTS } from './sms.constants.js';
import type { SmsSettings } from './sms-settings.interface.js';

// The part of a provider's answer that goes into a log line.
const LOGGED_RESPONSE_LIMIT = 2048;

/**
 * Sends SMS through the provider of the current environment, or of the site. Inject it anywhere: it
 * is a singleton, and takes the environment from the call or from `SmsEnvironmentContext`.
 */
@Injectable()
export class SmsService {
  private readonly logger = new Logger('SmsService');
  private readonly redactors = new WeakMap<SmsSettings, SecretRedactor>();
  private readonly maxSegments: number;

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly resolver: SmsSettingsResolver,
    private readonly registry: SmsProviderRegistry,
    private readonly transport: SmsHttpTransport,
    private readonly certificates: SmsClientCertificateGuard,
  ) {
    this.maxSegments = options.maxSegments ?? DEFAULT_SMS_MAX_SEGMENTS;
  }

  /**
   * Sends one SMS.
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

    const context: SmsSendContext = {
      settings,
      phone,
      message: request.message,
      encoding,
      segments,
      correlationId: randomUUID(),
    };
    const started = performance.now();
    const response = await this.exchange(
      provider.buildRequest(context),
      context,
      resolved,
      started,
    );
    const outcome = provider.readResponse(response, context);
    const durationMs = Math.round(performance.now() - started);
    if (!outcome.ok) {
      throw this.refused(response, outcome, context, resolved, durationMs);
    }
    const messageId = outcome.messageId ?? null;
    this.logger.log(
      `SMS sent: provider=${settings.type} url=${urlForLog(settings.apiUrl)} phone=${phone.e164} ${sourceForLog(resolved)} messageId=${messageId ?? '-'} segments=${segments} durationMs=${durationMs}`,
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

  private async exchange(
    httpRequest: SmsHttpRequest,
    context: SmsSendContext,
    resolved: ResolvedSmsSettings,
    started: number,
  ): Promise<SmsHttpResponse> {
    try {
      return await this.transport.send(httpRequest);
    } catch (error) {
      if (!(error instanceof SmsTransportError)) throw error;
      const durationMs = Math.round(performance.now() - started);
      const { settings } = resolved;
      this.logger.error(
        `SMS failed: provider=${settings.type} url=${urlForLog(settings.apiUrl)} phone=${context.phone.e164} ${sourceForLog(resolved)} failure=${error.kind} maybeSent=${error.maybeSent} durationMs=${durationMs} reason=${this.redactorFor(settings)(error.message)}`,
      );
      const details = {
        provider: settings.type,
        status: error.status,
        maybeSent: error.maybeSent,
        cause: error,
      };
      if (error.kind === 'timeout') {
        throw new SmsTimeoutError(
          `${settings.type} did not answer within the timeout; the message ${error.maybeSent ? 'may have been' : 'was not'} sent.`,
          details,
        );
      }
      throw new SmsProviderError(
        `${settings.type} could not be reached or the exchange failed (${error.kind}): ${this.redactorFor(settings)(error.message)}`,
        details,
      );
    }
  }

  private refused(
    response: SmsHttpResponse,
    outcome: { providerCode?: string; providerText?: string },
    context: SmsSendContext,
    resolved: ResolvedSmsSettings,
    durationMs: number,
  ): SmsProviderError {
    const { settings } = resolved;
    const redact = this.redactorFor(settings);
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    const body = redact(response.body.slice(0, LOGGED_RESPONSE_LIMIT));
    this.logger.error(
      `SMS refused: provider=${settings.type} url=${urlForLog(settings.apiUrl)} phone=${context.phone.e164} ${sourceForLog(resolved)} status=${response.status} durationMs=${durationMs} message=${JSON.stringify(context.message)} response=${JSON.stringify(body)}`,
    );
    const providerText =
      outcome.providerText === undefined
        ? undefined
        : redact(outcome.providerText);
    const providerCode =
      outcome.providerCode === undefined
        ? undefined
        : redact(outcome.providerCode);
    return new SmsProviderError(
      `${settings.type} refused the message with HTTP ${response.status}${providerCode ? ` (${providerCode})` : ''}${providerText ? `: ${providerText}` : ''}`,
      {
        provider: settings.type,
        status: response.status,
        providerCode,
        providerText,
        maybeSent: maybeSentAfter(response.status, retryAfterSeconds),
        retryAfterSeconds,
      },
    );
  }

  private redactorFor(settings: SmsSettings): SecretRedactor {
    let redactor = this.redactors.get(settings);
    if (!redactor) {
      redactor = createSecretRedactor(settings);
      this.redactors.set(settings, redactor);
    }
    return redactor;
  }
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

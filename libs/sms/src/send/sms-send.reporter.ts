import { Injectable } from '@nestjs/common';
import { SMS_ERROR_MESSAGES } from '../errors/sms-errors.messages.js';
import {
  SmsProviderError,
  SmsTimeoutError,
} from '../errors/sms-provider.error.js';
import type {
  SmsHttpResponse,
  SmsProviderOutcome,
} from '../providers/sms-provider.interface.js';
import {
  createSendRedactor,
  redactValues,
  type SecretRedactor,
} from '../settings/secret-redactor.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { sourceForLog, urlForLog } from '../settings/sms-settings.resolver.js';
import { elapsedMs } from '../sms.timing.js';
import { WeakMemo } from '../weak-memo.js';
import {
  SmsAddressRefusedError,
  SmsTransportError,
} from '../transport/sms-transport.error.js';
import type { PreparedSend } from './prepared-send.interface.js';
import type { SmsAttemptFailure } from './sms-retry.policy.js';

// The part of a provider's answer that goes into a log line, and of its error text into an error;
// both are cut after redaction, so that a cut never leaves part of a secret.
const LOGGED_RESPONSE_LIMIT = 2048;
const PROVIDER_TEXT_LIMIT = 500;

/** A failed attempt: the error a caller gets, how the retry policy judges it, and its log line. */
export interface FailedAttempt {
  error: SmsProviderError;
  judged: SmsAttemptFailure;
  logLine: string;
}

/**
 * Says what came of an attempt: the log line of a sent message, and for a failed one the public
 * error, the retry policy's view of it and its log line. Secrets of the settings, the send's
 * sensitive values and the text that carries them are redacted from all of it, where the error is
 * built, so that no host logging the error or its cause can repeat them; the API URL is logged
 * without its query.
 */
@Injectable()
export class SmsSendReporter {
  // Worked out once per settings object: parsing the URL on every send showed up in the profiles.
  private readonly loggedUrls = new WeakMemo((settings: SmsSettings) =>
    urlForLog(settings.apiUrl),
  );

  /** The log line of a message the provider took. */
  sentLine(send: PreparedSend, messageId: string | null, attempts: number) {
    const { settings } = send.resolved;
    return `SMS sent: provider=${settings.type} url=${this.loggedUrls.get(settings)} phone=${send.context.phone.e164} ${sourceForLog(send.resolved)} messageId=${messageId ?? '-'} segments=${send.context.segments} durationMs=${elapsedMs(send.started)}${attempts > 1 ? ` attempts=${attempts}` : ''}`;
  }

  /** An exchange that failed before a complete answer was read. */
  transportFailed(error: SmsTransportError, send: PreparedSend): FailedAttempt {
    const { settings } = send.resolved;
    const reason = this.redactorFor(send)(error.message);
    const details = {
      provider: settings.type,
      status: error.status,
      maybeSent: error.maybeSent,
      // A copy with the redacted text: loggers print an error's cause, message and stack.
      cause: new SmsTransportError({
        kind: error.kind,
        maybeSent: error.maybeSent,
        status: error.status,
        message: reason,
      }),
    };
    return {
      error:
        error.kind === 'timeout'
          ? new SmsTimeoutError(
              SMS_ERROR_MESSAGES.providerTimedOut(
                settings.type,
                error.maybeSent,
              ),
              details,
            )
          : new SmsProviderError(
              SMS_ERROR_MESSAGES.providerUnreachable(
                settings.type,
                error.kind,
                reason,
              ),
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
      logLine: `SMS failed: provider=${settings.type} url=${this.loggedUrls.get(settings)} phone=${send.context.phone.e164} ${sourceForLog(send.resolved)} failure=${error.kind} maybeSent=${error.maybeSent} durationMs=${elapsedMs(send.started)} reason=${reason}`,
    };
  }

  /** An answer the provider strategy read as a failure. */
  providerRefused(
    response: SmsHttpResponse,
    outcome: Extract<SmsProviderOutcome, { ok: false }>,
    send: PreparedSend,
  ): FailedAttempt {
    const { settings } = send.resolved;
    const redact = this.redactorFor(send);
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    const maybeSent = maybeSentAfter(response.status, retryAfterSeconds);
    const providerCode = keptText(outcome.providerCode, redact);
    const providerText = keptText(outcome.providerText, redact);
    const refusal = {
      provider: settings.type,
      status: response.status,
      providerCode,
      providerText,
      maybeSent,
      retryAfterSeconds,
    };
    return {
      error: new SmsProviderError(
        SMS_ERROR_MESSAGES.providerRefused(refusal),
        refusal,
      ),
      judged: {
        provider: settings.type,
        kind: 'refused',
        status: response.status,
        providerCode: outcome.providerCode,
        maybeSent,
        retryAfterSeconds,
      },
      logLine: this.refusedLine(response, send, redact),
    };
  }

  /** The redactor of a send: its settings' secrets, its sensitive values and their text. */
  private redactorFor(send: PreparedSend): SecretRedactor {
    return createSendRedactor(send.resolved.settings, send.context);
  }

  private refusedLine(
    response: SmsHttpResponse,
    send: PreparedSend,
    redact: SecretRedactor,
  ): string {
    const { settings } = send.resolved;
    const { message, sensitive } = send.context;
    const body = redact.redactAndCut(response.body, LOGGED_RESPONSE_LIMIT);
    return `SMS refused: provider=${settings.type} url=${this.loggedUrls.get(settings)} phone=${send.context.phone.e164} ${sourceForLog(send.resolved)} status=${response.status} durationMs=${elapsedMs(send.started)} message=${JSON.stringify(redactValues(message, sensitive))} response=${JSON.stringify(body)}`;
  }
}

/** A provider's code or text as an error carries it: redacted, then cut. */
function keptText(
  value: string | undefined,
  redact: SecretRedactor,
): string | undefined {
  return value === undefined
    ? undefined
    : redact.redactAndCut(value, PROVIDER_TEXT_LIMIT);
}

/**
 * The seconds a provider's `Retry-After` asks to wait: a number of seconds or an HTTP date.
 * Undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
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

/** True when a provider's failure answer leaves open whether the message went out. */
export function maybeSentAfter(
  status: number,
  retryAfterSeconds: number | undefined,
): boolean {
  if (status >= 500)
    return !(status === 503 && retryAfterSeconds !== undefined);
  // A 2xx with an error body, a 3xx we do not follow, or a 4xx: the provider did not take it.
  return false;
}

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
import type {
  SmsAttemptResult,
  SmsSendOutcome,
} from '../events/sms-event.interface.js';
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
  /** The log line's fields, for a logger that writes them out (JSON). */
  logFields: SmsSendLogFields;
  /** What the exchange came to, as counted per attempt. */
  result: SmsAttemptResult;
}

/**
 * The fields of a send's log line, passed to the logger beside the text (`logger.log(text, fields)`),
 * so that a structured (JSON) logger can write them out. They hold what the text line shows, no
 * more: the phone number as the line shows it, never a secret or the message text.
 */
export interface SmsSendLogFields {
  /** The send's id, the same on every attempt (Telia's `clientCorrelator`). */
  id: string;
  provider: string;
  source: 'site' | 'environment';
  /** The environment whose settings were used; null for the site's. */
  environment: string | null;
  /** What the send (or, on a line before a retry, this attempt) came to. */
  outcome: Extract<SmsSendOutcome, 'sent' | 'not_sent' | 'maybe_sent'>;
  /** The provider's message id; null when it gave none or did not take the message. */
  messageId: string | null;
  durationMs: number;
  phone: string;
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

  /** The log line of a message the provider took, and its fields. */
  sent(
    send: PreparedSend,
    messageId: string | null,
    attempts: number,
  ): { line: string; fields: SmsSendLogFields } {
    const { settings } = send.resolved;
    const fields = logFields(send, 'sent', messageId);
    return {
      line: `SMS sent: provider=${settings.type} url=${this.loggedUrls.get(settings)} phone=${fields.phone} ${sourceForLog(send.resolved)} messageId=${messageId ?? '-'} segments=${send.context.segments} durationMs=${fields.durationMs}${attempts > 1 ? ` attempts=${attempts}` : ''}`,
      fields,
    };
  }

  /** An exchange that failed before a complete answer was read. */
  transportFailed(error: SmsTransportError, send: PreparedSend): FailedAttempt {
    const { settings } = send.resolved;
    const reason = this.redactorFor(send)(error.message);
    const fields = logFields(send, outcomeOf(error.maybeSent), null);
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
      logLine: `SMS failed: provider=${settings.type} url=${this.loggedUrls.get(settings)} phone=${fields.phone} ${sourceForLog(send.resolved)} failure=${error.kind} maybeSent=${error.maybeSent} durationMs=${fields.durationMs} reason=${reason}`,
      logFields: fields,
      result: transportResult(error),
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
    const fields = logFields(send, outcomeOf(maybeSent), null);
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
      logLine: this.refusedLine(response, send, { redact, fields }),
      logFields: fields,
      result: statusResult(response.status),
    };
  }

  /** The redactor of a send: its settings' secrets, its sensitive values and their text. */
  private redactorFor(send: PreparedSend): SecretRedactor {
    return createSendRedactor(send.resolved.settings, send.context);
  }

  private refusedLine(
    response: SmsHttpResponse,
    send: PreparedSend,
    line: { redact: SecretRedactor; fields: SmsSendLogFields },
  ): string {
    const { settings } = send.resolved;
    const { message, sensitive } = send.context;
    const body = line.redact.redactAndCut(response.body, LOGGED_RESPONSE_LIMIT);
    return `SMS refused: provider=${settings.type} url=${this.loggedUrls.get(settings)} phone=${line.fields.phone} ${sourceForLog(send.resolved)} status=${response.status} durationMs=${line.fields.durationMs} message=${JSON.stringify(redactValues(message, sensitive))} response=${JSON.stringify(body)}`;
  }
}

/** The fields of a send's log line at this moment. */
function logFields(
  send: PreparedSend,
  outcome: SmsSendLogFields['outcome'],
  messageId: string | null,
): SmsSendLogFields {
  return {
    id: send.context.correlationId,
    provider: send.resolved.settings.type,
    source: send.resolved.source,
    environment: send.resolved.environment,
    outcome,
    messageId,
    durationMs: elapsedMs(send.started),
    phone: send.context.phone.e164,
  };
}

function outcomeOf(maybeSent: boolean): 'maybe_sent' | 'not_sent' {
  return maybeSent ? 'maybe_sent' : 'not_sent';
}

/**
 * The status class of an answer. A 1xx or 3xx (redirects are never followed) counts with the 4xx:
 * the provider did not take the message.
 */
export function statusResult(status: number): SmsAttemptResult {
  if (status >= 500) return '5xx';
  return status >= 200 && status < 300 ? '2xx' : '4xx';
}

/** What an exchange that failed before a complete answer came to. */
function transportResult(error: SmsTransportError): SmsAttemptResult {
  if (error.kind === 'timeout') return 'timeout';
  return error.status === undefined ? 'network' : statusResult(error.status);
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

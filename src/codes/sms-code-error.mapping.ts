import { STATUS_CODES } from 'node:http';
import { HttpStatus } from '@nestjs/common';
import { SmsProviderError, SmsTimeoutError } from '@app/sms';
import {
  SmsCodeCountryNotAllowedError,
  SmsCodeRateLimitError,
  SmsCodeRequestError,
  SmsCodeTemplateError,
  type SmsCodeLimit,
} from '@app/sms/codes/index.js';
import type { ErrorResponseDto } from '../errors/error-response.dto.js';

/** The body of an answer to a code error: the service's error shape and what the client can act on. */
export interface SmsCodeErrorBody extends ErrorResponseDto {
  /** The provider type (502, 504). */
  provider?: string;
  /** The HTTP status the provider answered with; null when it did not answer (502, 504). */
  providerStatus?: number | null;
  /** Always null (502, 504): nothing of a provider's answer is returned by the code API. */
  providerCode?: null;
  /** Whether the code may have reached the phone (502, 504). */
  maybeSent?: boolean;
  /** The request field at fault (400). */
  field?: string;
  /** The limit that refused the send (429). */
  limit?: SmsCodeLimit;
  /** Seconds until a send can succeed, as in `Retry-After` (429). */
  retryAfterSeconds?: number;
}

/** An HTTP answer: status, JSON body and headers. */
export interface SmsCodeErrorAnswer {
  body: SmsCodeErrorBody;
  headers: Record<string, string>;
}

/** The error classes {@link smsCodeErrorAnswer} maps. */
export const SMS_CODE_ERRORS = [
  SmsCodeRateLimitError,
  SmsCodeCountryNotAllowedError,
  SmsCodeRequestError,
  SmsCodeTemplateError,
  SmsProviderError,
] as const;

/**
 * The HTTP answer to an error of one-time codes, or undefined when it is not one: 429 with
 * `Retry-After` for a cooldown or cap, 400 naming the field for a refused country or request, and
 * 503 for a text that the environment's company name makes too long (its configuration must change),
 * and 502 or 504 for a provider failure, told in words of the service's own: a provider's answer
 * could repeat the message, and with it the code.
 */
export function smsCodeErrorAnswer(
  exception: unknown,
): SmsCodeErrorAnswer | undefined {
  if (exception instanceof SmsCodeRateLimitError) {
    const seconds = exception.retryAfterSeconds;
    return answer(
      HttpStatus.TOO_MANY_REQUESTS,
      exception.message,
      { limit: exception.limit, retryAfterSeconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }
  if (exception instanceof SmsCodeCountryNotAllowedError) {
    return answer(HttpStatus.BAD_REQUEST, exception.message, {
      field: 'phone',
    });
  }
  if (exception instanceof SmsCodeRequestError) {
    return answer(HttpStatus.BAD_REQUEST, exception.message, {
      field: exception.field,
    });
  }
  if (exception instanceof SmsCodeTemplateError) {
    return answer(HttpStatus.SERVICE_UNAVAILABLE, exception.message);
  }
  if (exception instanceof SmsProviderError) return providerFailed(exception);
  return undefined;
}

function providerFailed(exception: SmsProviderError): SmsCodeErrorAnswer {
  const timedOut = exception instanceof SmsTimeoutError;
  const failure = timedOut
    ? `${exception.provider} did not answer within the timeout`
    : exception.status === undefined
      ? `${exception.provider} could not be reached or the exchange failed`
      : `${exception.provider} refused the message with HTTP ${exception.status}`;
  const outcome = exception.maybeSent
    ? 'the code may have been sent and stays valid'
    : 'the code was not sent and is void';
  const retryAfter = exception.retryAfterSeconds;
  return answer(
    timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY,
    `${failure}; ${outcome}.`,
    {
      provider: exception.provider,
      providerStatus: exception.status ?? null,
      providerCode: null,
      maybeSent: exception.maybeSent,
    },
    retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
  );
}

function answer(
  statusCode: number,
  message: string,
  details: Omit<SmsCodeErrorBody, keyof ErrorResponseDto> = {},
  headers: Record<string, string> = {},
): SmsCodeErrorAnswer {
  return {
    body: {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message,
      ...details,
    },
    headers,
  };
}

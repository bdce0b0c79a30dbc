import { STATUS_CODES } from 'node:http';
import { HttpStatus } from '@nestjs/common';
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
] as const;

/**
 * The HTTP answer to an error of one-time codes, or undefined when it is not one: 429 with
 * `Retry-After` for a cooldown or cap, 400 naming the field for a refused country or request, and
 * 503 for a text that the environment's company name makes too long (its configuration must change).
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
  return undefined;
}

function answer(
  statusCode: number,
  message: string,
  details: Pick<SmsCodeErrorBody, 'field' | 'limit' | 'retryAfterSeconds'> = {},
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

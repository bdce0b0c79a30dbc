import { HttpStatus } from '@nestjs/common';
import { SmsCodeCountryNotAllowedError } from '../errors/codes/sms-code-country-not-allowed.error.js';
import { SmsCodeRateLimitError } from '../errors/codes/sms-code-rate-limit.error.js';
import { SmsCodeRequestError } from '../errors/codes/sms-code-request.error.js';
import { SmsCodeTemplateError } from '../errors/codes/sms-code-template.error.js';
import {
  SmsDeliveryReportInvalidError,
  SmsDeliveryReportNotFoundError,
} from '../errors/sms-delivery-report.error.js';
import { SmsNotConfiguredError } from '../errors/sms-not-configured.error.js';
import {
  SmsProviderError,
  SmsTimeoutError,
} from '../errors/sms-provider.error.js';
import { SmsSettingsError } from '../errors/sms-settings.error.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';
import { SmsEnvironmentNameError } from '../errors/sms-environment-name.error.js';
import { errorBody, type SmsErrorDetails } from './sms-error.body.js';
import { SmsHttpException } from './sms-http.exception.js';

/**
 * The HTTP answer to one of the library's errors, or undefined for any other error, and for
 * `SmsCodeOptionsError`: a configuration fault (at bootstrap, or a `companyName` function's blank
 * name at send time) that `SmsExceptionFilter` answers as an unexpected error, a logged 500.
 *
 * - 400 `SmsValidationError` (with `field`), `SmsSettingsError` (every problem as a line),
 *   `SmsCodeRequestError` (with `field`), `SmsCodeCountryNotAllowedError` (`field: phone`),
 *   `SmsEnvironmentNameError` (one line, `<source>: <rule>`, as a bad route parameter reads),
 *   `SmsDeliveryReportInvalidError`;
 * - 404 `SmsDeliveryReportNotFoundError`;
 * - 429 `SmsCodeRateLimitError`, with `limit`, `retryAfterSeconds` and the `Retry-After` header;
 * - 502 `SmsProviderError`, 504 `SmsTimeoutError`, with `provider`, `providerStatus`,
 *   `providerCode` and `maybeSent`, `failoverFrom` when the fallback failed too after a failover,
 *   and `Retry-After` when the provider sent one;
 * - 503 `SmsNotConfiguredError` and `SmsCodeTemplateError`.
 *
 * The message is the error's own. The provider's text is never a field of the body: a code send's
 * provider failure is told in the code service's words, with no `providerCode` (its provider
 * answer is only on the error's `cause`).
 */
export function toHttpException(error: unknown): SmsHttpException | undefined {
  if (error instanceof SmsValidationError)
    return answer(error, HttpStatus.BAD_REQUEST, { field: error.field });
  if (error instanceof SmsSettingsError) {
    const lines = error.problems.map((p) => `${p.path}: ${p.message}`);
    return answer(error, HttpStatus.BAD_REQUEST, {}, lines);
  }
  if (error instanceof SmsEnvironmentNameError)
    return answer(error, HttpStatus.BAD_REQUEST, {}, [
      `${error.source}: ${error.message}`,
    ]);
  if (error instanceof SmsCodeRequestError)
    return answer(error, HttpStatus.BAD_REQUEST, { field: error.field });
  if (error instanceof SmsCodeCountryNotAllowedError)
    return answer(error, HttpStatus.BAD_REQUEST, { field: 'phone' });
  if (error instanceof SmsDeliveryReportInvalidError)
    return answer(error, HttpStatus.BAD_REQUEST);
  if (error instanceof SmsDeliveryReportNotFoundError)
    return answer(error, HttpStatus.NOT_FOUND);
  if (error instanceof SmsCodeRateLimitError)
    return answer(error, HttpStatus.TOO_MANY_REQUESTS, {
      limit: error.limit,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  if (
    error instanceof SmsNotConfiguredError ||
    error instanceof SmsCodeTemplateError
  )
    return answer(error, HttpStatus.SERVICE_UNAVAILABLE);
  if (error instanceof SmsProviderError) return providerFailed(error);
  return undefined;
}

function providerFailed(error: SmsProviderError): SmsHttpException {
  // A timeout is a provider error too: both carry the provider's details.
  const status =
    error instanceof SmsTimeoutError
      ? HttpStatus.GATEWAY_TIMEOUT
      : HttpStatus.BAD_GATEWAY;
  return answer(error, status, {
    provider: error.provider,
    providerStatus: error.status ?? null,
    providerCode: error.providerCode ?? null,
    maybeSent: error.maybeSent,
    ...(error.failoverFrom === null
      ? {}
      : { failoverFrom: error.failoverFrom }),
  });
}

function answer(
  error: Error,
  statusCode: number,
  details: SmsErrorDetails = {},
  message: string | string[] = error.message,
): SmsHttpException {
  const body = errorBody(statusCode, message, details);
  return new SmsHttpException(body, retryAfterHeader(error), error);
}

/** `Retry-After` for a refusal that says when to try again: a code limit, or the provider's own. */
function retryAfterHeader(error: Error): Record<string, string> {
  const seconds =
    error instanceof SmsCodeRateLimitError || error instanceof SmsProviderError
      ? error.retryAfterSeconds
      : undefined;
  return seconds === undefined ? {} : { 'Retry-After': String(seconds) };
}

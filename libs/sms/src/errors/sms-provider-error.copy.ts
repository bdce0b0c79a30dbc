import {
  SmsProviderError,
  type SmsProviderErrorDetails,
} from './sms-provider.error.js';

/** A copy of a provider error with some details changed: the same class, message and cause. */
export function withProviderErrorDetails(
  error: SmsProviderError,
  changes: Partial<SmsProviderErrorDetails>,
): SmsProviderError {
  const ErrorClass = error.constructor as new (
    message: string,
    details: SmsProviderErrorDetails,
  ) => SmsProviderError;
  return new ErrorClass(error.message, {
    provider: error.provider,
    status: error.status,
    providerCode: error.providerCode,
    providerText: error.providerText,
    maybeSent: error.maybeSent,
    retryAfterSeconds: error.retryAfterSeconds,
    failoverFrom: error.failoverFrom,
    cause: error.cause,
    ...changes,
  });
}

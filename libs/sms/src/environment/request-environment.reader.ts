import { toHttpException } from '../http/sms-error.http-mapping.js';
import type { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

/**
 * The request's environment by `resolver`, with a bad name thrown as its 400 `SmsHttpException`:
 * an `HttpException`, so a host without `SmsExceptionFilter` answers the same body.
 */
export function readRequestEnvironment(
  resolver: SmsEnvironmentResolver,
  request: SmsEnvironmentRequest,
): string | undefined {
  try {
    return resolver.resolve(request);
  } catch (error) {
    throw toHttpException(error) ?? error;
  }
}

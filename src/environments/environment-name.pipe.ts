import { Injectable, type PipeTransform } from '@nestjs/common';
import {
  isSmsEnvironmentName,
  SmsEnvironmentNameError,
  toHttpException,
  type SmsHttpException,
} from '@app/sms';

/**
 * Refuses a route's `{environment}` that breaks the library's naming rule, for the admin routes,
 * which name the environment they store but send nothing; the sending routes resolve it with
 * `SmsEnvironmentInterceptor`. Both answer the same 400, with or without `SmsExceptionFilter`.
 */
@Injectable()
export class EnvironmentNamePipe implements PipeTransform<unknown, string> {
  /** @throws SmsHttpException 400 `environment: The environment name must be ...` */
  transform(value: unknown): string {
    if (!isSmsEnvironmentName(value))
      throw toHttpException(
        new SmsEnvironmentNameError('environment'),
      ) as SmsHttpException;
    return value;
  }
}

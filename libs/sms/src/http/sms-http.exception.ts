import { HttpException } from '@nestjs/common';
import type { SmsErrorBody } from './sms-error.body.js';

/**
 * An `HttpException` made from one of the library's errors (see `toHttpException`): the status,
 * the JSON body as `getResponse()`, the headers the answer must carry (`Retry-After`), and the
 * library's error as `cause`.
 */
export class SmsHttpException extends HttpException {
  constructor(
    /** The JSON body of the answer; its `statusCode` is the exception's status. */
    readonly body: SmsErrorBody,
    /** Headers to set on the answer, e.g. `{ 'Retry-After': '42' }`; empty when none. */
    readonly headers: Readonly<Record<string, string>>,
    /** The library's error. */
    cause: Error,
  ) {
    super(body, body.statusCode, { cause });
  }
}

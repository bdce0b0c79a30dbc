import { SmsError } from './sms.error.js';
import { SMS_ERROR_MESSAGES } from './sms-errors.messages.js';

/**
 * A request names an environment that breaks the naming rule (1 to 63 characters of `a-z 0-9 - _`,
 * starting with a letter or digit). Raised by `SmsEnvironmentResolver.resolve` before any handler
 * runs; the name itself is never part of the message, since it is whatever the client sent.
 */
export class SmsEnvironmentNameError extends SmsError {
  constructor(
    /** Where the request carried the name: a route parameter's or header's name, or `host`. */
    readonly source: string,
  ) {
    super(SMS_ERROR_MESSAGES.environmentNameInvalid());
  }
}

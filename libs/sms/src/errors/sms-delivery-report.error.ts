import { SMS_ERROR_MESSAGES } from './sms-errors.messages.js';
import { SmsError } from './sms.error.js';

/**
 * No message has that id, or the token is not its token: the same error for both, so that a
 * caller cannot tell which ids exist.
 */
export class SmsDeliveryReportNotFoundError extends SmsError {
  constructor() {
    super(SMS_ERROR_MESSAGES.deliveryReportNotFound());
  }
}

/** A delivery report that cannot be read, or that names another message. Nothing was stored. */
export class SmsDeliveryReportInvalidError extends SmsError {}

import { SmsError } from './sms.error.js';

/** The phone number or message text cannot be sent. Raised before any network call. */
export class SmsValidationError extends SmsError {
  constructor(
    readonly field: 'phone' | 'message',
    message: string,
  ) {
    super(message);
  }
}

import { SmsError } from './sms.error.js';

/**
 * The phone number or message text cannot be sent, or the send asked for a provider the settings
 * do not have (`use`). Raised before any network call.
 */
export class SmsValidationError extends SmsError {
  constructor(
    readonly field: 'phone' | 'message' | 'use',
    message: string,
  ) {
    super(message);
  }
}

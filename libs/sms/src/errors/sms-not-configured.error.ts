import { SMS_ERROR_MESSAGES } from './sms-errors.messages.js';
import { SmsError } from './sms.error.js';

/** Neither the environment nor the site has SMS settings. */
export class SmsNotConfiguredError extends SmsError {
  constructor(readonly environment: string | null) {
    super(SMS_ERROR_MESSAGES.notConfigured(environment));
  }
}

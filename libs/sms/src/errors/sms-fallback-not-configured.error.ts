import type { SmsSettingsOrigin } from '../settings/sms-settings.interface.js';
import { SMS_ERROR_MESSAGES } from './sms-errors.messages.js';
import { SmsValidationError } from './sms-validation.error.js';

/** A send asked for the fallback provider (`use: 'fallback'`) and the settings in use have none. */
export class SmsFallbackNotConfiguredError extends SmsValidationError {
  constructor(
    readonly environment: string | null,
    readonly source: SmsSettingsOrigin,
  ) {
    super('use', SMS_ERROR_MESSAGES.noFallback(environment, source));
  }
}

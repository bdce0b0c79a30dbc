import { SMS_ERROR_MESSAGES } from './sms-errors.messages.js';
import { SmsError } from './sms.error.js';

/** One failing settings field: its path (as the user wrote it) and why it fails. */
export interface SmsSettingsProblem {
  /** The field path, e.g. `Settings:Sms:ClientSecret` or `parameters[0].name`. */
  path: string;
  /** The full sentence, e.g. `The field ClientSecret is required for GatewayApi.` */
  message: string;
}

/** Settings were refused. Lists every failing field at once; never contains a secret value. */
export class SmsSettingsError extends SmsError {
  constructor(readonly problems: SmsSettingsProblem[]) {
    super(SMS_ERROR_MESSAGES.settingsInvalid(problems));
  }
}

import { SMS_ERROR_MESSAGES } from '../sms-errors.messages.js';
import type { SmsSettingsProblem } from '../sms-settings.error.js';
import { SmsError } from '../sms.error.js';

/** The module options were refused at bootstrap. Lists every problem at once; never shows the hash key. */
export class SmsCodeOptionsError extends SmsError {
  constructor(readonly problems: SmsSettingsProblem[]) {
    super(SMS_ERROR_MESSAGES.codeOptionsInvalid(problems));
  }
}

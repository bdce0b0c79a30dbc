import { SMS_ERROR_MESSAGES } from '../sms-errors.messages.js';
import { SmsError } from '../sms.error.js';

/** Which limit refused a send. */
export type SmsCodeLimit =
  /** A code for this number and purpose was sent less than the cooldown ago. */
  | 'cooldown'
  /** The number has had its codes for this hour. */
  | 'phone'
  /** The environment (or the site) has sent its codes for this hour. */
  | 'environment';

const MESSAGES: Record<SmsCodeLimit, (seconds: number) => string> = {
  cooldown: SMS_ERROR_MESSAGES.codeCooldown,
  phone: SMS_ERROR_MESSAGES.codePhoneLimit,
  environment: SMS_ERROR_MESSAGES.codeEnvironmentLimit,
};

/** A send was refused by a limit; nothing was sent. Try again after {@link retryAfterSeconds}. */
export class SmsCodeRateLimitError extends SmsError {
  constructor(
    readonly limit: SmsCodeLimit,
    /** Whole seconds until a send can succeed, at least 1. */
    readonly retryAfterSeconds: number,
  ) {
    super(MESSAGES[limit](retryAfterSeconds));
  }
}

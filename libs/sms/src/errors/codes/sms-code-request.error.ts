import { SmsError } from '../sms.error.js';

/** A field of a send or verify request is missing or not one of the accepted values. */
export class SmsCodeRequestError extends SmsError {
  constructor(
    readonly field: 'purpose' | 'code',
    message: string,
  ) {
    super(message);
  }
}

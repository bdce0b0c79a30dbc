// @ts-check
/** @import { SmsSendResult, SmsService } from '@nest-sms/sms' */

/** Sends login codes through the library's `SmsService`, as a feature of an app would. */
export class LoginCodes {
  /** @param {SmsService} sms */
  constructor(sms) {
    this.sms = sms;
  }

  /**
   * @param {string} phone
   * @param {string} code
   * @returns {Promise<SmsSendResult>}
   */
  sendCode(phone, code) {
    return this.sms.send({
      phone,
      message: `Your login code is ${code}`,
      sensitive: [code],
    });
  }
}

// @ts-check
import { Module } from '@nestjs/common';
import { SmsModule, SmsService } from '@nest-sms/sms';
import { LoginCodes } from './login-codes.js';
/** @import { SmsModuleOptions } from '@nest-sms/sms' */

/** `LoginCodes` built from the `SmsService` in scope: plain JavaScript needs no decorators. */
export const loginCodesProvider = {
  provide: LoginCodes,
  /** @param {SmsService} sms */
  useFactory: (sms) => new LoginCodes(sms),
  inject: [SmsService],
};

/**
 * The app's root module, declared by calling `Module()` on the class instead of decorating it.
 * @param {SmsModuleOptions} smsOptions
 */
export function createAppModule(smsOptions) {
  class AppModule {}
  Module({
    imports: [SmsModule.forRoot(smsOptions)],
    providers: [loginCodesProvider],
  })(AppModule);
  return AppModule;
}

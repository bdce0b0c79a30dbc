import type { Provider } from '@nestjs/common';
import { InMemorySmsCodeStore } from './store/in-memory-sms-code.store.js';
import { SmsCodeClock, SystemSmsCodeClock } from './sms-code.clock.js';
import {
  SMS_CODE_MODULE_OPTIONS,
  SMS_CODE_RESOLVED_OPTIONS,
} from './sms-code.module-definition.js';
import type { SmsCodeModuleOptions } from './options/sms-code-module-options.interface.js';
import { resolveSmsCodeOptions } from './options/sms-code-options.resolver.js';
import { SmsCodeSendLimiter } from './sms-code-send.limiter.js';
import { SmsCodeService } from './sms-code.service.js';
import { SmsCodeStore } from './store/sms-code.store.js';

/** The module's providers: the checked options, the store, the clock, the limits and the service. */
export function createSmsCodeProviders(): Provider[] {
  return [
    {
      provide: SMS_CODE_RESOLVED_OPTIONS,
      inject: [SMS_CODE_MODULE_OPTIONS],
      // Runs once at bootstrap: bad options and overlong templates stop the application here.
      useFactory: (options: SmsCodeModuleOptions) =>
        resolveSmsCodeOptions(options),
    },
    {
      provide: SmsCodeStore,
      // The options are resolved first, so that a store is never used with options that failed.
      inject: [SMS_CODE_MODULE_OPTIONS, SMS_CODE_RESOLVED_OPTIONS],
      useFactory: (options: SmsCodeModuleOptions) =>
        options.store ?? new InMemorySmsCodeStore(),
    },
    {
      provide: SmsCodeClock,
      inject: [SMS_CODE_MODULE_OPTIONS],
      useFactory: (options: SmsCodeModuleOptions) =>
        options.clock ?? new SystemSmsCodeClock(),
    },
    SmsCodeSendLimiter,
    SmsCodeService,
  ];
}

import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SmsCodeModuleOptions } from './options/sms-code-module-options.interface.js';

/** Extras of `SmsCodeModule.forRoot` and `SmsCodeModule.forRootAsync`. */
export interface SmsCodeModuleExtras {
  /** Registers the module globally. @default false */
  isGlobal: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableSmsCodeModule,
  MODULE_OPTIONS_TOKEN: SMS_CODE_MODULE_OPTIONS,
  OPTIONS_TYPE: SMS_CODE_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SMS_CODE_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SmsCodeModuleOptions>({
  moduleName: 'SmsCode',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSmsCodeOptions')
  .setExtras<SmsCodeModuleExtras>(
    { isGlobal: false },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }),
  )
  .build();

/** Injection token of the validated options with their defaults (`ResolvedSmsCodeOptions`). */
export const SMS_CODE_RESOLVED_OPTIONS = Symbol('SMS_CODE_RESOLVED_OPTIONS');

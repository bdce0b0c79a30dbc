import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SmsModuleOptions } from './sms-module-options.interface.js';

/** Extras of `SmsModule.forRoot` and `SmsModule.forRootAsync`. */
export interface SmsModuleExtras {
  /** Registers the module globally. @default false */
  isGlobal: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableSmsModule,
  MODULE_OPTIONS_TOKEN: SMS_MODULE_OPTIONS,
  OPTIONS_TYPE: SMS_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SMS_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SmsModuleOptions>({ moduleName: 'Sms' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSmsOptions')
  .setExtras<SmsModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

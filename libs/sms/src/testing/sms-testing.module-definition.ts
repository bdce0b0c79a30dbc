import { ConfigurableModuleBuilder } from '@nestjs/common';

/** Extras of `SmsTestingModule.forRoot`. */
export interface SmsTestingModuleExtras {
  /**
   * Registers the module globally, so that every module of the test sees `SmsService`, as an
   * application that registers `SmsModule` globally sees it.
   * @default true
   */
  isGlobal: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableSmsTestingModule,
  OPTIONS_TYPE: SMS_TESTING_MODULE_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<object>({ moduleName: 'SmsTesting' })
  .setClassMethodName('forRoot')
  .setExtras<SmsTestingModuleExtras>(
    { isGlobal: true },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }),
  )
  .build();

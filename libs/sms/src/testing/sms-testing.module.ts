import { Module, type DynamicModule } from '@nestjs/common';
import {
  ConfigurableSmsTestingModule,
  SMS_TESTING_MODULE_OPTIONS_TYPE,
} from './sms-testing.module-definition.js';
import { SmsRecordingModule } from './sms-recording.module.js';

/**
 * Import instead of `SmsModule` in tests: `SmsService` is replaced by `RecordingSmsService`, which
 * records messages and sends nothing, and `SmsSettingsSource` by an `InMemorySmsSettingsSource`
 * (injectable as itself too). However often it is imported, there is one recorder per application.
 *
 * ```ts
 * const moduleRef = await Test.createTestingModule({ imports: [SmsTestingModule.forRoot(), LoginModule] }).compile();
 * const sms = moduleRef.get(RecordingSmsService);
 * ```
 */
@Module({
  imports: [SmsRecordingModule],
  exports: [SmsRecordingModule],
})
export class SmsTestingModule extends ConfigurableSmsTestingModule {
  /** The testing module, global unless `isGlobal` is false. */
  static override forRoot(
    options: typeof SMS_TESTING_MODULE_OPTIONS_TYPE = {},
  ): DynamicModule {
    return super.forRoot(options);
  }
}

import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigurableSmsCodeModule } from './sms-code.module-definition.js';
import { createSmsCodeProviders } from './sms-code.providers.js';
import { SmsCodeClock } from './sms-code.clock.js';
import { SmsCodeService } from './sms-code.service.js';
import { SmsCodeStore } from './store/sms-code.store.js';

/**
 * One-time codes over SMS: passwordless login, phone confirmation, setting a password and
 * two-factor sign-in. Sends through `SmsService`, so register `SmsModule` globally (or pass it in
 * `imports` of `forRootAsync`).
 *
 * ```ts
 * SmsCodeModule.forRoot({ hashKey: process.env.SMS_CODE_KEY, companyName: 'Acme' })
 * SmsCodeModule.forRootAsync({ inject: [ConfigService], useFactory: (config) => ({ ... }) })
 * ```
 */
@Module({
  providers: createSmsCodeProviders(),
  exports: [SmsCodeService, SmsCodeStore, SmsCodeClock],
})
export class SmsCodeModule
  extends ConfigurableSmsCodeModule
  implements OnApplicationShutdown
{
  constructor(private readonly store: SmsCodeStore) {
    super();
  }

  /** Closes the store, after every module has finished its own shutdown work. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SmsSettingsSource } from '@app/sms';
import { SmsCodeModule } from '@app/sms/codes/index.js';
import { createSmsCodeModuleOptions } from './sms-code-module-options.factory.js';
import { SmsCodesController } from './sms-codes.controller.js';

/**
 * The one-time code API: `POST /environments/{environment}/sms/codes` and `.../codes/verify`. Needs
 * the global `ConfigModule` (`store`, `security`, `sms` and, when present, `codes`) and a global
 * `SmsModule`, whose `SmsSettingsSource` gives each environment's company name.
 */
@Module({
  imports: [
    SmsCodeModule.forRootAsync({
      inject: [ConfigService, SmsSettingsSource],
      useFactory: createSmsCodeModuleOptions,
    }),
  ],
  controllers: [SmsCodesController],
})
export class SmsCodesApiModule {}

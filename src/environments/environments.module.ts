import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SecurityConfig } from '../config/service-config.interface.js';
import { StoreModule } from './store/store.module.js';
import { EnvironmentSettingsController } from './environment-settings.controller.js';
import { EnvironmentSettingsService } from './environment-settings.service.js';
import { OutboundUrlPolicy } from './outbound-url.policy.js';

/**
 * The admin API of environments' SMS settings (`PUT/GET/DELETE /environments/{environment}/sms`),
 * on the store of {@link StoreModule}, which it re-exports so that the app can hand
 * `EnvironmentSettingsStore` to the `SmsModule` as its settings source.
 */
@Module({
  imports: [StoreModule],
  controllers: [EnvironmentSettingsController],
  providers: [
    EnvironmentSettingsService,
    {
      provide: OutboundUrlPolicy,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        new OutboundUrlPolicy({
          allowPrivateNetworkUrls:
            config.get<SecurityConfig>('security')?.allowPrivateNetworkUrls ??
            false,
        }),
    },
  ],
  exports: [StoreModule, EnvironmentSettingsService],
})
export class EnvironmentsModule {}

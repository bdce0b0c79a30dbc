import { Module } from '@nestjs/common';
import { ConfigurableSmsModule } from './sms.module-definition.js';
import { createSmsProviders } from './sms.providers.js';
import { SmsService } from './sms.service.js';
import { SmsConnectionVerifier } from './connection-check/sms-connection.verifier.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from './settings/sms-settings.source.js';
import { SmsProviderRegistry } from './providers/sms-provider.registry.js';
import { SmsEvents } from './events/sms-events.js';
import { SmsEnvironmentResolver } from './environment/sms-environment.resolver.js';
import { SmsEnvironmentInterceptor } from './environment/sms-environment.interceptor.js';
import { SmsEnvironmentMiddleware } from './environment/sms-environment.middleware.js';
import {
  InMemorySmsMessageRecordSource,
  SmsMessageRecordSource,
} from './messages/sms-message-record.source.js';
import { SmsMessageKeys } from './messages/sms-message.keys.js';
import { SmsDeliveryReportHandler } from './messages/sms-delivery-report.handler.js';
import { SmsMessageRecords } from './messages/sms-message-records.js';
import { createSmsHttpModule } from './transport/sms-http-transport.factory.js';

/**
 * Sends SMS through Access URL, Gateway API, Smstools, Telia SMS Gateway or a provider of your own.
 *
 * ```ts
 * SmsModule.forRoot({ settings: { Type: 'GatewayApi', FromName: 'Acme', ApiUrl: '...', ClientSecret: '...' } })
 * SmsModule.forRootAsync({ inject: [ConfigService], useFactory: (config) => ({ settings: config.get('Settings.Sms') }) })
 * ```
 */
@Module({
  // Private: the library's own axios instance, with its own defaults; the host's is untouched.
  imports: [createSmsHttpModule()],
  providers: createSmsProviders(),
  exports: [
    SmsService,
    SmsConnectionVerifier,
    SmsSettingsSource,
    InMemorySmsSettingsSource,
    SmsProviderRegistry,
    SmsEvents,
    SmsEnvironmentResolver,
    SmsEnvironmentInterceptor,
    SmsEnvironmentMiddleware,
    SmsMessageRecordSource,
    InMemorySmsMessageRecordSource,
    SmsMessageKeys,
    SmsDeliveryReportHandler,
    SmsMessageRecords,
  ],
})
export class SmsModule extends ConfigurableSmsModule {}

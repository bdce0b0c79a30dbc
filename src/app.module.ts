import {
  Module,
  type DynamicModule,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { SmsExceptionFilter, SmsModule } from '@app/sms';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import type { ServiceConfig } from './config/service-config.interface.js';
import {
  serviceConfigNamespaces,
  serviceConfigToken,
} from './config/service-config.namespaces.js';
import { ServiceSmsOptionsFactory } from './config/sms-module-options.factory.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { HealthModule } from './health/health.module.js';
import { SmsTestModule } from './sms-test/sms-test.module.js';
import { SmsVerifyModule } from './sms-verify/sms-verify.module.js';
import { SmsCodesApiModule } from './codes/sms-codes-api.module.js';
import { StoreHealthIndicator } from './health/store-health.indicator.js';
import { StoreModule } from './environments/store/store.module.js';
import { createThrottlerStorage } from './throttling/throttler-storage.factory.js';
import { ThrottlingModule } from './throttling/throttling.module.js';
import { InFlightDrain } from './shutdown/in-flight.drain.js';
import { ShutdownModule } from './shutdown/shutdown.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MessagesApiModule } from './messages/messages-api.module.js';
import { MessageRecordStoreModule } from './messages/store/message-record-store.module.js';

/**
 * The service: the SMS library wired to the configuration and to the store of environment
 * settings, the API-key guard, the error filter, the test-send API with its limits, the
 * environments' admin API, the health endpoint, `GET /metrics` (unless `Settings:Metrics:Enabled` is
 * false), and the drain that lets requests in flight finish
 * at shutdown.
 */
@Module({})
export class AppModule implements OnModuleDestroy {
  constructor(private readonly drain: InFlightDrain) {}

  /** The application for a loaded and validated configuration (see `loadServiceConfig`). */
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          // The configuration is loaded and validated before the application is built.
          ignoreEnvFile: true,
          load: serviceConfigNamespaces(config),
        }),
        // Global: environment modules use SmsService too, and its connections are closed last.
        SmsModule.forRootAsync({
          isGlobal: true,
          imports: [StoreModule, MessageRecordStoreModule],
          useClass: ServiceSmsOptionsFactory,
        }),
        ThrottlingModule.forRoot({
          storage: {
            inject: [serviceConfigToken('store')],
            useFactory: createThrottlerStorage,
          },
        }),
        HealthModule.forRoot({
          imports: [StoreModule],
          indicators: [StoreHealthIndicator],
        }),
        ShutdownModule,
        SmsTestModule,
        SmsVerifyModule,
        EnvironmentsModule,
        SmsCodesApiModule,
        ...(config.metrics.enabled ? [MetricsModule] : []),
        MessagesApiModule,
      ],
      providers: [
        ApiKeyAuthenticator,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: SmsExceptionFilter },
      ],
    };
  }

  /**
   * The root module is shut down first: the requests in flight finish (within the drain's bound)
   * before any other module closes the provider connections or the store they use.
   */
  onModuleDestroy(): Promise<void> {
    return this.drain.drain();
  }
}

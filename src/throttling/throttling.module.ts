import {
  Module,
  type ClassProvider,
  type DynamicModule,
  type ExistingProvider,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import {
  ThrottlerModule,
  ThrottlerStorageService,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { ApiConfig } from '../config/service-config.interface.js';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import {
  createApiLimitsThrottlerOptions,
  API_LIMITS_THROTTLER_STORAGE,
} from './api-limits.throttler-options.js';

/** How the storage of the counters is made, as a Nest provider without its token. */
export type ThrottlerStorageProvider =
  | Omit<ClassProvider<ThrottlerStorage>, 'provide'>
  | Omit<FactoryProvider<ThrottlerStorage>, 'provide'>
  | Omit<ExistingProvider<ThrottlerStorage>, 'provide'>;

/** Options of {@link ThrottlingModule.forRoot}. */
export interface ThrottlingModuleOptions {
  /** Modules that provide what the storage needs (e.g. a database pool). @default [] */
  imports?: ModuleMetadata['imports'];
  /**
   * The storage of the counters.
   * @default `{ useClass: ThrottlerStorageService }`: in memory, per instance
   */
  storage?: ThrottlerStorageProvider;
}

/** Holds the storage provider, so that the throttler's options can be built from it. */
@Module({})
class ThrottlerStorageHostModule {}

/**
 * The test-send and connection-check limits (`Settings:Api:TestSendLimitPerKey`,
 * `TestSendLimitPerPhone`, `VerifyLimitPerKey`, `TestSendWindowSeconds`) on `@nestjs/throttler`, with
 * a storage that can be replaced.
 */
@Module({})
export class ThrottlingModule {
  /** Registers the limits; `storage` replaces the in-memory counters. */
  static forRoot(options: ThrottlingModuleOptions = {}): DynamicModule {
    const storageHost: DynamicModule = {
      module: ThrottlerStorageHostModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: API_LIMITS_THROTTLER_STORAGE,
          ...(options.storage ?? { useClass: ThrottlerStorageService }),
        },
      ],
      exports: [API_LIMITS_THROTTLER_STORAGE],
    };
    return {
      module: ThrottlingModule,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [storageHost],
          inject: [serviceConfigToken('api'), API_LIMITS_THROTTLER_STORAGE],
          useFactory: (api: ApiConfig, storage: ThrottlerStorage) =>
            createApiLimitsThrottlerOptions(api, storage),
        }),
      ],
    };
  }
}

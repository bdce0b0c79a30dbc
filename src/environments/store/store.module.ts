import { Module, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StoreConfig } from '../../config/service-config.interface.js';
import {
  ENCRYPTION_KEY_RING,
  encryptionKeyRingProvider,
} from '../../encryption/encryption-key.provider.js';
import type { EncryptionKeyRing } from '../../encryption/encryption-key.ring.js';
import { createEnvironmentSettingsStore } from './environment-settings-store.factory.js';
import { EnvironmentSettingsStore } from './environment-settings.store.js';

/**
 * Provides {@link EnvironmentSettingsStore}: SQLite or PostgreSQL as `Settings:Store:Url` says, with
 * secrets encrypted by `Settings:Security:EncryptionKey`. Reads the `store` and `security`
 * configuration through the global `ConfigService`. Closes the store when the application shuts down.
 */
@Module({
  providers: [
    encryptionKeyRingProvider,
    {
      provide: EnvironmentSettingsStore,
      inject: [ConfigService, ENCRYPTION_KEY_RING],
      useFactory: (config: ConfigService, keyRing: EncryptionKeyRing) =>
        createEnvironmentSettingsStore({
          url: config.getOrThrow<StoreConfig>('store').url,
          keyRing,
        }),
    },
  ],
  exports: [EnvironmentSettingsStore],
})
export class StoreModule implements OnModuleDestroy {
  constructor(private readonly store: EnvironmentSettingsStore) {}

  /** Closes the database connections. */
  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}

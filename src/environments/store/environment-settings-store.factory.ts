import type { EncryptionKeyRing } from '../../encryption/encryption-key.ring.js';
import type { EnvironmentSettingsStore } from './environment-settings.store.js';
import { PostgresEnvironmentSettingsStore } from './postgres-environment-settings.store.js';
import { SettingsCipher } from '../../encryption/settings-cipher.js';
import { SqliteEnvironmentSettingsStore } from './sqlite-environment-settings.store.js';
import { parseStoreUrl } from '../../database/store-url.js';

/** Options of {@link createEnvironmentSettingsStore}. */
export interface EnvironmentSettingsStoreOptions {
  /** `sqlite:<path>`, `sqlite::memory:` or a `postgres://` URL (`Settings:Store:Url`). */
  url: string;
  /** The keys that encrypt and decrypt the secret fields. */
  keyRing: EncryptionKeyRing;
  /**
   * How many environments' settings are kept decrypted in memory.
   * @default 10000
   */
  cacheSize?: number;
}

/** Opens the store that the URL names, with its schema up to date. */
export async function createEnvironmentSettingsStore(
  options: EnvironmentSettingsStoreOptions,
): Promise<EnvironmentSettingsStore> {
  const location = parseStoreUrl(options.url);
  const cipher = new SettingsCipher(options.keyRing);
  switch (location.kind) {
    case 'sqlite':
      return new SqliteEnvironmentSettingsStore({
        path: location.path,
        cipher,
        cacheSize: options.cacheSize,
      });
    case 'postgres':
      return PostgresEnvironmentSettingsStore.open({
        connectionString: location.connectionString,
        cipher,
        cacheSize: options.cacheSize,
      });
  }
}

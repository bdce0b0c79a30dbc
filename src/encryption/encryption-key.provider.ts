import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Logger, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type {
  SecurityConfig,
  StoreConfig,
} from '../config/service-config.interface.js';
import {
  createEncryptionKeyRing,
  ENCRYPTION_KEY_BYTES,
  parseEncryptionKey,
  type EncryptionKey,
  type EncryptionKeyRing,
} from './encryption-key.ring.js';
import { parseStoreUrl, SQLITE_MEMORY_PATH } from '../database/store-url.js';
import { StoreConfigurationError } from '../database/store.errors.js';

/** Injection token of the {@link EncryptionKeyRing} that protects environment secrets at rest. */
export const ENCRYPTION_KEY_RING = Symbol('ENCRYPTION_KEY_RING');

/** The name of the key file generated next to a SQLite database when no key is configured. */
export const GENERATED_KEY_FILE_NAME = 'sms-encryption.key';

/**
 * `Settings:Security` as the store reads it: the service's {@link SecurityConfig} and, optionally,
 * `Settings:Security:PreviousEncryptionKeys`.
 */
export interface StoreSecurityConfig extends Pick<
  SecurityConfig,
  'encryptionKey'
> {
  /**
   * Keys (base64 of 32 bytes) used only to decrypt records written before a key rotation: put the
   * old `EncryptionKey` here when configuring a new one, and remove it once every environment's
   * settings have been written again.
   * @default []
   */
  previousEncryptionKeys?: string[];
}

/**
 * Decides the encryption keys from the configuration:
 * - `Settings:Security:EncryptionKey` when set (and `PreviousEncryptionKeys` for decryption only);
 * - otherwise, for a SQLite file, a key generated once into `sms-encryption.key` next to the
 *   database (mode 0600), with a warning; for `sqlite::memory:` a key that lives as long as the data;
 * - otherwise (PostgreSQL) a start-up error: instances sharing a database must share the key.
 *
 * A key file generated earlier stays usable for decryption after a key is configured.
 */
export function resolveEncryptionKeyRing(
  store: StoreConfig,
  security: StoreSecurityConfig,
  logger = new Logger('EnvironmentSettingsStore'),
): EncryptionKeyRing {
  const location = parseStoreUrl(store.url);
  const previous = (security.previousEncryptionKeys ?? []).map((value, index) =>
    parseEncryptionKey(
      value,
      `Settings:Security:PreviousEncryptionKeys:${index}`,
    ),
  );
  const keyFile =
    location.kind === 'sqlite' && location.path !== SQLITE_MEMORY_PATH
      ? join(dirname(resolve(location.path)), GENERATED_KEY_FILE_NAME)
      : undefined;

  if (security.encryptionKey) {
    const current = parseEncryptionKey(
      security.encryptionKey,
      'Settings:Security:EncryptionKey',
    );
    const generated = keyFile ? readKeyFile(keyFile) : undefined;
    return createEncryptionKeyRing(
      current,
      generated ? [...previous, generated] : previous,
    );
  }
  if (location.kind === 'postgres') {
    throw new StoreConfigurationError(
      'Settings:Security:EncryptionKey',
      'The field EncryptionKey is required with a PostgreSQL store, and every instance must use the same key. Generate one with "openssl rand -base64 32".',
    );
  }
  if (!keyFile) return createEncryptionKeyRing(generateKey(), previous);

  const existing = readKeyFile(keyFile);
  if (existing) return createEncryptionKeyRing(existing, previous);
  const created = createKeyFile(keyFile);
  logger.warn(
    `Settings:Security:EncryptionKey is not set: environment secrets are encrypted with a key generated into ${keyFile}. Back this file up with the database, or configure a key of your own.`,
  );
  return createEncryptionKeyRing(created, previous);
}

/** Nest provider of {@link ENCRYPTION_KEY_RING}, from the `store` and `security` configuration. */
export const encryptionKeyRingProvider: Provider = {
  provide: ENCRYPTION_KEY_RING,
  inject: [ConfigService],
  useFactory: (config: ConfigService): EncryptionKeyRing =>
    resolveEncryptionKeyRing(
      config.getOrThrow<StoreConfig>('store'),
      config.get<StoreSecurityConfig>('security') ?? {},
    ),
};

function generateKey(): EncryptionKey {
  return parseEncryptionKey(
    randomBytes(ENCRYPTION_KEY_BYTES).toString('base64'),
    'generated',
  );
}

function readKeyFile(file: string): EncryptionKey | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseEncryptionKey(text, `The key file ${file}`);
}

function createKeyFile(file: string): EncryptionKey {
  mkdirSync(dirname(file), { recursive: true });
  const key = generateKey();
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${key.key.toString('base64')}\n`, { mode: 0o600 });
  try {
    // The mode given to writeFileSync is reduced by the umask; the key must not be readable by others.
    chmodSync(temporary, 0o600);
    // A hard link appears whole or not at all, and fails when the file exists: when two processes
    // start at once on the same folder, the second one uses the first one's key.
    linkSync(temporary, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const existing = readKeyFile(file);
    if (!existing) throw error;
    return existing;
  } finally {
    rmSync(temporary, { force: true });
  }
}

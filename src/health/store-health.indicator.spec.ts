import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEncryptionKeyRing,
  parseEncryptionKey,
} from '../encryption/encryption-key.ring.js';
import { SettingsCipher } from '../encryption/settings-cipher.js';
import { SqliteEnvironmentSettingsStore } from '../environments/store/sqlite-environment-settings.store.js';
import { StoreHealthIndicator } from './store-health.indicator.js';

describe('StoreHealthIndicator', () => {
  it('is ok while the store answers, and degraded once it does not', async () => {
    const key = parseEncryptionKey(
      randomBytes(32).toString('base64'),
      'test key',
    );
    const store = new SqliteEnvironmentSettingsStore({
      path: ':memory:',
      cipher: new SettingsCipher(createEncryptionKeyRing(key)),
    });
    const indicator = new StoreHealthIndicator(store);
    expect(indicator.name).toBe('store');
    expect(await indicator.check()).toEqual({ status: 'ok' });
    await store.close();
    expect(await indicator.check()).toEqual({
      status: 'degraded',
      reason: 'The environment settings store does not answer.',
    });
  });
});

import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SmsSettings } from '@app/sms';
import {
  createEncryptionKeyRing,
  parseEncryptionKey,
  type EncryptionKey,
} from './encryption-key.ring.js';
import { SettingsCipher } from './settings-cipher.js';
import { SettingsDecryptionError } from '../database/store.errors.js';

const key = () =>
  parseEncryptionKey(randomBytes(32).toString('base64'), 'test key');

/**
 * A record as versions before this one sealed it: the API URL whole and placeholder values in the
 * clear fields, only fixed parameter values encrypted.
 */
function legacyRecord(
  encryptionKey: EncryptionKey,
  environment: string,
  clear: object,
  secrets: object,
) {
  const settings = JSON.stringify(clear);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey.key, iv);
  cipher.setAAD(
    Buffer.from(
      `nest-sms/environment-settings/v1\0${environment}\0${settings}`,
    ),
  );
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(secrets), 'utf8'),
    cipher.final(),
  ]);
  const sealed = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  return {
    settings,
    secrets: `v1.${sealed.toString('base64')}`,
    keyId: encryptionKey.id,
  };
}

const settings: SmsSettings = {
  type: 'AccessUrl',
  fromName: 'Acme',
  apiUrl: 'https://access.example/sms/',
  parameters: [
    { name: 'password', value: 'p4ssw0rd-fixed' },
    { name: 'empty', value: '' },
    { name: 'to', value: '{phone}' },
    { name: 'text', value: 'Code {message}' },
  ],
};

describe('SettingsCipher', () => {
  const cipher = new SettingsCipher(createEncryptionKeyRing(key()));

  it('keeps clear fields readable and puts secret values only in the ciphertext', () => {
    const sealed = cipher.seal('acme', {
      ...settings,
      type: 'TeliaSmsGateway',
      clientSecret: 'the-client-secret',
      certificatePemKey:
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    });
    const clear = JSON.parse(sealed.settings);
    expect(clear).not.toHaveProperty('clientSecret');
    expect(clear).not.toHaveProperty('certificatePemKey');
    expect(clear.parameters).toEqual([
      { name: 'password' },
      { name: 'empty' },
      { name: 'to' },
      { name: 'text' },
    ]);
    expect(sealed.secrets).toMatch(/^v1\.[A-Za-z0-9+/]+=*$/);
    expect(sealed.secrets).not.toContain('p4ssw0rd');
    expect(sealed.keyId).toBe(cipher.currentKeyId);
  });

  it("seals the fallback's secrets like the primary's, and opens them again", () => {
    const withFallback: SmsSettings = {
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gateway.example/rest/mtsms',
      clientSecret: 'primary-secret-1',
      fallback: {
        ...settings,
        apiUrl: 'https://access.example/sms/?key=fallback-query-secret',
      },
    };

    const sealed = cipher.seal('acme', withFallback);

    const clear = JSON.parse(sealed.settings);
    expect(clear.fallback.parameters).toEqual(
      settings.parameters?.map(({ name }) => ({ name })),
    );
    expect(clear.fallback.apiUrl).toBe('https://access.example/sms/');
    expect(sealed.settings).not.toContain('p4ssw0rd');
    expect(sealed.settings).not.toContain('fallback-query-secret');
    expect(cipher.open('acme', sealed)).toEqual(withFallback);
  });

  it('opens what it sealed', () => {
    expect(cipher.open('acme', cipher.seal('acme', settings))).toEqual(
      settings,
    );
  });

  it('keeps an API URL query only in the ciphertext, and binds the rest of the URL', () => {
    const withQuery: SmsSettings = {
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gateway.example/rest/mtsms?token=query-secret-1',
      clientSecret: 'the-client-secret',
    };

    const sealed = cipher.seal('acme', withQuery);

    expect(JSON.parse(sealed.settings).apiUrl).toBe(
      'https://gateway.example/rest/mtsms',
    );
    expect(cipher.open('acme', sealed)).toEqual(withQuery);
  });

  it('reads a record written before API URL queries and placeholder values were encrypted', () => {
    const current = key();
    const reader = new SettingsCipher(createEncryptionKeyRing(current));
    const record = legacyRecord(
      current,
      'acme',
      {
        type: 'AccessUrl',
        fromName: 'Acme',
        apiUrl: 'https://access.example/sms/',
        parameters: [{ name: 'password' }, { name: 'to', value: '{phone}' }],
      },
      { parameterValues: { 0: 'p4ssw0rd-fixed' } },
    );

    expect(reader.open('acme', record)).toEqual({
      type: 'AccessUrl',
      fromName: 'Acme',
      apiUrl: 'https://access.example/sms/',
      parameters: [
        { name: 'password', value: 'p4ssw0rd-fixed' },
        { name: 'to', value: '{phone}' },
      ],
    });
    const gateway = {
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gateway.example/rest/mtsms?token=written-in-clear',
    };
    expect(
      reader.open(
        'acme',
        legacyRecord(current, 'acme', gateway, { clientSecret: 'gw-secret' }),
      ),
    ).toEqual({ ...gateway, clientSecret: 'gw-secret' });
  });

  it('uses a fresh IV for every record', () => {
    const first = cipher.seal('acme', settings).secrets;
    const second = cipher.seal('acme', settings).secrets;
    expect(first).not.toBe(second);
    const iv = (sealed: string) =>
      Buffer.from(sealed.slice(3), 'base64').subarray(0, 12);
    expect(iv(first).equals(iv(second))).toBe(false);
  });

  it('refuses secrets moved to another environment', () => {
    const sealed = cipher.seal('acme', settings);
    expect(() => cipher.open('other', sealed)).toThrow(SettingsDecryptionError);
  });

  it('refuses a record whose clear fields were changed', () => {
    const sealed = cipher.seal('acme', settings);
    const altered = {
      ...sealed,
      settings: sealed.settings.replace('access.example', 'attacker.example'),
    };
    expect(() => cipher.open('acme', altered)).toThrow(
      /could not be decrypted/,
    );
  });

  it('names an unknown key id and where to configure it', () => {
    const sealed = new SettingsCipher(createEncryptionKeyRing(key())).seal(
      'acme',
      settings,
    );
    expect(() => cipher.open('acme', sealed)).toThrow(
      new RegExp(`key ${sealed.keyId}, which is not configured`),
    );
  });

  it('reports a malformed record without crashing', () => {
    const sealed = cipher.seal('acme', settings);
    expect(() =>
      cipher.open('acme', { ...sealed, secrets: 'v9.AAAA' }),
    ).toThrow(/malformed/);
  });

  it('decrypts with a previous key', () => {
    const old = key();
    const sealed = new SettingsCipher(createEncryptionKeyRing(old)).seal(
      'acme',
      settings,
    );
    const rotated = new SettingsCipher(createEncryptionKeyRing(key(), [old]));
    expect(rotated.open('acme', sealed)).toEqual(settings);
  });
});

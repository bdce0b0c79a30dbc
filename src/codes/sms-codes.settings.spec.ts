import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { InMemorySmsSettingsSource, SmsNotConfiguredError } from '@app/sms';
import { companyNameFromSettings } from './sms-code-module-options.factory.js';
import { deriveSmsCodeHashKey } from './sms-code-hash-key.js';
import { SmsCodesSettings, toSmsCodesConfig } from './sms-codes.settings.js';

/** Reads `Settings:Codes` as the service's validation does: types converted, unknown keys refused. */
function read(section: Record<string, unknown>) {
  const settings = plainToInstance(SmsCodesSettings, section);
  const problems = validateSync(settings, {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).flatMap((e) => [
    ...Object.values(e.constraints ?? {}),
    ...(e.children ?? []).flatMap((c) => Object.values(c.constraints ?? {})),
  ]);
  return { config: toSmsCodesConfig(settings), problems };
}

describe('Settings:Codes', () => {
  it('reads numbers written as text, as environment variables give them, into the options shape', () => {
    const { config, problems } = read({
      CompanyName: 'Acme',
      OriginDomain: 'login.example.com',
      AllowedCountries: ['DK', 'SE'],
      CodeLength: '8',
      CodeAlphabet: '34679ACDEFGHJKMNPQRTUVWXY',
      MaxAttempts: '3',
      ResendCooldownSeconds: 30,
      MaxSendsPerPhonePerHour: '4',
      MaxSendsPerEnvironmentPerHour: '500',
      LifetimeSeconds: { TwoFactor: '120', PasswordlessLogin: 900 },
    });

    expect(problems).toEqual([]);
    expect(config).toEqual({
      companyName: 'Acme',
      originDomain: 'login.example.com',
      allowedCountries: ['DK', 'SE'],
      codeLength: 8,
      codeAlphabet: '34679ACDEFGHJKMNPQRTUVWXY',
      maxAttempts: 3,
      resendCooldownSeconds: 30,
      maxSendsPerPhonePerHour: 4,
      maxSendsPerEnvironmentPerHour: 500,
      lifetimeSeconds: { 'passwordless-login': 900, 'two-factor': 120 },
    });
  });

  it('leaves out what is not set, so that the library defaults apply', () => {
    expect(toSmsCodesConfig(undefined)).toEqual({
      companyName: undefined,
      originDomain: undefined,
      allowedCountries: undefined,
      codeLength: undefined,
      codeAlphabet: undefined,
      maxAttempts: undefined,
      resendCooldownSeconds: undefined,
      maxSendsPerPhonePerHour: undefined,
      maxSendsPerEnvironmentPerHour: undefined,
      lifetimeSeconds: {},
    });
  });

  it('names the field of every value of the wrong type, and refuses unknown keys', () => {
    const { problems } = read({
      CodeLength: 'six',
      AllowedCountries: 'DK',
      LifetimeSeconds: { TwoFactor: 'soon' },
      MaxAttempt: 3,
    });

    expect(problems.sort()).toEqual(
      [
        'The field AllowedCountries must be a list of country codes.',
        'The field CodeLength must be a whole number.',
        'The field TwoFactor must be a whole number.',
        'property MaxAttempt should not exist',
      ].sort(),
    );
  });
});

describe('the company name from the SMS settings', () => {
  it("is the environment's own sender name, else the site's, as a send picks settings", async () => {
    const environments = new InMemorySmsSettingsSource();
    environments.set('tenant-b', {
      type: 'GatewayApi',
      fromName: 'Beta',
      apiUrl: 'https://127.0.0.1/rest/mtsms',
      clientSecret: 'secret',
    });
    const name = companyNameFromSettings(environments, 'Acme');

    expect(await name('tenant-b')).toBe('Beta');
    expect(await name('tenant-a')).toBe('Acme');
    expect(await name(null)).toBe('Acme');
  });

  it('refuses as a send would when neither has settings', async () => {
    const name = companyNameFromSettings(
      new InMemorySmsSettingsSource(),
      undefined,
    ) as (environment: string | null) => Promise<string>;

    await expect(name('tenant-a')).rejects.toBeInstanceOf(
      SmsNotConfiguredError,
    );
  });
});

describe('deriveSmsCodeHashKey', () => {
  it('gives every instance with the same encryption key the same 32-byte key, which is not that key', () => {
    const encryptionKey = randomBytes(32);

    const key = deriveSmsCodeHashKey(encryptionKey);

    expect(deriveSmsCodeHashKey(Buffer.from(encryptionKey))).toBe(key);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(Buffer.from(key, 'base64').equals(encryptionKey)).toBe(false);
    expect(deriveSmsCodeHashKey(randomBytes(32))).not.toBe(key);
  });
});

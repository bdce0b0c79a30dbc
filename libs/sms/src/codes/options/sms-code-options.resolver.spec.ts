import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { measureSmsText } from '../../message/message-encoding.js';
import { InMemorySmsCodeStore } from '../store/in-memory-sms-code.store.js';
import { ManualSmsCodeClock } from '../sms-code.clock.js';
import { SMS_CODE_UNAMBIGUOUS_ALPHABET } from './sms-code.defaults.js';
import { SmsCodeOptionsError } from '../../errors/codes/sms-code-options.error.js';
import { composeSmsCodeMessage } from '../templates/sms-code.message.js';
import type { SmsCodeModuleOptions } from './sms-code-module-options.interface.js';
import { resolveSmsCodeOptions } from './sms-code-options.resolver.js';
import { SMS_CODE_PURPOSES } from '../sms-code-purpose.js';

const HASH_KEY = randomBytes(32).toString('base64');

const valid = (
  extra: Partial<SmsCodeModuleOptions> = {},
): SmsCodeModuleOptions => ({
  hashKey: HASH_KEY,
  companyName: 'Acme',
  ...extra,
});

/** The problems of options that must be refused. */
function problemsOf(options: unknown): { path: string; message: string }[] {
  try {
    resolveSmsCodeOptions(options as SmsCodeModuleOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(SmsCodeOptionsError);
    return (error as SmsCodeOptionsError).problems;
  }
  throw new Error('The options were accepted.');
}

describe('resolveSmsCodeOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveSmsCodeOptions(valid());

    expect(resolved).toMatchObject({
      maxCompanyNameLength: 30,
      codeLength: 6,
      codeAlphabet: '0123456789',
      caseInsensitive: true,
      lifetimeSeconds: {
        'passwordless-login': 600,
        'phone-confirmation': 600,
        'set-password': 600,
        'two-factor': 300,
      },
      maxAttempts: 5,
      resendCooldownSeconds: 60,
      maxSendsPerPhonePerHour: 5,
      maxSendsPerEnvironmentPerHour: 1000,
      allowedCountries: undefined,
      defaultLocale: 'en',
      maxSegments: 1,
      originDomain: undefined,
    });
    expect(resolved.hashKey).toEqual(Buffer.from(HASH_KEY, 'base64'));
    expect([...resolved.templates.keys()].sort()).toEqual(['da', 'en']);
  });

  it('accepts the default English and Danish texts: GSM-7 and one segment with a 30-character name, 8-character codes and an origin line', () => {
    const resolved = resolveSmsCodeOptions(
      valid({
        codeLength: 8,
        codeAlphabet: SMS_CODE_UNAMBIGUOUS_ALPHABET,
        originDomain: 'login.example-company.com',
      }),
    );

    for (const [, set] of resolved.templates) {
      for (const purpose of SMS_CODE_PURPOSES) {
        const text = composeSmsCodeMessage(
          set[purpose],
          { code: 'WWWWWWWW', companyName: 'x'.repeat(30), minutes: 10 },
          resolved.originDomain,
        );
        expect(measureSmsText(text)).toMatchObject({
          encoding: 'GSM-7',
          segments: 1,
        });
      }
    }
  });

  it('refuses a template that cannot fit its segment limit with the longest code and company name, naming it and the numbers', () => {
    const problems = problemsOf(
      valid({
        codeLength: 8,
        templates: {
          da: {
            'two-factor': `{code} er din kode til {companyName}. ${'Lang tekst. '.repeat(9)}`,
          },
        },
      }),
    );

    expect(problems).toEqual([
      {
        path: 'templates.da.two-factor',
        message:
          'The template templates.da.two-factor needs 2 SMS segments (GSM-7) with a code of 8 characters, a company name of 30 characters; at most 1 is allowed. Shorten it, or raise maxSegments.',
      },
    ]);
  });

  it('counts the origin line and the company name length into the check, and accepts the same text when they are shorter', () => {
    // 160 septets exactly with a 6-digit code and a 30-character name; the origin line tips it over.
    const template = `{code} {companyName} ${'y'.repeat(160 - 6 - 30 - 2)}`;
    const options = valid({ templates: { en: { 'set-password': template } } });

    expect(() => resolveSmsCodeOptions(options)).not.toThrow();
    expect(
      problemsOf({ ...options, originDomain: 'a.dk' }).map((p) => p.path),
    ).toEqual(['templates.en.set-password']);
    expect(
      problemsOf({ ...options, maxCompanyNameLength: 31 }).map((p) => p.path),
    ).toEqual(['templates.en.set-password']);
    expect(() =>
      resolveSmsCodeOptions({
        ...options,
        originDomain: 'a.dk',
        maxSegments: 2,
      }),
    ).not.toThrow();
  });

  it('measures a template that needs UCS-2 against 70 characters', () => {
    const problems = problemsOf(
      valid({
        templates: {
          en: {
            'two-factor':
              '{code} er din kode til {companyName} ✅ Gyldig i {minutes} min.',
          },
        },
      }),
    );

    expect(problems[0]).toMatchObject({ path: 'templates.en.two-factor' });
    expect(problems[0].message).toContain('needs 2 SMS segments (UCS-2)');
  });

  it('lists every problem at once, and never the hash key', () => {
    const shortKey = randomBytes(16).toString('base64');
    const error = (() => {
      try {
        resolveSmsCodeOptions({
          hashKey: shortKey,
          companyName: '  ',
          codeLength: 3,
          codeAlphabet: 'AAB',
          lifetimeSeconds: { 'two-factor': 30, login: 600 } as never,
          maxAttempts: 0,
          resendCooldownSeconds: -1,
          maxSendsPerPhonePerHour: 1.5,
          maxSendsPerEnvironmentPerHour: '100' as never,
          allowedCountries: ['DK', 'XX', 'denmark'],
          templates: {
            en: {
              'two-factor': 'Your code is {cod}',
              'set-pasword': '{code}',
            } as never,
            'not a locale': {},
          },
          defaultLocale: 'sv',
          maxSegments: 11,
          originDomain: 'https://login.example.com',
          store: {} as never,
          clock: {} as never,
          purgeIntervalMs: 10,
          maxAttempt: 3,
        } as SmsCodeModuleOptions);
      } catch (e) {
        return e as SmsCodeOptionsError;
      }
      throw new Error('accepted');
    })();

    expect(error.problems.map((p) => p.path).sort()).toEqual(
      [
        'allowedCountries[1]',
        'allowedCountries[2]',
        'clock',
        'codeAlphabet',
        'codeLength',
        'companyName',
        'defaultLocale',
        'hashKey',
        'lifetimeSeconds.login',
        'lifetimeSeconds.two-factor',
        'maxAttempt',
        'maxAttempts',
        'maxSegments',
        'maxSendsPerEnvironmentPerHour',
        'maxSendsPerPhonePerHour',
        'originDomain',
        'purgeIntervalMs',
        'resendCooldownSeconds',
        'store',
        'templates.en.set-pasword',
        'templates.en.two-factor',
        'templates.en.two-factor',
        'templates.not a locale',
      ].sort(),
    );
    expect(error.message).toContain(
      '- hashKey: The option hashKey is required: base64 of at least 32 random bytes',
    );
    expect(error.message).toContain(
      '- templates.en.two-factor: The template templates.en.two-factor contains {cod}; only {code}, {companyName}, {minutes} are replaced.',
    );
    expect(error.message).toContain(
      '- templates.en.two-factor: The template templates.en.two-factor must contain {code}.',
    );
    expect(error.message).toContain(
      '- defaultLocale: The option defaultLocale is sv, which has no template for passwordless-login, phone-confirmation, set-password, two-factor',
    );
    expect(error.message).toContain(
      '- maxAttempt: The option maxAttempt is unknown',
    );
    expect(error.message).not.toContain(shortKey);
  });

  it('refuses a hash key that only looks long enough, and a fixed company name longer than the checked length', () => {
    const notBase64 = `${'!'.repeat(20)}${randomBytes(32).toString('base64')}`;
    expect(
      problemsOf(valid({ hashKey: notBase64 })).map((p) => p.path),
    ).toEqual(['hashKey']);
    expect(problemsOf(valid({ companyName: 'x'.repeat(31) }))).toEqual([
      {
        path: 'companyName',
        message:
          'The option companyName must be at most maxCompanyNameLength (30) characters.',
      },
    ]);
  });

  it('refuses too few possible codes', () => {
    expect(
      problemsOf(valid({ codeLength: 4, codeAlphabet: 'ABCDEFGHI' })),
    ).toEqual([
      {
        path: 'codeLength',
        message:
          'codeLength and codeAlphabet allow only 6561 different codes; at least 10000 are needed, or codes can be guessed.',
      },
    ]);
  });

  it('completes a new locale from the default locale, replaces single default texts, and knows case', () => {
    const resolved = resolveSmsCodeOptions(
      valid({
        codeAlphabet: 'abcdef0123456789',
        templates: {
          'sv-SE': { 'two-factor': '{code} är din kod hos {companyName}.' },
          DA: { 'set-password': '{code}: ny adgangskode hos {companyName}.' },
        },
        defaultLocale: 'da',
        allowedCountries: ['dk', 'SE', 'dk'],
        store: new InMemorySmsCodeStore(),
        clock: new ManualSmsCodeClock(),
      }),
    );

    expect(resolved.caseInsensitive).toBe(false);
    expect(resolved.allowedCountries).toEqual(['DK', 'SE']);
    const swedish = resolved.templates.get('sv-se')!;
    expect(swedish['two-factor']).toBe('{code} är din kod hos {companyName}.');
    expect(swedish['passwordless-login']).toBe(
      resolved.templates.get('da')!['passwordless-login'],
    );
    expect(resolved.templates.get('da')!['set-password']).toBe(
      '{code}: ny adgangskode hos {companyName}.',
    );
    expect(resolved.templates.get('da')!['two-factor']).toContain(
      'bekræftelseskode',
    );
  });
});

import type { SmsModuleOptions } from './sms-module-options.interface.js';
import { validateSmsModuleOptions } from './sms-module-options.validator.js';
import type { SmsProvider } from './providers/sms-provider.interface.js';
import { InMemorySmsSettingsSource } from './settings/sms-settings.source.js';
import {
  SmsSettingsError,
  type SmsSettingsProblem,
} from './errors/sms-settings.error.js';

const provider = (type: unknown): SmsProvider =>
  ({
    type,
    buildRequest: () => ({
      method: 'GET',
      url: 'https://127.0.0.1/',
      headers: {},
    }),
    readResponse: () => ({ ok: true }),
  }) as unknown as SmsProvider;

function problemsOf(options: unknown): SmsSettingsProblem[] {
  let error: unknown;
  try {
    validateSmsModuleOptions(options as SmsModuleOptions);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SmsSettingsError);
  return (error as SmsSettingsError).problems;
}

describe('validateSmsModuleOptions', () => {
  it('accepts no options and a full set of good ones', () => {
    expect(() => validateSmsModuleOptions({})).not.toThrow();
    expect(() =>
      validateSmsModuleOptions({
        settings: { Type: 'anything: validated elsewhere' },
        settingsSource: new InMemorySmsSettingsSource(),
        timeoutMs: 2 ** 31 - 1,
        maxResponseBytes: 524_288,
        maxSegments: 1,
        extraCaCertificates: '-----BEGIN CERTIFICATE-----',
        clientAgentCacheSize: 100,
        retries: 0,
        environmentAddressPolicy: () => true,
        customProviders: [provider('Echo'), provider('GatewayApi')],
      }),
    ).not.toThrow();
    expect(() => validateSmsModuleOptions({ retries: 10 })).not.toThrow();
  });

  it("accepts transport 'axios' and 'undici', and refuses any other", () => {
    expect(() =>
      validateSmsModuleOptions({ transport: 'axios' }),
    ).not.toThrow();
    expect(() =>
      validateSmsModuleOptions({ transport: 'undici' }),
    ).not.toThrow();
    expect(problemsOf({ transport: 'fetch' })).toEqual([
      {
        path: 'transport',
        message: "The option transport must be one of 'axios', 'undici'.",
      },
    ]);
  });

  it('refuses retries that are not a whole number from 0 to 10', () => {
    for (const value of [-1, 11, 1.5, '2', Number.NaN]) {
      expect(problemsOf({ retries: value })).toEqual([
        {
          path: 'retries',
          message: 'The option retries must be a whole number from 0 to 10.',
        },
      ]);
    }
  });

  it('refuses an environmentAddressPolicy that is not a function', () => {
    for (const value of ['public-only', true, {}]) {
      expect(problemsOf({ environmentAddressPolicy: value })).toEqual([
        {
          path: 'environmentAddressPolicy',
          message:
            'The option environmentAddressPolicy must be a function that takes an IP address and returns true to allow it.',
        },
      ]);
    }
  });

  it.each([
    'timeoutMs',
    'maxResponseBytes',
    'maxSegments',
    'clientAgentCacheSize',
  ])('refuses a %s that is not a positive integer', (option) => {
    const max = option === 'timeoutMs' ? 2147483647 : Number.MAX_SAFE_INTEGER;
    for (const value of [0, -1, 1.5, '30000', Number.NaN, Infinity]) {
      expect(problemsOf({ [option]: value })).toEqual([
        {
          path: option,
          message: `The option ${option} must be a positive integer of at most ${max}.`,
        },
      ]);
    }
  });

  it('refuses a timeout that setTimeout cannot hold', () => {
    expect(problemsOf({ timeoutMs: 2 ** 31 })).toEqual([
      {
        path: 'timeoutMs',
        message:
          'The option timeoutMs must be a positive integer of at most 2147483647.',
      },
    ]);
  });

  it('refuses circuit breaker options that are not positive integers', () => {
    expect(
      problemsOf({
        circuitBreakerThreshold: 0,
        circuitBreakerCooldownMs: 2 ** 31,
      }),
    ).toEqual([
      {
        path: 'circuitBreakerThreshold',
        message:
          'The option circuitBreakerThreshold must be a positive integer of at most 9007199254740991.',
      },
      {
        path: 'circuitBreakerCooldownMs',
        message:
          'The option circuitBreakerCooldownMs must be a positive integer of at most 2147483647.',
      },
    ]);
    expect(() =>
      validateSmsModuleOptions({
        circuitBreakerThreshold: 5,
        circuitBreakerCooldownMs: 30_000,
      }),
    ).not.toThrow();
  });

  it('lists every bad option at once', () => {
    const options = {
      settingsSource: {},
      timeoutMs: 0,
      maxSegments: 'ten',
      extraCaCertificates: 42,
      customProviders: [
        provider(''),
        { type: 'Half' },
        provider('Echo'),
        provider('Echo'),
      ],
    };
    expect(problemsOf(options)).toEqual([
      {
        path: 'settingsSource',
        message:
          'The option settingsSource must be an SmsSettingsSource, with a get(environment) method.',
      },
      {
        path: 'timeoutMs',
        message:
          'The option timeoutMs must be a positive integer of at most 2147483647.',
      },
      {
        path: 'maxSegments',
        message: `The option maxSegments must be a positive integer of at most ${Number.MAX_SAFE_INTEGER}.`,
      },
      {
        path: 'extraCaCertificates',
        message: 'The option extraCaCertificates must be a string.',
      },
      {
        path: 'customProviders[0].type',
        message:
          'The option customProviders[0].type must be a non-empty string naming the settings type the provider serves.',
      },
      {
        path: 'customProviders[1]',
        message:
          'The option customProviders[1] must be an SmsProvider, with the methods buildRequest and readResponse.',
      },
      {
        path: 'customProviders[3].type',
        message:
          'The option customProviders[3].type repeats the type Echo; give one provider per type.',
      },
    ]);
  });

  it('refuses customProviders that is not an array, and entries that are not objects', () => {
    expect(problemsOf({ customProviders: provider('Echo') })).toEqual([
      {
        path: 'customProviders',
        message:
          'The option customProviders must be an array of SmsProvider instances.',
      },
    ]);
    expect(problemsOf({ customProviders: [null] })).toEqual([
      {
        path: 'customProviders[0].type',
        message:
          'The option customProviders[0].type must be a non-empty string naming the settings type the provider serves.',
      },
      {
        path: 'customProviders[0]',
        message:
          'The option customProviders[0] must be an SmsProvider, with the methods buildRequest and readResponse.',
      },
    ]);
  });

  it('refuses options that are not an object', () => {
    expect(problemsOf(null)).toEqual([
      { path: 'options', message: 'The SMS module options must be an object.' },
    ]);
  });
});

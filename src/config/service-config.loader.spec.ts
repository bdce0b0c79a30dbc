import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceConfigError } from './service-config.error.js';
import { loadServiceConfig } from './service-config.loader.js';

const GATEWAY_API = {
  Type: 'GatewayApi',
  FromName: 'My-sender',
  ApiUrl: 'https://gatewayapi.eu/rest/mtsms',
  ClientSecret: 'gateway-api-token',
  Label: 'FoxIDs',
};

describe('loadServiceConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nest-sms-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) =>
    writeFileSync(
      join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      loadServiceConfig(env, dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ServiceConfigError);
      return (error as ServiceConfigError).problems.map(
        (p) => `${p.key}: ${p.message}`,
      );
    }
    throw new Error('The configuration was accepted.');
  };

  it('applies every default and generates an API key when nothing is configured', () => {
    const { config, listen, sources } = loadServiceConfig({}, dir);

    expect(config).toEqual({
      sms: undefined,
      api: {
        keys: [
          {
            name: 'key-1',
            key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
            scopes: ['send', 'codes', 'admin', 'read', 'metrics'],
          },
        ],
        keyGenerated: true,
        testSendLimitPerPhone: 5,
        testSendLimitPerKey: 100,
        testSendWindowSeconds: 600,
        verifyLimitPerKey: 30,
        headersTimeoutSeconds: 10,
        requestTimeoutSeconds: 30,
        keepAliveTimeoutSeconds: 5,
      },
      store: { url: 'sqlite:./data/sms.db' },
      security: {
        encryptionKey: undefined,
        previousEncryptionKeys: [],
        allowPrivateNetworkUrls: false,
      },
      http: {
        timeoutSeconds: 30,
        retries: 2,
        transport: 'axios',
        extraCaCertificatesFile: undefined,
      },
      sandbox: {
        enabled: false,
        host: '127.0.0.1',
        port: 3001,
        dataDir: './data/sandbox',
      },
      // The library's defaults apply to every code setting left out.
      codes: { lifetimeSeconds: {} },
      logging: { format: 'text', level: 'log' },
      metrics: { enabled: true },
      // No delivery reports asked for; records kept 30 days.
      messages: { publicUrl: undefined, retentionDays: 30 },
    });
    expect(listen).toEqual({ host: undefined, port: 3000 });
    expect(sources).toEqual([]);
  });

  it('generates a different key each time', () => {
    const first = loadServiceConfig({}, dir).config.api.keys[0].key;
    const second = loadServiceConfig({}, dir).config.api.keys[0].key;

    expect(first).not.toBe(second);
  });

  it('reads ./appsettings.json, and the file named by SETTINGS_FILE instead when set', () => {
    write('appsettings.json', {
      Settings: { Api: { TestSendLimitPerPhone: 7 } },
    });
    write('other.json', { Settings: { Api: { TestSendLimitPerPhone: 9 } } });

    const byDefault = loadServiceConfig({}, dir);
    const named = loadServiceConfig({ SETTINGS_FILE: 'other.json' }, dir);

    expect(byDefault.config.api.testSendLimitPerPhone).toBe(7);
    expect(byDefault.sources).toEqual([join(dir, 'appsettings.json')]);
    expect(named.config.api.testSendLimitPerPhone).toBe(9);
  });

  it('takes the user\'s documentation examples verbatim, as a bare "Settings" member', () => {
    write(
      'appsettings.json',
      `"Settings": {\n"Sms": {\n"Type": "GatewayApi",\n"FromName": "My-sender",\n"ApiUrl": "https://gatewayapi.eu/rest/mtsms",\n"ClientSecret": "gateway-api-token",\n"Label": "FoxIDs"\n}\n}`,
    );

    expect(loadServiceConfig({}, dir).config.sms).toEqual(GATEWAY_API);
  });

  it('lets environment variables override the file, in any case, landing on the key as the file spells it', () => {
    write('appsettings.json', {
      Settings: { Sms: { ...GATEWAY_API, ClientSecret: 'old-token' } },
    });

    const { config, sources } = loadServiceConfig(
      {
        SETTINGS__SMS__CLIENTSECRET: 'new-token',
        settings__sms__fromname: 'Acme',
        Settings__Http__TimeoutSeconds: '12.5',
        SETTINGS__HTTP__RETRIES: '0',
        Settings__Security__AllowPrivateNetworkUrls: 'TRUE',
        Settings__Sandbox__Enabled: 'false',
      },
      dir,
    );

    expect(config.sms).toEqual({
      ...GATEWAY_API,
      ClientSecret: 'new-token',
      FromName: 'Acme',
    });
    expect(config.http.timeoutSeconds).toBe(12.5);
    expect(config.http.retries).toBe(0);
    expect(config.security.allowPrivateNetworkUrls).toBe(true);
    expect(config.sandbox.enabled).toBe(false);
    expect(sources).toEqual([
      join(dir, 'appsettings.json'),
      'environment variables',
    ]);
  });

  it('builds lists from numbered variables, and replaces one entry of a list from the file', () => {
    write('appsettings.json', {
      Settings: {
        Api: { Keys: ['file-key-0123456789ab', 'file-key-1123456789ab'] },
      },
    });

    const { config } = loadServiceConfig(
      {
        Settings__Api__Keys__1: 'env-key-0123456789abc',
        Settings__Sms__Type: 'AccessUrl',
        Settings__Sms__FromName: 'Acme',
        Settings__Sms__ApiUrl: 'https://some-provider.dk/sms/',
        Settings__Sms__Parameters__0__Name: 'recipient',
        Settings__Sms__Parameters__0__Value: '{phone}',
        Settings__Sms__Parameters__1__Name: 'message',
        Settings__Sms__Parameters__1__Value: '{message}',
      },
      dir,
    );

    expect(config.api.keys.map(({ name, key }) => [name, key])).toEqual([
      ['key-1', 'file-key-0123456789ab'],
      ['key-2', 'env-key-0123456789abc'],
    ]);
    expect(config.api.keyGenerated).toBe(false);
    expect(config.sms).toEqual({
      Type: 'AccessUrl',
      FromName: 'Acme',
      ApiUrl: 'https://some-provider.dk/sms/',
      Parameters: [
        { Name: 'recipient', Value: '{phone}' },
        { Name: 'message', Value: '{message}' },
      ],
    });
  });

  it('reads keys written in another case in the file as the documented keys', () => {
    write('appsettings.json', {
      settings: {
        sms: {
          type: 'GatewayApi',
          fromname: 'Acme',
          apiurl: 'https://gatewayapi.eu',
          clientsecret: 'token-value',
        },
      },
    });

    expect(loadServiceConfig({}, dir).config.sms).toEqual({
      Type: 'GatewayApi',
      FromName: 'Acme',
      ApiUrl: 'https://gatewayapi.eu',
      ClientSecret: 'token-value',
    });
  });

  it('names every bad key in one error, Settings:Sms paths included, without any secret value', () => {
    write('appsettings.json', {
      Settings: {
        Sms: {
          Type: 'GatewayApi',
          FromName: 'Acme',
          ApiUrl: 'http://gatewayapi.eu',
          ClientSecert: 'typo-secret-value',
        },
        Api: { TestSendLimitPerPhone: 0, Keys: ['short'] },
        Store: { Url: 'mysql://db' },
        Logging: { LogLevel: 'Debug' },
      },
    });

    const problems = problemsOf({
      Settings__Http__TimeoutSeconds: 'soon',
      Settings__Security__EncryptionKey: 'not-base64-of-32-bytes',
      Settings__Sandbox__Port: '70000',
      PORT: 'eighty',
    });

    const keys = problems.map((p) => p.slice(0, p.indexOf(': ')));
    expect(keys).toEqual(
      expect.arrayContaining([
        'Settings:Sms:ApiUrl',
        'Settings:Sms:ClientSecret',
        'Settings:Sms:ClientSecert',
        'Settings:Api:TestSendLimitPerPhone',
        'Settings:Api:Keys:0',
        'Settings:Store:Url',
        'Settings:Logging:LogLevel',
        'Settings:Http:TimeoutSeconds',
        'Settings:Security:EncryptionKey',
        'Settings:Sandbox:Port',
        'PORT',
      ]),
    );
    expect(problems).toContain(
      'Settings:Http:TimeoutSeconds: The field TimeoutSeconds must be a number of seconds.',
    );
    expect(problems.join('\n')).not.toContain('typo-secret-value');
    expect(problems.join('\n')).not.toContain('not-base64-of-32-bytes');
  });

  it('reads Settings:Logging and Settings:Metrics, and names a bad format, level or switch', () => {
    expect(
      loadServiceConfig(
        {
          Settings__Logging__Format: 'json',
          Settings__Logging__Level: 'debug',
          Settings__Metrics__Enabled: 'false',
        },
        dir,
      ).config,
    ).toMatchObject({
      logging: { format: 'json', level: 'debug' },
      metrics: { enabled: false },
    });

    expect(
      problemsOf({
        Settings__Logging__Format: 'xml',
        Settings__Logging__Level: 'trace',
        Settings__Metrics__Enabled: 'sometimes',
      }),
    ).toEqual(
      expect.arrayContaining([
        'Settings:Logging:Format: The field Format must be one of text, json.',
        'Settings:Logging:Level: The field Level must be one of error, warn, log, debug, verbose.',
        'Settings:Metrics:Enabled: The field Enabled must be true or false.',
      ]),
    );
  });

  it('reads Settings:Http:Transport and refuses a client it does not know', () => {
    write('appsettings.json', { Settings: { Http: { Transport: 'undici' } } });
    expect(loadServiceConfig({}, dir).config.http.transport).toBe('undici');
    write('appsettings.json', { Settings: { Http: { Transport: 'fetch' } } });
    expect(problemsOf({})).toEqual([
      "Settings:Http:Transport: The field Transport must be 'axios' or 'undici'.",
    ]);
  });

  it('refuses Settings:Http:Retries outside 0 to 10', () => {
    write('appsettings.json', { Settings: { Http: { Retries: 11 } } });

    expect(problemsOf({})).toEqual([
      'Settings:Http:Retries: The field Retries must be at most 10.',
    ]);
  });

  it('writes the message as a list under one line', () => {
    write('appsettings.json', {
      Settings: { Api: { TestSendWindowSeconds: -1 } },
    });

    expect(() => loadServiceConfig({}, dir)).toThrow(
      `Invalid configuration (read from ${join(dir, 'appsettings.json')}):\n- Settings:Api:TestSendWindowSeconds: The field TestSendWindowSeconds must be at least 1.`,
    );
  });

  it('refuses a section that is not an object, and a key given twice in different case', () => {
    write('appsettings.json', {
      Settings: { Api: 'yes', Http: { TimeoutSeconds: 5, timeoutseconds: 6 } },
    });

    expect(problemsOf({})).toEqual([
      'Settings:Http:TimeoutSeconds: The key is given twice, as "TimeoutSeconds" and as "timeoutseconds"; keys are not case-sensitive.',
      expect.stringMatching(/^Settings:Api: The section Api must be an object/),
    ]);
  });

  it('reports keys of the wrong shape without failing on them', () => {
    expect(
      problemsOf({
        Settings__Security__PreviousEncryptionKeys: 'not-a-list',
        Settings__Api__Keys: 'not-a-list-either',
      }),
    ).toEqual([
      expect.stringMatching(
        /^Settings:Api:Keys: The field Keys must be a list of keys/,
      ),
      'Settings:Security:PreviousEncryptionKeys: The field PreviousEncryptionKeys must be a list of keys.',
    ]);
  });

  it('requires an encryption key with PostgreSQL, and accepts one of 32 bytes', () => {
    const key = Buffer.alloc(32, 7).toString('base64');

    expect(problemsOf({ Settings__Store__Url: 'postgres://db/sms' })).toEqual([
      expect.stringMatching(
        /^Settings:Security:EncryptionKey: The field EncryptionKey is required/,
      ),
    ]);
    expect(
      loadServiceConfig(
        {
          Settings__Store__Url: 'postgres://db/sms',
          Settings__Security__EncryptionKey: key,
        },
        dir,
      ).config.security.encryptionKey,
    ).toBe(key);
  });

  it('checks that the extra CA file exists and holds a certificate, and makes its path absolute', () => {
    write(
      'ca.pem',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    );
    write('empty.pem', 'nothing here');

    expect(
      loadServiceConfig(
        { Settings__Http__ExtraCaCertificatesFile: 'ca.pem' },
        dir,
      ).config.http.extraCaCertificatesFile,
    ).toBe(join(dir, 'ca.pem'));
    expect(
      problemsOf({ Settings__Http__ExtraCaCertificatesFile: 'missing.pem' }),
    ).toEqual([
      expect.stringMatching(
        /^Settings:Http:ExtraCaCertificatesFile: The file .*missing\.pem cannot be read \(ENOENT\)\.$/,
      ),
    ]);
    expect(
      problemsOf({ Settings__Http__ExtraCaCertificatesFile: 'empty.pem' }),
    ).toEqual([expect.stringMatching(/holds no PEM certificate/)]);
  });

  it('reports a missing SETTINGS_FILE and a file that is not JSON, without quoting its content', () => {
    write(
      'broken.json',
      '{ "Settings": { "Sms": { "ClientSecret": "leaked-secret" ',
    );

    expect(problemsOf({ SETTINGS_FILE: 'absent.json' })).toEqual([
      expect.stringMatching(
        /^SETTINGS_FILE: The file .*absent\.json does not exist\.$/,
      ),
    ]);
    const broken = problemsOf({ SETTINGS_FILE: 'broken.json' });
    expect(broken).toEqual([
      expect.stringMatching(
        /^SETTINGS_FILE: The file .*broken\.json is not valid JSON/,
      ),
    ]);
    expect(broken.join()).not.toContain('leaked-secret');
  });

  it('reports a variable that indexes a list with a name', () => {
    write('appsettings.json', {
      Settings: { Api: { Keys: ['file-key-0123456789ab'] } },
    });

    expect(
      problemsOf({ Settings__Api__Keys__first: 'env-key-0123456789abc' }),
    ).toEqual([
      'Settings__Api__Keys__first: Settings:Api:Keys is a list: the level after it must be a number (an index), not "first".',
    ]);
  });

  it('reads HOST and PORT', () => {
    expect(
      loadServiceConfig({ HOST: '127.0.0.1', PORT: '0' }, dir).listen,
    ).toEqual({ host: '127.0.0.1', port: 0 });
  });
});

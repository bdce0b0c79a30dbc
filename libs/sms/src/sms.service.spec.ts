import { Injectable, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  createCertificateAuthority,
  issueCertificate,
} from '../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../test/support/https-test-server.js';
import { SmsEnvironmentContext } from './sms-environment.context.js';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import { SmsModule } from './sms.module.js';
import type { SmsOptionsFactory } from './sms-options.factory.js';
import { SmsService } from './sms.service.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from './sms-settings.source.js';
import {
  SmsNotConfiguredError,
  SmsProviderError,
  SmsSettingsError,
  SmsTimeoutError,
  SmsValidationError,
} from './sms.errors.js';

/** Captures every log line the library writes. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown) {
    this.lines.push(`log ${String(message)}`);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.lines.push(`error ${String(message)} ${rest.map(String).join(' ')}`);
  }
  warn(message: unknown) {
    this.lines.push(`warn ${String(message)}`);
  }
  debug(message: unknown) {
    this.lines.push(`debug ${String(message)}`);
  }
  verbose(message: unknown) {
    this.lines.push(`verbose ${String(message)}`);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

const GATEWAY_TOKEN = 'gw-token-5f1c9e2b7a';
const SMSTOOLS_SECRET = 'smstools-secret-83d1';
const ACCESS_PASSWORD = 'p@ss word&8812';

describe('SmsService (through SmsModule, against real HTTPS servers)', () => {
  let site: HttpsTestServer;
  let tenant: HttpsTestServer;
  let moduleRef: TestingModule | undefined;
  let logger: CapturingLogger;

  beforeAll(async () => {
    // One CA for both: two CAs with the same name would confuse the chain lookup.
    const certificateAuthority = await createCertificateAuthority({
      commonName: 'Provider CA',
    });
    site = await HttpsTestServer.start({ certificateAuthority });
    tenant = await HttpsTestServer.start({ certificateAuthority });
  });
  afterAll(async () => {
    await site.close();
    await tenant.close();
  });
  beforeEach(() => {
    site.clear();
    tenant.clear();
    logger = new CapturingLogger();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  const gatewaySettings = () => ({
    Type: 'GatewayApi',
    FromName: 'Acme',
    ApiUrl: `${site.url}/rest/mtsms`,
    ClientSecret: GATEWAY_TOKEN,
  });

  async function compile(options: Partial<SmsModuleOptions>) {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          extraCaCertificates: site.caPem,
          ...options,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    moduleRef.useLogger(logger);
    return moduleRef.get(SmsService);
  }

  it('sends with the site settings and logs the URL and phone without secrets', async () => {
    site.answer({ status: 200, body: { ids: [421332671] } });
    const sms = await compile({ settings: gatewaySettings() });

    const result = await sms.send({
      phone: '+45 12 34 56 78',
      message: 'Your code is 123456',
    });

    expect(result).toEqual({
      provider: 'GatewayApi',
      source: 'site',
      environment: null,
      messageId: '421332671',
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(site.requests).toHaveLength(1);
    expect(JSON.parse(site.requests[0].body.toString())).toEqual({
      sender: 'Acme',
      message: 'Your code is 123456',
      recipients: [{ msisdn: 4512345678 }],
    });
    const sent = logger.lines.find((l) => l.includes('SMS sent'));
    expect(sent).toContain(`url=${site.url}/rest/mtsms`);
    expect(sent).toContain('phone=+4512345678');
    expect(sent).toContain('source=site');
    expect(sent).toContain('messageId=421332671');
    expect(logger.text).not.toContain(GATEWAY_TOKEN);
  });

  it('never logs Access URL query parameters, and redacts secrets a provider echoes', async () => {
    site.answer({
      status: 500,
      body: `bad login for password=${ACCESS_PASSWORD} / ${encodeURIComponent(ACCESS_PASSWORD)}`,
    });
    const sms = await compile({
      settings: {
        Type: 'AccessUrl',
        FromName: 'Acme',
        ApiUrl: `${site.url}/sms/`,
        Parameters: [
          { Name: 'username', Value: 'acme-user-77' },
          { Name: 'password', Value: ACCESS_PASSWORD },
          { Name: 'recipient', Value: '{phone}' },
          { Name: 'message', Value: '{message}' },
        ],
      },
    });

    const error = await sms
      .send({ phone: '+4512345678', message: 'Code 1234' })
      .catch((e) => e);

    expect(error).toBeInstanceOf(SmsProviderError);
    expect(error).toMatchObject({
      provider: 'AccessUrl',
      status: 500,
      maybeSent: true,
    });
    expect(site.requests[0].query).toContain('password=p%40ss%20word%268812');
    const refused = logger.lines.find((l) => l.includes('SMS refused'));
    expect(refused).toContain('phone=+4512345678');
    expect(refused).toContain('status=500');
    expect(refused).toContain('Code 1234');
    expect(refused).toContain('[redacted]');
    for (const secret of [
      ACCESS_PASSWORD,
      encodeURIComponent(ACCESS_PASSWORD),
      'acme-user-77',
    ]) {
      expect(logger.text).not.toContain(secret);
      expect(
        JSON.stringify({ ...error, message: error.message }),
      ).not.toContain(secret);
    }
    expect(logger.text).not.toContain('recipient=');
    expect(logger.text).not.toContain('?');
  });

  it("uses an environment's own settings as a whole, and the site's otherwise", async () => {
    site.answer({ status: 200, body: { ids: [1] } });
    tenant.answer({ status: 200, body: { messageid: 'st-1' } });
    const sms = await compile({ settings: gatewaySettings() });
    const source = moduleRef!.get(
      SmsSettingsSource,
    ) as InMemorySmsSettingsSource;
    source.set('acme', {
      type: 'Smstools',
      fromName: 'AcmeTenant',
      apiUrl: `${tenant.url}/v1/message/send`,
      clientId: 'acme-client',
      clientSecret: SMSTOOLS_SECRET,
    });

    const phones = Array.from(
      { length: 20 },
      (_, i) => `+451234${String(5600 + i)}`,
    );
    const results = await Promise.all(
      phones.map((phone, i) =>
        i % 2 === 0
          ? SmsEnvironmentContext.run('acme', () =>
              sms.send({ phone, message: `m${i}` }),
            )
          : sms.send({ phone, message: `m${i}`, environment: 'beta' }),
      ),
    );

    results.forEach((result, i) =>
      expect(result).toMatchObject(
        i % 2 === 0
          ? {
              provider: 'Smstools',
              source: 'environment',
              environment: 'acme',
              messageId: 'st-1',
            }
          : {
              provider: 'GatewayApi',
              source: 'site',
              environment: 'beta',
              messageId: '1',
            },
      ),
    );
    expect(
      tenant.requests.map((r) => JSON.parse(r.body.toString()).message).sort(),
    ).toEqual(
      phones
        .map((_, i) => `m${i}`)
        .filter((_, i) => i % 2 === 0)
        .sort(),
    );
    expect(site.requests).toHaveLength(10);
    for (const request of site.requests) {
      expect(request.headers['x-client-secret']).toBeUndefined();
      expect(request.headers.authorization).toBe(`Token ${GATEWAY_TOKEN}`);
    }
    for (const request of tenant.requests) {
      expect(request.headers['x-client-secret']).toBe(SMSTOOLS_SECRET);
    }
    expect(logger.text).toContain('source=environment:acme');
  });

  it('fails clearly when neither the environment nor the site is configured', async () => {
    const sms = await compile({});
    await expect(
      sms.send({ phone: '+4512345678', message: 'x', environment: 'acme' }),
    ).rejects.toThrow(SmsNotConfiguredError);
    await expect(
      sms.send({ phone: '+4512345678', message: 'x' }),
    ).rejects.toThrow(/not configured/);
  });

  it('refuses bad phones and over-long texts before any network call', async () => {
    const sms = await compile({ settings: gatewaySettings(), maxSegments: 1 });
    await expect(sms.send({ phone: '12345678', message: 'x' })).rejects.toThrow(
      SmsValidationError,
    );
    await expect(
      sms.send({ phone: '+4512345678', message: '' }),
    ).rejects.toThrow(SmsValidationError);
    await expect(
      sms.send({ phone: '+4512345678', message: 'a'.repeat(161) }),
    ).rejects.toThrow(/2 SMS segments/);
    expect(site.requests).toHaveLength(0);
  });

  it.each([
    [
      {
        status: 503,
        headers: { 'retry-after': '30' },
        body: { message: 'busy' },
      },
      false,
      30,
    ],
    [{ status: 500, body: { message: 'oops' } }, true, undefined],
    [
      { status: 401, body: { code: '0x0101', message: 'bad token' } },
      false,
      undefined,
    ],
  ])(
    'classifies %j (maybeSent %s)',
    async (answer, maybeSent, retryAfterSeconds) => {
      site.answer(answer);
      const sms = await compile({ settings: gatewaySettings() });
      const error = await sms
        .send({ phone: '+4512345678', message: 'x' })
        .catch((e) => e);
      expect(error).toBeInstanceOf(SmsProviderError);
      expect(error).toMatchObject({
        status: answer.status,
        maybeSent,
        retryAfterSeconds,
      });
    },
  );

  it('turns a provider that does not answer in time into SmsTimeoutError (maybe sent)', async () => {
    site.answer({ hold: true });
    const sms = await compile({ settings: gatewaySettings(), timeoutMs: 300 });
    const error = await sms
      .send({ phone: '+4512345678', message: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SmsTimeoutError);
    expect(error.maybeSent).toBe(true);
    expect(logger.text).toContain('failure=timeout');
  });

  it('stops bootstrap with every bad field listed', async () => {
    const error = await compile({
      settings: {
        Type: 'GatewayApi',
        FromName: '',
        ApiUrl: 'http://x',
        ClientSecert: 'abc',
      },
      timeoutMs: -1,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(SmsSettingsError);
    const paths = (error as SmsSettingsError).problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeoutMs',
        'Settings:Sms:FromName',
        'Settings:Sms:ApiUrl',
        'Settings:Sms:ClientSecret',
        'Settings:Sms:ClientSecert',
      ]),
    );
  });

  it('warns at bootstrap about an expired site certificate and refuses to send with it', async () => {
    const ca = await createCertificateAuthority({ commonName: 'Client CA' });
    const client = await issueCertificate(ca, {
      commonName: 'expired',
      usage: 'client',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const sms = await compile({
      settings: {
        Type: 'TeliaSmsGateway',
        FromName: 'Acme',
        ApiUrl: `${site.url}/messaging/v1/outbound/12345/requests`,
        ClientId: '12345',
        ClientSecret: 'telia-key-1234',
        CertificatePemCrt: client.certificatePem,
        CertificatePemKey: client.privateKeyPem,
      },
    });
    expect(
      logger.lines.some((l) => l.startsWith('warn') && /expired/i.test(l)),
    ).toBe(true);
    const error = await sms
      .send({ phone: '+4512345678', message: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SmsProviderError);
    expect(error.maybeSent).toBe(false);
    expect(error.message).toMatch(/expired/i);
    expect(site.requests).toHaveLength(0);
    expect(logger.text).not.toContain(client.privateKeyPem.split('\n')[1]);
  });
});

describe('SmsModule.forRootAsync', () => {
  let server: HttpsTestServer;
  beforeAll(async () => {
    server = await HttpsTestServer.start();
    server.answer({ status: 200, body: { ids: [7] } });
  });
  afterAll(() => server.close());

  const options = (): SmsModuleOptions => ({
    settings: {
      Type: 'GatewayApi',
      FromName: 'Acme',
      ApiUrl: `${server.url}/rest/mtsms`,
      ClientSecret: GATEWAY_TOKEN,
    },
    extraCaCertificates: server.caPem,
  });

  @Injectable()
  class OptionsFactory implements SmsOptionsFactory {
    createSmsOptions(): SmsModuleOptions {
      return options();
    }
  }

  it.each([
    ['useFactory', { useFactory: () => options() }],
    ['useClass', { useClass: OptionsFactory }],
    [
      'useExisting',
      {
        imports: [
          {
            module: class OptionsModule {},
            providers: [OptionsFactory],
            exports: [OptionsFactory],
          },
        ],
        useExisting: OptionsFactory,
      },
    ],
  ])('compiles with %s and sends', async (_, asyncOptions) => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRootAsync(asyncOptions as never)],
    }).compile();
    await expect(
      moduleRef.get(SmsService).send({ phone: '+4512345678', message: 'hi' }),
    ).resolves.toMatchObject({ messageId: '7' });
    await moduleRef.close();
  });
});

import { createServer, type AddressInfo } from 'node:net';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../test/support/https-test-server.js';
import { SmsEnvironmentContext } from './environment/sms-environment.context.js';
import type {
  SmsModuleOptions,
  SmsOptionsFactory,
} from './sms-module-options.interface.js';
import { SmsModule } from './sms.module.js';
import { SmsService } from './sms.service.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from './settings/sms-settings.source.js';
import { SmsNotConfiguredError } from './errors/sms-not-configured.error.js';
import {
  SmsProviderError,
  SmsTimeoutError,
} from './errors/sms-provider.error.js';
import { SmsSettingsError } from './errors/sms-settings.error.js';
import { SmsValidationError } from './errors/sms-validation.error.js';
import { CapturedLogs } from '../../../test/support/captured-logs.js';
import { TRANSPORT_KINDS } from '../../../test/support/sms-http-transport.fixture.js';

const GATEWAY_TOKEN = 'gw-token-5f1c9e2b7a';
const SMSTOOLS_SECRET = 'smstools-secret-83d1';
const ACCESS_PASSWORD = 'p@ss word&8812';

describe.each(TRANSPORT_KINDS)(
  'SmsService (through SmsModule, against real HTTPS servers, %s transport)',
  (transport) => {
    let site: HttpsTestServer;
    let tenant: HttpsTestServer;
    let moduleRef: TestingModule | undefined;
    let logger: CapturedLogs;

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
      logger = new CapturedLogs();
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
            transport,
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
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        provider: 'GatewayApi',
        failoverFrom: null,
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
        tenant.requests
          .map((r) => JSON.parse(r.body.toString()).message as string)
          .sort((a, b) => a.localeCompare(b)),
      ).toEqual(
        phones
          .map((_, i) => `m${i}`)
          .filter((_, i) => i % 2 === 0)
          .sort((a, b) => a.localeCompare(b)),
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

    it('keeps the sensitive parts of a refused text out of the log', async () => {
      site.answer({
        status: 422,
        body: { message: 'rejected text: Your code is 938271' },
      });
      const sms = await compile({ settings: gatewaySettings() });

      await expect(
        sms.send({
          phone: '+4512345678',
          message: 'Your code is 938271',
          sensitive: ['938271'],
        }),
      ).rejects.toThrow(SmsProviderError);

      expect(JSON.parse(site.requests[0].body.toString()).message).toBe(
        'Your code is 938271',
      );
      const refused = logger.lines.find((l) => l.includes('SMS refused'));
      expect(refused).toContain('message="Your code is [redacted]"');
      expect(logger.text).not.toContain('938271');
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
      const sms = await compile({
        settings: gatewaySettings(),
        maxSegments: 1,
      });
      await expect(
        sms.send({ phone: '12345678', message: 'x' }),
      ).rejects.toThrow(SmsValidationError);
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
      const sms = await compile({
        settings: gatewaySettings(),
        timeoutMs: 300,
      });
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
        logger.lines.some((l) => l.startsWith('WARN') && /expired/i.test(l)),
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
  },
);

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

describe('SmsService retries', () => {
  let authority: PemCertificate;
  let server: HttpsTestServer;
  let moduleRef: TestingModule | undefined;
  let logger: CapturedLogs;

  beforeAll(async () => {
    authority = await createCertificateAuthority({ commonName: 'Retry CA' });
    server = await HttpsTestServer.start({ certificateAuthority: authority });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.clear();
    logger = new CapturedLogs();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  const gatewayAt = (url: string) => ({
    Type: 'GatewayApi',
    FromName: 'Acme',
    ApiUrl: `${url}/rest/mtsms`,
    ClientSecret: GATEWAY_TOKEN,
  });

  async function compile(options: Partial<SmsModuleOptions>) {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          settings: gatewayAt(server.url),
          extraCaCertificates: server.caPem,
          timeoutMs: 5_000,
          ...options,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    moduleRef.useLogger(logger);
    return moduleRef.get(SmsService);
  }

  const send = (sms: SmsService, environment?: string) =>
    sms.send({
      phone: '+4512345678',
      message: 'Your code is 123456',
      environment,
    });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the send was expected to fail');
      },
      (error: unknown) => error as SmsProviderError,
    );
  const warnings = () => logger.lines.filter((l) => l.startsWith('WARN'));
  const errors = () => logger.lines.filter((l) => l.startsWith('ERROR'));

  describe('where it is safe', () => {
    it('sends the same request again after a 429 and reports success', async () => {
      server
        .answerOnce({
          status: 429,
          headers: { 'retry-after': '0' },
          body: { message: 'slow down' },
        })
        .answer({ status: 200, body: { ids: [99] } });
      const sms = await compile({});

      const result = await send(sms);

      expect(result.messageId).toBe('99');
      expect(server.requests).toHaveLength(2);
      expect(server.requests[1].body).toEqual(server.requests[0].body);
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatch(
        /^WARN \[SmsService\] SMS refused: provider=GatewayApi .* status=429 .*response=.*slow down.* attempt=1 retryInMs=\d+$/,
      );
      expect(logger.text).toMatch(/SMS sent: .* messageId=99 .* attempts=2/);
      expect(errors()).toHaveLength(0);
    });

    it('tries a 503 with Retry-After again, and gives up after `retries` more attempts', async () => {
      server.answer({
        status: 503,
        headers: { 'retry-after': '0' },
        body: { message: 'maintenance' },
      });
      const sms = await compile({});

      const error = await failureOf(send(sms));

      expect(error).toBeInstanceOf(SmsProviderError);
      expect(error).toMatchObject({ status: 503, maybeSent: false });
      expect(server.requests).toHaveLength(3);
      expect(warnings()).toHaveLength(2);
      expect(errors()).toHaveLength(1);
      expect(errors()[0]).toMatch(/SMS refused: .*status=503 .* attempts=3\b/);
    });

    it('tries a TLS handshake the server cut again, and reports it as not sent', async () => {
      // A TCP server that accepts and closes at once: the handshake fails, nothing was written.
      let connections = 0;
      const cutter = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) =>
        cutter.listen(0, '127.0.0.1', resolve),
      );
      const { port } = cutter.address() as AddressInfo;
      try {
        const sms = await compile({
          settings: gatewayAt(`https://127.0.0.1:${port}`),
        });
        const error = await failureOf(send(sms));

        expect(error.maybeSent).toBe(false);
        expect(connections).toBe(3);
        expect(warnings()).toHaveLength(2);
        expect(errors()[0]).toMatch(
          /SMS failed: .*failure=tls maybeSent=false .* attempts=3\b/,
        );
      } finally {
        await new Promise((resolve) => cutter.close(resolve));
      }
    });

    it('tries a refused connection again, within the configured number of retries', async () => {
      const closed = await HttpsTestServer.start();
      const url = closed.url;
      await closed.close();
      const sms = await compile({ settings: gatewayAt(url), retries: 1 });

      const error = await failureOf(send(sms));

      expect(error.maybeSent).toBe(false);
      expect(error.message).toContain('(connect)');
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatch(
        /failure=connect maybeSent=false .* attempt=1 retryInMs=\d+$/,
      );
      expect(errors()[0]).toMatch(/attempts=2\b/);
    });

    it('tries a host that did not resolve again', async () => {
      const sms = await compile({
        settings: gatewayAt('https://no-such-provider.invalid'),
      });

      const error = await failureOf(send(sms));

      expect(error.maybeSent).toBe(false);
      expect(warnings()).toHaveLength(2);
      expect(warnings()[0]).toMatch(/failure=dns maybeSent=false .*ENOTFOUND/);
      expect(errors()[0]).toMatch(/failure=dns .* attempts=3\b/);
    });

    it("waits the provider's Retry-After, and stops when another wait would not fit in the timeout", async () => {
      server.answer({
        status: 429,
        headers: { 'retry-after': '1' },
        body: { message: 'slow down' },
      });
      const sms = await compile({ timeoutMs: 2_500, retries: 5 });

      const error = await failureOf(send(sms));

      // At 0 s and 1 s and 2 s: a fourth attempt would start after the 2.5 s budget.
      expect(server.requests).toHaveLength(3);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 1 });
      for (const warning of warnings())
        expect(warning).toMatch(/retryInMs=1000$/);
    });

    it('does not wait for a Retry-After longer than the time left', async () => {
      server.answer({ status: 429, headers: { 'retry-after': '10' } });
      const sms = await compile({ timeoutMs: 2_000 });

      const error = await failureOf(send(sms));

      expect(server.requests).toHaveLength(1);
      expect(error.retryAfterSeconds).toBe(10);
      expect(warnings()).toHaveLength(0);
    });

    it('does not retry at all with retries: 0', async () => {
      server.answer({ status: 429, headers: { 'retry-after': '0' } });
      const sms = await compile({ retries: 0 });

      await failureOf(send(sms));

      expect(server.requests).toHaveLength(1);
    });
  });

  describe('where the message may have been sent: never a second request', () => {
    it.each([
      ['a 500', { status: 500, body: { message: 'oops' } }],
      ['a 503 without Retry-After', { status: 503, body: 'busy' }],
      ['a 502', { status: 502 }],
      ['a reset after the request was written', { reset: true }],
    ])('%s', async (_name, answer) => {
      server.answer(answer);
      const sms = await compile({});

      const error = await failureOf(send(sms));

      expect(error.maybeSent).toBe(true);
      expect(server.requests).toHaveLength(1);
      expect(warnings()).toHaveLength(0);
      expect(errors()[0]).toMatch(/attempts=1\b/);
    });

    it('a read timeout', async () => {
      server.answer({ status: 200, bodyBytes: 100, byteDelayMs: 100 });
      const sms = await compile({ timeoutMs: 600 });

      const error = await failureOf(send(sms));

      expect(error).toBeInstanceOf(SmsTimeoutError);
      expect(error.maybeSent).toBe(true);
      expect(server.requests).toHaveLength(1);
    });
  });

  describe.each([
    ['a 400', { status: 400, body: { message: 'bad' } }],
    ['a 401', { status: 401, body: { message: 'bad token' } }],
    ['a 403', { status: 403, body: { message: 'no credit' } }],
    ['a 422', { status: 422, body: { message: 'invalid' } }],
  ])('where the provider refused for good: %s', (_name, answer) => {
    it('is not tried again', async () => {
      server.answer(answer);
      const sms = await compile({});

      const error = await failureOf(send(sms));

      expect(error.maybeSent).toBe(false);
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('Telia SMS Gateway, which deduplicates by clientCorrelator', () => {
    let clientCa: PemCertificate;
    let client: PemCertificate;
    let telia: HttpsTestServer;

    beforeAll(async () => {
      clientCa = await createCertificateAuthority({
        commonName: 'Telia clients',
      });
      client = await issueCertificate(clientCa, {
        commonName: 'telia-client',
        usage: 'client',
      });
      telia = await HttpsTestServer.start({
        certificateAuthority: authority,
        clientCa: clientCa.certificatePem,
      });
    });
    afterAll(() => telia.close());
    beforeEach(() => telia.clear());

    const teliaSettings = () => ({
      Type: 'TeliaSmsGateway',
      FromName: 'Acme',
      ApiUrl: `${telia.url}/messaging/v1/outbound/12345/requests`,
      ClientId: '12345',
      ClientSecret: 'telia-api-key-0001',
      CertificatePemCrt: client.certificatePem,
      CertificatePemKey: client.privateKeyPem,
    });
    const correlators = () =>
      telia.requests.map(
        (r) =>
          JSON.parse(r.body.toString()).outboundMessageRequest.clientCorrelator,
      );

    it('retries the POL3003 rate limit and a 500 with the same clientCorrelator', async () => {
      telia
        .answerOnce({
          status: 403,
          body: {
            requestError: {
              policyException: {
                messageId: 'POL3003',
                text: 'Too many requests',
              },
            },
          },
        })
        .answerOnce({ status: 500, body: 'gateway error' })
        .answer({
          status: 201,
          body: {
            resourceReference: { resourceURL: 'https://gw/requests/abc-1' },
          },
        });
      const sms = await compile({ settings: teliaSettings() });

      const result = await send(sms);

      expect(result.messageId).toBe('abc-1');
      expect(telia.requests).toHaveLength(3);
      expect(new Set(correlators()).size).toBe(1);
      expect(warnings()[0]).toMatch(
        /status=403 .*POL3003.* attempt=1 retryInMs=/,
      );
      expect(warnings()[1]).toMatch(/status=500 .* attempt=2 retryInMs=/);
    });

    it('redacts any 16 or more characters of the private key that the gateway echoes', async () => {
      const keyBody = client.privateKeyPem
        .split('\n')
        .filter((line) => !line.startsWith('-----'))
        .join('');
      const echoed = keyBody.slice(100, 130);
      telia.answer({
        status: 400,
        body: {
          requestError: {
            serviceException: {
              messageId: 'SVC0002',
              text: 'Invalid input value for part %1',
              variables: [echoed],
            },
          },
        },
      });
      const sms = await compile({ settings: teliaSettings(), retries: 0 });

      const error = await failureOf(send(sms));

      expect(error.providerText).toContain('Invalid input value for part');
      const said = `${logger.text}\n${error.message}\n${error.providerText}`;
      for (let i = 0; i + 16 <= echoed.length; i += 1)
        expect(said).not.toContain(echoed.slice(i, i + 16));
    });

    it('gives each message its own clientCorrelator', async () => {
      telia.answer({ status: 201, body: {} });
      const sms = await compile({ settings: teliaSettings() });

      await send(sms);
      await send(sms);

      expect(new Set(correlators()).size).toBe(2);
    });
  });

  describe('the environment address policy', () => {
    const refuseLoopback = (address: string) =>
      address !== '127.0.0.1' && address !== '::1';

    it("refuses an environment's loopback URL without retrying, and keeps sending with the site settings", async () => {
      server.answer({ status: 200, body: { ids: [5] } });
      const sms = await compile({ environmentAddressPolicy: refuseLoopback });
      const source = moduleRef!.get(
        SmsSettingsSource,
      ) as InMemorySmsSettingsSource;
      source.set('tenant', {
        type: 'GatewayApi',
        fromName: 'Tenant',
        apiUrl: `https://localhost:${server.port}/rest/mtsms`,
        clientSecret: 'tenant-token-77',
      });

      const error = await failureOf(send(sms, 'tenant'));
      const site = await send(sms, 'other');

      expect(error).toBeInstanceOf(SmsProviderError);
      expect(error.maybeSent).toBe(false);
      expect(error.message).toBe(
        'GatewayApi could not be reached or the exchange failed (connect): The host localhost is or resolves to an address that environment settings may not reach (a loopback, private or otherwise internal address); no request was sent.',
      );
      expect(site).toMatchObject({ source: 'site', messageId: '5' });
      expect(server.requests).toHaveLength(1);
      expect(warnings()).toHaveLength(0);
      expect(errors()[0]).toMatch(
        /source=environment:tenant failure=connect maybeSent=false .* attempts=1\b/,
      );
      expect(logger.text).not.toContain('tenant-token-77');
    });

    it('sends for the environment when the policy allows its address', async () => {
      server.answer({ status: 200, body: { ids: [6] } });
      const sms = await compile({ environmentAddressPolicy: () => true });
      const source = moduleRef!.get(
        SmsSettingsSource,
      ) as InMemorySmsSettingsSource;
      source.set('tenant', {
        type: 'GatewayApi',
        fromName: 'Tenant',
        apiUrl: `https://127.0.0.1:${server.port}/rest/mtsms`,
        clientSecret: 'tenant-token-77',
      });

      await expect(send(sms, 'tenant')).resolves.toMatchObject({
        source: 'environment',
        messageId: '6',
      });
    });
  });

  it('gives up waiting for the next attempt when the module is closed', async () => {
    server.answer({ status: 429, headers: { 'retry-after': '3' } });
    const sms = await compile({ timeoutMs: 10_000 });

    const pending = failureOf(send(sms));
    await vi.waitFor(() => expect(warnings()).toHaveLength(1));
    await moduleRef!.close();
    moduleRef = undefined;
    const error = await pending;

    expect(error.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });
});

import { Test, type TestingModule } from '@nestjs/testing';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { CapturedLogs } from '../../../../test/support/captured-logs.js';
import { FaultProviderServer } from '../../../../test/support/fault-provider.server.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { SmsFallbackNotConfiguredError } from '../errors/sms-fallback-not-configured.error.js';
import {
  SmsProviderError,
  SmsTimeoutError,
} from '../errors/sms-provider.error.js';
import { SmsEvents } from '../events/sms-events.js';
import type { SmsEvent } from '../events/sms-event.interface.js';
import { toHttpException } from '../http/sms-error.http-mapping.js';
import { InMemorySmsSettingsSource } from '../settings/sms-settings.source.js';
import { parseEnvironmentSmsSettings } from '../settings/sms-settings.validator.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsModule } from '../sms.module.js';
import { SmsService } from '../sms.service.js';

const GATEWAY_TOKEN = 'gw-token-f41l0v3r-secret';
const FALLBACK_TOKEN = 'fallback-token-f41l0v3r-secret';
const TELIA_KEY = 'telia-key-f41l0v3r-secret';
const SITE_TOKEN = 'site-token-f41l0v3r-secret';
const PHONE = '+4512345678';

describe('failover (through SmsModule, against real HTTPS servers)', () => {
  let providersCa: PemCertificate;
  let client: PemCertificate;
  let stranger: PemCertificate;
  let primary: FaultProviderServer;
  let fallback: FaultProviderServer;
  let telia: FaultProviderServer;
  let untrusted: HttpsTestServer;
  let closedPortUrl: string;
  let moduleRef: TestingModule | undefined;
  let logger: CapturedLogs;
  let events: SmsEvent[];

  beforeAll(async () => {
    providersCa = await createCertificateAuthority({
      commonName: 'Failover providers CA',
    });
    const clientCa = await createCertificateAuthority({
      commonName: 'Failover Telia clients',
    });
    client = await issueCertificate(clientCa, {
      commonName: 'acme-telia',
      usage: 'client',
    });
    stranger = await issueCertificate(
      await createCertificateAuthority({ commonName: 'Unknown clients' }),
      { commonName: 'stranger', usage: 'client' },
    );
    primary = await FaultProviderServer.start({
      certificateAuthority: providersCa,
    });
    fallback = await FaultProviderServer.start({
      certificateAuthority: providersCa,
    });
    telia = await FaultProviderServer.start({
      certificateAuthority: providersCa,
      clientCa: clientCa.certificatePem,
    });
    untrusted = await HttpsTestServer.start();
    const closed = await HttpsTestServer.start();
    closedPortUrl = closed.url;
    await closed.close();
  });
  afterAll(async () => {
    await primary?.close();
    await fallback?.close();
    await telia?.close();
    await untrusted?.close();
  });
  beforeEach(() => {
    primary.clear();
    fallback.clear();
    telia.clear();
    logger = new CapturedLogs();
    events = [];
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  const gatewayApi = (apiUrl: string, clientSecret = GATEWAY_TOKEN) => ({
    type: 'GatewayApi',
    fromName: 'Acme',
    apiUrl,
    clientSecret,
  });
  const teliaWith = (apiUrl: string, certificate = client) => ({
    type: 'TeliaSmsGateway',
    fromName: 'Acme',
    apiUrl,
    clientId: '12345',
    clientSecret: TELIA_KEY,
    certificatePemCrt: certificate.certificatePem,
    certificatePemKey: certificate.privateKeyPem,
  });
  const fallbackOk = () =>
    gatewayApi(`${fallback.url}/faults/ok`, FALLBACK_TOKEN);

  async function start(
    environments: Record<string, Record<string, unknown>>,
    options: Partial<SmsModuleOptions> = {},
  ): Promise<SmsService> {
    const source = new InMemorySmsSettingsSource();
    for (const [name, settings] of Object.entries(environments)) {
      source.set(name, parseEnvironmentSmsSettings(settings));
    }
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          extraCaCertificates: providersCa.certificatePem,
          settingsSource: source,
          timeoutMs: 3_000,
          retries: 0,
          ...options,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    moduleRef.useLogger(logger);
    moduleRef.get(SmsEvents).subscribe((event) => events.push(event));
    return moduleRef.get(SmsService);
  }

  /** The log and the errors hold no secret of either provider. */
  function expectNoSecrets(...answers: unknown[]): void {
    const everything = [
      logger.text,
      ...answers.map((answer) => JSON.stringify(answer)),
    ].join('\n');
    for (const secret of [GATEWAY_TOKEN, FALLBACK_TOKEN, TELIA_KEY]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(client.privateKeyPem.split('\n')[1]);
    expect(everything).not.toContain(stranger.privateKeyPem.split('\n')[1]);
  }

  const failoverLines = () =>
    logger.lines.filter((line) => line.includes('SMS failover:'));

  describe('fails over when the primary certainly did not send', () => {
    it.each([
      ['connection refused', () => closedPortUrl, 'connect refused'],
      ['DNS failure', () => 'https://primary.invalid/sms', 'dns failure'],
      [
        'TLS handshake failure',
        () => `${untrusted.url}/sms`,
        'tls handshake failed',
      ],
      ['401', () => `${primary.url}/faults/status-401`, 'status 401'],
      ['403', () => `${primary.url}/faults/status-403`, 'status 403'],
      ['404', () => `${primary.url}/faults/status-404`, 'status 404'],
      ['429', () => `${primary.url}/faults/status-429`, 'status 429'],
      [
        '503 with Retry-After',
        () => `${primary.url}/faults/status-503-retry-after`,
        'status 503',
      ],
    ])(
      '%s: the fallback gets exactly one request',
      async (_name, url, reason) => {
        const sms = await start({
          acme: { ...gatewayApi(url()), fallback: fallbackOk() },
        });

        const result = await sms.send({
          phone: PHONE,
          message: 'code 1234',
          environment: 'acme',
        });

        expect(result).toMatchObject({
          provider: 'GatewayApi',
          failoverFrom: 'GatewayApi',
          source: 'environment',
          environment: 'acme',
        });
        expect(fallback.requests).toHaveLength(1);
        expect(fallback.requests[0].message).toBe('code 1234');
        expect(failoverLines()).toEqual([
          `WARN [SmsService] SMS failover: from=GatewayApi to=GatewayApi phone=${PHONE} source=environment:acme environment=acme reason=${reason}`,
        ]);
        expect(events.filter((event) => event.type === 'failover')).toEqual([
          {
            type: 'failover',
            from: 'GatewayApi',
            to: 'GatewayApi',
            reason: reason.startsWith('status') ? 'status' : 'network',
          },
        ]);
        expectNoSecrets(result);
      },
    );

    it('2xx with an error body (Smstools): the fallback gets exactly one request', async () => {
      const sms = await start({
        acme: {
          type: 'Smstools',
          fromName: 'Acme',
          apiUrl: `${primary.url}/faults/error-body-200`,
          clientId: 'acme-client',
          clientSecret: GATEWAY_TOKEN,
          fallback: fallbackOk(),
        },
      });

      const result = await sms.send({
        phone: PHONE,
        message: 'error body',
        environment: 'acme',
      });

      expect(result).toMatchObject({
        provider: 'GatewayApi',
        failoverFrom: 'Smstools',
      });
      expect(fallback.requests).toHaveLength(1);
      expect(failoverLines()[0]).toMatch(
        /from=Smstools to=GatewayApi .* reason=status 200$/,
      );
      expectNoSecrets(result);
    });

    it("fails over only after the primary's own retries", async () => {
      const sms = await start(
        {
          acme: {
            ...gatewayApi(`${primary.url}/faults/status-429-retry-now`),
            fallback: fallbackOk(),
          },
        },
        { retries: 2 },
      );

      const result = await sms.send({
        phone: PHONE,
        message: 'retried first',
        environment: 'acme',
      });

      expect(result.failoverFrom).toBe('GatewayApi');
      expect(primary.requests).toHaveLength(3);
      expect(fallback.requests).toHaveLength(1);
    });
  });

  describe('never fails over when the message may have been sent, or was malformed', () => {
    it.each([
      ['reset after the request was written', 'reset-before-answer', true],
      ['reset in the middle of the answer', 'reset-mid-body', true],
      ['timeout after the request was written', 'slow-body', true],
      ['500', 'status-500', true],
      ['503 without Retry-After', 'status-503', true],
      ['400', 'status-400', false],
      ['422', 'status-422', false],
    ])(
      '%s: the primary error, the fallback gets nothing',
      async (_name, fault, maybeSent) => {
        const sms = await start({
          acme: {
            ...gatewayApi(`${primary.url}/faults/${fault}`),
            fallback: fallbackOk(),
          },
        });

        const failure = await sms
          .send({ phone: PHONE, message: 'once only', environment: 'acme' })
          .catch((error: unknown) => error);

        expect(failure).toBeInstanceOf(SmsProviderError);
        expect(failure).toMatchObject({
          provider: 'GatewayApi',
          maybeSent,
          failoverFrom: null,
        });
        expect(primary.requests).toHaveLength(1);
        expect(fallback.requests).toHaveLength(0);
        expect(failoverLines()).toEqual([]);
        expect(events.some((event) => event.type === 'failover')).toBe(false);
        expectNoSecrets(failure);
      },
    );
  });

  it("gives the fallback's error, with failoverFrom, when both fail", async () => {
    const sms = await start({
      acme: {
        ...gatewayApi(closedPortUrl),
        fallback: teliaWith(`${telia.url}/telia/slow-body`),
      },
    });

    const failure = await sms
      .send({ phone: PHONE, message: 'both down', environment: 'acme' })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SmsTimeoutError);
    expect(failure).toMatchObject({
      provider: 'TeliaSmsGateway',
      maybeSent: true,
      failoverFrom: 'GatewayApi',
    });
    expect(toHttpException(failure)?.getResponse()).toMatchObject({
      statusCode: 504,
      provider: 'TeliaSmsGateway',
      maybeSent: true,
      failoverFrom: 'GatewayApi',
    });
    expectNoSecrets(failure);
  });

  describe('Telia', () => {
    it('as the primary: POL3003 and a refused client certificate fail over', async () => {
      const sms = await start({
        pol: {
          ...teliaWith(`${telia.url}/telia/telia-pol3003`),
          fallback: fallbackOk(),
        },
        refused: {
          ...teliaWith(`${telia.url}/telia/telia-ok`, stranger),
          fallback: fallbackOk(),
        },
      });

      for (const environment of ['pol', 'refused']) {
        const result = await sms.send({
          phone: PHONE,
          message: `telia ${environment}`,
          environment,
        });
        expect(result).toMatchObject({
          provider: 'GatewayApi',
          failoverFrom: 'TeliaSmsGateway',
        });
      }
      expect(fallback.requests.map((r) => r.message)).toEqual([
        'telia pol',
        'telia refused',
      ]);
      expect(failoverLines()[0]).toContain('reason=status 403');
      expect(failoverLines()[1]).toContain('reason=tls handshake failed');
      expectNoSecrets();
    });

    it('as the primary: no failover once an earlier attempt may have sent the message', async () => {
      const sms = await start(
        {
          acme: {
            ...teliaWith(`${telia.url}/telia/telia-500-then-pol3003`),
            fallback: fallbackOk(),
          },
        },
        { retries: 1 },
      );

      const failure = await sms
        .send({ phone: PHONE, message: '500 first', environment: 'acme' })
        .catch((error: unknown) => error);

      expect(failure).toMatchObject({
        provider: 'TeliaSmsGateway',
        status: 403,
        providerCode: 'POL3003',
        maybeSent: true,
        failoverFrom: null,
      });
      expect(new Set(telia.requests.map((r) => r.clientCorrelator)).size).toBe(
        1,
      );
      expect(telia.requests).toHaveLength(2);
      expect(fallback.requests).toHaveLength(0);
    });

    it('as the fallback: sends with its client certificate', async () => {
      const sms = await start({
        acme: {
          ...gatewayApi(`${primary.url}/faults/status-401`),
          fallback: teliaWith(`${telia.url}/telia/telia-ok`),
        },
      });

      const result = await sms.send({
        phone: PHONE,
        message: 'telia takes it',
        environment: 'acme',
      });

      expect(result).toMatchObject({
        provider: 'TeliaSmsGateway',
        failoverFrom: 'GatewayApi',
      });
      expect(telia.requests).toHaveLength(1);
      expect(telia.requests[0].clientCorrelator).toBeDefined();
      expectNoSecrets(result);
    });
  });

  describe('the circuit breaker', () => {
    it('opens after 5 eligible failures, skips the primary, tries it once after the cool-off, and closes', async () => {
      const sms = await start({
        acme: {
          ...gatewayApi(`${primary.url}/faults/status-429-once`),
          fallback: fallbackOk(),
        },
      });
      const send = (message: string) =>
        sms.send({ phone: PHONE, message, environment: 'acme' });

      // Each message's first request is refused with a 429: five in a row.
      for (let i = 1; i <= 5; i++) await send(`refused ${i}`);
      expect(primary.requests).toHaveLength(5);
      expect(fallback.requests).toHaveLength(5);
      expect(logger.text).toMatch(
        /WARN \[SmsService\] SMS circuit opened: provider=GatewayApi source=environment:acme fallback=GatewayApi openForMs=30000/,
      );

      const whileOpen = await send('while open');
      expect(whileOpen.failoverFrom).toBe('GatewayApi');
      expect(primary.requests).toHaveLength(5);
      expect(failoverLines().at(-1)).toMatch(/reason=circuit-open$/);
      expect(
        events.filter((event) => event.type === 'failover').at(-1),
      ).toEqual({
        type: 'failover',
        from: 'GatewayApi',
        to: 'GatewayApi',
        reason: 'circuit_open',
      });
    });

    it('keeps the circuit per settings object, and opens it again after a failed trial', async () => {
      const failing = () => ({
        ...gatewayApi(`${primary.url}/faults/status-503-retry-after`),
        fallback: fallbackOk(),
      });
      const sms = await start(
        { acme: failing(), other: failing() },
        { circuitBreakerThreshold: 2, circuitBreakerCooldownMs: 200 },
      );
      const send = (message: string, environment = 'acme') =>
        sms.send({ phone: PHONE, message, environment });
      await send('one');
      await send('two');
      await send('open');
      expect(primary.requests).toHaveLength(2);
      await send('its own circuit', 'other');
      expect(primary.requests).toHaveLength(3);

      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await send('failed trial')).failoverFrom).toBe('GatewayApi');
      expect(primary.requests).toHaveLength(4);
      await send('open again');
      expect(primary.requests).toHaveLength(4);
      expect(fallback.requests).toHaveLength(6);
    });

    it('closes after a successful trial', async () => {
      const sms = await start(
        {
          acme: {
            ...gatewayApi(`${primary.url}/faults/status-429-once`),
            fallback: fallbackOk(),
          },
        },
        { circuitBreakerThreshold: 1, circuitBreakerCooldownMs: 200 },
      );
      const send = (message: string) =>
        sms.send({ phone: PHONE, message, environment: 'acme' });
      // A 429 on the first request of "trial", then 200 on its next: the trial is "trial" again.
      expect((await send('trial')).failoverFrom).toBe('GatewayApi');
      expect((await send('skipped')).failoverFrom).toBe('GatewayApi');
      expect(primary.requests).toHaveLength(1);

      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await send('trial')).failoverFrom).toBeNull();
      expect(primary.requests).toHaveLength(2);
      expect(logger.text).toContain(
        'LOG [SmsService] SMS circuit closed: provider=GatewayApi source=environment:acme',
      );
      expect((await send('closed')).failoverFrom).toBe('GatewayApi');
      expect(primary.requests).toHaveLength(3);
    });
  });

  it('fails over from a site client certificate that has expired, without a request to the primary', async () => {
    const expired = await issueCertificate(
      await createCertificateAuthority({ commonName: 'Expired clients' }),
      {
        commonName: 'expired',
        usage: 'client',
        notBefore: new Date(Date.now() - 10 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      },
    );
    const sms = await start(
      {},
      {
        settings: {
          Type: 'TeliaSmsGateway',
          FromName: 'Acme',
          ApiUrl: `${telia.url}/telia/telia-ok`,
          ClientId: '12345',
          ClientSecret: TELIA_KEY,
          CertificatePemCrt: expired.certificatePem,
          CertificatePemKey: expired.privateKeyPem,
          Fallback: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${fallback.url}/faults/ok`,
            ClientSecret: FALLBACK_TOKEN,
          },
        },
      },
    );

    const result = await sms.send({ phone: PHONE, message: 'expired' });

    expect(result).toMatchObject({
      provider: 'GatewayApi',
      failoverFrom: 'TeliaSmsGateway',
    });
    expect(telia.requests).toHaveLength(0);
    expect(fallback.requests).toHaveLength(1);
    expect(failoverLines()[0]).toMatch(
      /source=site environment=- reason=client certificate unusable$/,
    );
    expect(logger.text).not.toContain(expired.privateKeyPem.split('\n')[1]);
    expectNoSecrets(result);
  });

  it("never uses the site's fallback for an environment with settings of its own", async () => {
    const sms = await start(
      { acme: gatewayApi(closedPortUrl) },
      {
        settings: {
          Type: 'GatewayApi',
          FromName: 'Site',
          ApiUrl: `${primary.url}/faults/ok`,
          ClientSecret: SITE_TOKEN,
          Fallback: {
            Type: 'GatewayApi',
            FromName: 'Site',
            ApiUrl: `${fallback.url}/faults/ok`,
            ClientSecret: FALLBACK_TOKEN,
          },
        },
      },
    );

    await expect(
      sms.send({ phone: PHONE, message: 'own only', environment: 'acme' }),
    ).rejects.toMatchObject({ maybeSent: false, failoverFrom: null });
    expect(fallback.requests).toHaveLength(0);
    expect(failoverLines()).toEqual([]);

    const direct = await sms.send({
      phone: PHONE,
      message: 'site fallback directly',
      environment: null,
      use: 'fallback',
    });
    expect(direct).toMatchObject({
      provider: 'GatewayApi',
      failoverFrom: null,
    });
    expect(fallback.requests.map((r) => r.message)).toEqual([
      'site fallback directly',
    ]);
    expect(primary.requests).toHaveLength(0);
  });

  it("refuses use: 'fallback' with a 400 when the settings have none", async () => {
    const sms = await start({ acme: gatewayApi(`${primary.url}/faults/ok`) });

    const failure = await sms
      .send({
        phone: PHONE,
        message: 'no fallback',
        environment: 'acme',
        use: 'fallback',
      })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SmsFallbackNotConfiguredError);
    expect(toHttpException(failure)?.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      field: 'use',
      message: expect.stringContaining(
        'settings of environment "acme" have no fallback provider',
      ),
    });
    expect(primary.requests).toHaveLength(0);
  });
});

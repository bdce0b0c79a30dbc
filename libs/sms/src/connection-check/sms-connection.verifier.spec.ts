import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { SmsConnectionVerifier } from './sms-connection.verifier.js';
import type { SmsConnectionReport } from './sms-connection-report.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import { createSmsHttpModule } from '../transport/sms-http-transport.factory.js';
import { createSmsProviders } from '../sms.providers.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from '../settings/sms-settings.source.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmsNotConfiguredError } from '../errors/sms-not-configured.error.js';
import { CapturedLogs } from '../../../../test/support/captured-logs.js';

const TOKEN = 'verify-token-secret-9911';
const TELIA_KEY = 'telia-key-secret-5500';

/** The result of every step, by name. */
const resultsOf = (report: SmsConnectionReport) =>
  Object.fromEntries(report.steps.map((step) => [step.name, step.result]));
const stepOf = (report: SmsConnectionReport, name: string) =>
  report.steps.find((step) => step.name === name)!;

describe('SmsConnectionVerifier', () => {
  let authority: PemCertificate;
  let server: HttpsTestServer;
  let moduleRef: TestingModule | undefined;
  let logger: CapturedLogs;

  beforeAll(async () => {
    authority = await createCertificateAuthority({ commonName: 'Verify CA' });
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
    ClientSecret: TOKEN,
  });

  /** The verifier as SmsModule provides it, with environments' settings in memory. */
  async function compile(
    options: SmsModuleOptions,
    environments: Record<string, SmsSettings> = {},
  ) {
    const source = new InMemorySmsSettingsSource();
    for (const [name, settings] of Object.entries(environments)) {
      source.set(name, settings);
    }
    moduleRef = await Test.createTestingModule({
      imports: [createSmsHttpModule()],
      providers: [
        ...createSmsProviders(),
        {
          provide: SMS_MODULE_OPTIONS,
          useValue: {
            extraCaCertificates: server.caPem,
            settingsSource: source,
            ...options,
          },
        },
      ],
    })
      .setLogger(logger)
      .compile();
    moduleRef.useLogger(logger);
    await moduleRef.init();
    expect(moduleRef.get(SmsSettingsSource)).toBe(source);
    return moduleRef.get(SmsConnectionVerifier);
  }

  it('checks DNS, TCP, TLS and the server certificate without sending anything', async () => {
    const verifier = await compile({
      settings: gatewayAt(`https://localhost:${server.port}`),
    });
    const connectionsBefore = server.tlsConnections;

    const report = await verifier.verify(null);

    expect(report).toMatchObject({
      ok: true,
      provider: 'GatewayApi',
      source: 'site',
      environment: null,
      target: `localhost:${server.port}`,
    });
    expect(report.steps.map((step) => step.name)).toEqual([
      'dns',
      'tcp',
      'tls',
      'serverCertificate',
      'clientCertificate',
    ]);
    expect(resultsOf(report)).toEqual({
      dns: 'ok',
      tcp: 'ok',
      tls: 'ok',
      serverCertificate: 'ok',
      clientCertificate: 'skipped',
    });
    expect(stepOf(report, 'dns').addresses).toContain('127.0.0.1');
    expect(stepOf(report, 'tcp').addresses).toEqual(['127.0.0.1']);
    expect(stepOf(report, 'tls').protocol).toBe('TLSv1.3');
    expect(stepOf(report, 'serverCertificate').certificate).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=Verify CA',
    });
    for (const step of report.steps) {
      expect(step.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(server.requests).toHaveLength(0);
    await vi.waitFor(() =>
      expect(server.tlsConnections).toBe(connectionsBefore + 1),
    );
    await vi.waitFor(async () =>
      expect(await server.openConnections()).toBe(0),
    );
    expect(logger.text).toMatch(
      /SMS connection verified: provider=GatewayApi url=https:\/\/localhost:\d+\/rest\/mtsms source=site ok=true steps=dns:ok,tcp:ok,tls:ok,serverCertificate:ok,clientCertificate:skipped durationMs=\d+/,
    );
    expect(logger.text).not.toContain(TOKEN);
  });

  it('checks an IP address without a lookup', async () => {
    const verifier = await compile({ settings: gatewayAt(server.url) });

    const report = await verifier.verify(null);

    expect(report.ok).toBe(true);
    expect(stepOf(report, 'dns').detail).toBe(
      'The host is the IP address 127.0.0.1; nothing to resolve.',
    );
  });

  it('reports a server certificate from an untrusted CA', async () => {
    const stranger = await HttpsTestServer.start();
    try {
      const verifier = await compile({ settings: gatewayAt(stranger.url) });

      const report = await verifier.verify(null);

      expect(report.ok).toBe(false);
      expect(resultsOf(report)).toMatchObject({
        dns: 'ok',
        tcp: 'ok',
        tls: 'failed',
        serverCertificate: 'failed',
      });
      expect(stepOf(report, 'serverCertificate').detail).toMatch(
        /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): /,
      );
      expect(stranger.requests).toHaveLength(0);
    } finally {
      await stranger.close();
    }
  });

  it('reports a closed port, and skips what needs a connection', async () => {
    const closed = await HttpsTestServer.start();
    const url = closed.url;
    await closed.close();
    const verifier = await compile({ settings: gatewayAt(url) });

    const report = await verifier.verify(null);

    expect(resultsOf(report)).toEqual({
      dns: 'ok',
      tcp: 'failed',
      tls: 'skipped',
      serverCertificate: 'skipped',
      clientCertificate: 'skipped',
    });
    expect(stepOf(report, 'tcp').detail).toMatch(/^ECONNREFUSED: /);
  });

  it('reports a host that does not resolve', async () => {
    const verifier = await compile({
      settings: gatewayAt('https://no-such-provider.invalid'),
    });

    const report = await verifier.verify(null);

    expect(report.ok).toBe(false);
    expect(resultsOf(report)).toMatchObject({ dns: 'failed', tcp: 'skipped' });
    expect(stepOf(report, 'dns').detail).toMatch(/^ENOTFOUND: /);
  });

  it('stops at the timeout when the server never completes the handshake', async () => {
    const sockets = new Set<Socket>();
    // It reads (and ignores) the client's hello, so that it notices when the client hangs up.
    const silent = createServer((socket) => sockets.add(socket.resume()));
    await new Promise<void>((resolve) =>
      silent.listen(0, '127.0.0.1', resolve),
    );
    const { port } = silent.address() as AddressInfo;
    try {
      const verifier = await compile({
        settings: gatewayAt(`https://127.0.0.1:${port}`),
        timeoutMs: 300,
      });

      const report = await verifier.verify(null);

      expect(resultsOf(report)).toMatchObject({ tcp: 'ok', tls: 'failed' });
      expect(stepOf(report, 'tls').detail).toMatch(
        /^The handshake failed: no answer within \d+ ms\.$/,
      );
      // The verifier closed its connection.
      await vi.waitFor(() =>
        expect([...sockets].every((socket) => socket.closed)).toBe(true),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails clearly when nothing is configured', async () => {
    const verifier = await compile({});
    await expect(verifier.verify('tenant')).rejects.toBeInstanceOf(
      SmsNotConfiguredError,
    );
  });

  describe('environment settings and the address policy', () => {
    const tenant = (): SmsSettings => ({
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl: `https://localhost:${server.port}/rest/mtsms`,
      clientSecret: TOKEN,
    });

    it("reports an environment's host that resolves to a refused address, and leaves the site alone", async () => {
      const verifier = await compile(
        {
          settings: gatewayAt(`https://localhost:${server.port}`),
          environmentAddressPolicy: (address) => address !== '127.0.0.1',
        },
        { tenant: tenant() },
      );

      const report = await verifier.verify('tenant');
      const site = await verifier.verify('other');

      expect(report).toMatchObject({
        ok: false,
        source: 'environment',
        environment: 'tenant',
      });
      expect(resultsOf(report)).toMatchObject({
        dns: 'failed',
        tcp: 'skipped',
        tls: 'skipped',
      });
      expect(stepOf(report, 'dns')).toEqual({
        name: 'dns',
        result: 'failed',
        durationMs: expect.any(Number),
        detail:
          'The host localhost resolves to an address that environment settings may not reach (a loopback, private or otherwise internal address); a send would be refused.',
      });
      expect(JSON.stringify(report.steps)).not.toContain('127.0.0.1');
      expect(site).toMatchObject({ ok: true, source: 'site' });
    });

    it('does not show a refused IP address of the settings in the dns step', async () => {
      const verifier = await compile(
        { environmentAddressPolicy: (address) => address !== '127.0.0.1' },
        { tenant: { ...tenant(), apiUrl: `${server.url}/rest/mtsms` } },
      );

      const report = await verifier.verify('tenant');

      expect(stepOf(report, 'dns')).toEqual({
        name: 'dns',
        result: 'failed',
        durationMs: expect.any(Number),
        detail:
          'The host is an IP address that environment settings may not reach (a loopback, private or otherwise internal address); a send would be refused.',
      });
      expect(JSON.stringify(report.steps)).not.toContain('127.0.0.1');
    });

    it('checks the environment when the policy allows its address', async () => {
      const verifier = await compile(
        { environmentAddressPolicy: () => true },
        { tenant: tenant() },
      );
      await expect(verifier.verify('tenant')).resolves.toMatchObject({
        ok: true,
        source: 'environment',
      });
    });
  });

  describe.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'Telia over mutual %s',
    (version) => {
      let clientCa: PemCertificate;
      let right: PemCertificate;
      let wrong: PemCertificate;
      let expired: PemCertificate;
      let telia: HttpsTestServer;

      beforeAll(async () => {
        clientCa = await createCertificateAuthority({
          commonName: 'Telia clients',
        });
        right = await issueCertificate(clientCa, {
          commonName: 'right-client',
          usage: 'client',
        });
        expired = await issueCertificate(clientCa, {
          commonName: 'expired-client',
          usage: 'client',
          notBefore: new Date(Date.now() - 10 * 86_400_000),
          notAfter: new Date(Date.now() - 86_400_000),
        });
        wrong = await issueCertificate(
          await createCertificateAuthority({ commonName: 'Strangers' }),
          { commonName: 'wrong-client', usage: 'client' },
        );
        telia = await HttpsTestServer.start({
          certificateAuthority: authority,
          clientCa: clientCa.certificatePem,
          minVersion: version,
          maxVersion: version,
        });
      });
      afterAll(() => telia.close());

      const teliaWith = (certificate: PemCertificate): SmsSettings => ({
        type: 'TeliaSmsGateway',
        fromName: 'Acme',
        apiUrl: `${telia.url}/messaging/v1/outbound/12345/requests`,
        clientId: '12345',
        clientSecret: TELIA_KEY,
        certificatePemCrt: certificate.certificatePem,
        certificatePemKey: certificate.privateKeyPem,
      });

      it('completes the handshake with the client certificate and checks its validity', async () => {
        const verifier = await compile({}, { tenant: teliaWith(right) });

        const report = await verifier.verify('tenant');

        expect(resultsOf(report)).toEqual({
          dns: 'ok',
          tcp: 'ok',
          tls: 'ok',
          serverCertificate: 'ok',
          clientCertificate: 'ok',
        });
        expect(stepOf(report, 'tls').protocol).toBe(version);
        expect(stepOf(report, 'tls').detail).toContain(
          'The server asked for the client certificate and completed the handshake with it.',
        );
        expect(stepOf(report, 'clientCertificate').certificate).toMatchObject({
          subject: 'CN=right-client',
          issuer: 'CN=Telia clients',
        });
        expect(telia.requests).toHaveLength(0);
        expect(JSON.stringify(report)).not.toContain(
          right.privateKeyPem.split('\n')[1],
        );
        expect(logger.text).not.toContain(TELIA_KEY);
      });

      it('says so when the server does not ask for the client certificate', async () => {
        const open = await HttpsTestServer.start({
          certificateAuthority: authority,
          minVersion: version,
          maxVersion: version,
        });
        try {
          const verifier = await compile(
            {},
            {
              tenant: {
                ...teliaWith(right),
                apiUrl: `${open.url}/messaging/v1/outbound/12345/requests`,
              },
            },
          );

          const report = await verifier.verify('tenant');

          expect(resultsOf(report)).toMatchObject({
            tls: 'ok',
            clientCertificate: 'ok',
          });
          expect(stepOf(report, 'tls').protocol).toBe(version);
          expect(stepOf(report, 'tls').detail).toMatch(
            / The server did not ask for a client certificate, so none was presented\.$/,
          );
          expect(stepOf(report, 'tls').detail).not.toContain('accepted');
          expect(open.requests).toHaveLength(0);
        } finally {
          await open.close();
        }
      });

      it('reports a client certificate the server refuses', async () => {
        const verifier = await compile({}, { tenant: teliaWith(wrong) });

        const report = await verifier.verify('tenant');

        expect(report.ok).toBe(false);
        expect(resultsOf(report)).toMatchObject({
          tcp: 'ok',
          tls: 'failed',
          clientCertificate: 'ok',
        });
        expect(stepOf(report, 'tls').detail).toMatch(/^The handshake failed: /);
        expect(telia.requests).toHaveLength(0);
      });

      it('reports an expired client certificate', async () => {
        const verifier = await compile({}, { tenant: teliaWith(expired) });

        const report = await verifier.verify('tenant');

        expect(report.ok).toBe(false);
        expect(stepOf(report, 'clientCertificate')).toMatchObject({
          result: 'failed',
          detail: expect.stringMatching(
            /^The client certificate is outside its validity period \(expired on .+\)\.$/,
          ),
        });
      });
    },
  );
});

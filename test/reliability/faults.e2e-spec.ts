import request from 'supertest';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import { FaultProviderServer } from '../support/fault-provider.server.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';
import { TRANSPORT_KINDS } from '../support/sms-http-transport.fixture.js';

const API_KEY = 'faults-api-key-0123456789';
const GATEWAY_TOKEN = 'gateway-token-f4u1t5-secret';
const SMSTOOLS_SECRET = 'smstools-secret-f4u1t5';
const TELIA_KEY = 'telia-api-key-f4u1t5-secret';
const PHONE = '+4512345678';
const TIMEOUT_SECONDS = 3;

/** TCP sockets open in this process: the service's, the providers' and the test client's. */
const openSockets = () =>
  process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'TCPSocketWrap').length;

/** What one fault must come to at the service's API. */
interface Expectation {
  /** The HTTP status of the test send. */
  status: number;
  /** Fields of the answer's body. */
  body: Record<string, unknown>;
  /** How many requests the provider received for the send. */
  providerRequests: number;
  /** Log lines that must be there, in order (one pattern a line). */
  logs: RegExp[];
  /** The answer's Retry-After header. */
  retryAfter?: string;
}

describe.each(TRANSPORT_KINDS)(
  'fault injection (loopback providers) (%s transport)',
  (transport) => {
    let providersCa: PemCertificate;
    let clientCa: PemCertificate;
    let client: PemCertificate;
    let stranger: PemCertificate;
    let faults: FaultProviderServer;
    let telia: FaultProviderServer;
    // The site's fallback: environments with settings of their own never use it, whatever fails.
    let siteFallback: FaultProviderServer;
    let untrusted: HttpsTestServer;
    let closedPortUrl: string;
    let service: ServiceTestApp;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      process.on('uncaughtException', onUnhandled);
      providersCa = await createCertificateAuthority({
        commonName: 'Fault providers CA',
      });
      clientCa = await createCertificateAuthority({
        commonName: 'Telia clients',
      });
      client = await issueCertificate(clientCa, {
        commonName: 'acme-telia',
        usage: 'client',
      });
      stranger = await issueCertificate(
        await createCertificateAuthority({ commonName: 'Unknown clients' }),
        { commonName: 'stranger', usage: 'client' },
      );
      faults = await FaultProviderServer.start({
        certificateAuthority: providersCa,
      });
      telia = await FaultProviderServer.start({
        certificateAuthority: providersCa,
        clientCa: clientCa.certificatePem,
      });
      siteFallback = await FaultProviderServer.start({
        certificateAuthority: providersCa,
      });
      // Its own CA, which the service does not trust.
      untrusted = await HttpsTestServer.start();
      const closed = await HttpsTestServer.start();
      closedPortUrl = closed.url;
      await closed.close();

      service = await startServiceTestApp({
        settings: {
          Settings: {
            Sms: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: `${faults.url}/faults/ok`,
              ClientSecret: GATEWAY_TOKEN,
              Fallback: {
                Type: 'GatewayApi',
                FromName: 'Acme',
                ApiUrl: `${siteFallback.url}/faults/ok`,
                ClientSecret: GATEWAY_TOKEN,
              },
            },
            Api: {
              Keys: [API_KEY],
              TestSendLimitPerPhone: 100_000,
              TestSendLimitPerKey: 100_000,
            },
            Http: {
              Transport: transport,
              TimeoutSeconds: TIMEOUT_SECONDS,
              Retries: 2,
              ExtraCaCertificatesFile: 'providers-ca.pem',
            },
            // The fault providers listen on 127.0.0.1.
            Security: { AllowPrivateNetworkUrls: true },
          },
        },
        files: { 'providers-ca.pem': providersCa.certificatePem },
      });
    });
    afterAll(async () => {
      await service?.close();
      await faults?.close();
      await telia?.close();
      await siteFallback?.close();
      await untrusted?.close();
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
    });

    /** Every call closes its connection, so that the socket count has nothing kept alive in it. */
    const api = (method: 'get' | 'post' | 'put', path: string) =>
      request(service.url)
        [method](path)
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('Connection', 'close');

    async function putEnvironment(
      name: string,
      settings: Record<string, unknown>,
    ): Promise<void> {
      const response = await api('put', `/environments/${name}/sms`).send(
        settings,
      );
      expect(response.status).toBe(200);
    }

    const gatewayApi = (apiUrl: string) => ({
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl,
      clientSecret: GATEWAY_TOKEN,
    });
    const smstools = (apiUrl: string) => ({
      type: 'Smstools',
      fromName: 'Tenant',
      apiUrl,
      clientId: 'tenant-client',
      clientSecret: SMSTOOLS_SECRET,
    });
    const teliaWith = (apiUrl: string, certificate: PemCertificate) => ({
      type: 'TeliaSmsGateway',
      fromName: 'Tenant',
      apiUrl,
      clientId: '12345',
      clientSecret: TELIA_KEY,
      certificatePemCrt: certificate.certificatePem,
      certificatePemKey: certificate.privateKeyPem,
    });

    /**
     * Sends one test SMS for an environment whose provider plays a fault, and checks the answer, the
     * requests the provider saw, the log, the sockets and the service's health afterwards.
     */
    async function sendThroughFault(
      environment: string,
      providerRequests: () => number,
      expected: Expectation,
    ): Promise<void> {
      await vi.waitFor(async () =>
        expect(await faults.openConnections()).toBe(0),
      );
      const socketsBefore = openSockets();
      const logStart = service.logs.lines.length;
      const message = `fault check ${environment}`;

      const response = await api(
        'post',
        `/environments/${environment}/sms/test`,
      ).send({ phone: PHONE, message });

      expect(response.status).toBe(expected.status);
      expect(response.body).toMatchObject(expected.body);
      expect(response.headers['retry-after']).toBe(expected.retryAfter);
      expect(providerRequests()).toBe(expected.providerRequests);
      expect(siteFallback.requests).toHaveLength(0);
      expect(response.body.failoverFrom ?? null).toBeNull();

      const logs = service.logs.lines
        .slice(logStart)
        .filter((line) => line.includes('[SmsService]'));
      expect(logs).toHaveLength(expected.logs.length);
      expected.logs.forEach((pattern, index) =>
        expect(logs[index]).toMatch(pattern),
      );
      for (const line of logs) {
        expect(line).toContain(`source=environment:${environment}`);
        expect(line).toContain(`phone=${PHONE}`);
      }
      const everything = service.logs.lines.slice(logStart).join('\n');
      for (const secret of [GATEWAY_TOKEN, SMSTOOLS_SECRET, TELIA_KEY]) {
        expect(everything).not.toContain(secret);
        expect(JSON.stringify(response.body)).not.toContain(secret);
      }
      expect(everything).not.toContain(client.privateKeyPem.split('\n')[1]);

      // Every connection of the exchange is closed, on both ends.
      await vi.waitFor(async () => {
        expect(await faults.openConnections()).toBe(0);
        expect(await telia.openConnections()).toBe(0);
        expect(openSockets()).toBeLessThanOrEqual(socketsBefore);
      });
      const health = await request(service.url)
        .get('/health')
        .set('Connection', 'close');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      const siteSend = await api('post', '/sms/test').send({ phone: PHONE });
      expect(siteSend.status).toBe(200);
      expect(unhandled).toEqual([]);
    }

    const failed = (kind: string, maybeSent: boolean) =>
      new RegExp(
        `^ERROR \\[SmsService\\] SMS failed: .* failure=${kind} maybeSent=${maybeSent} .* attempts=1`,
      );
    const refused = (status: number, level = 'ERROR') =>
      new RegExp(
        `^${level} \\[SmsService\\] SMS refused: .* status=${status} `,
      );

    describe('Gateway API faults that must never be sent twice', () => {
      it.each([
        [
          'reset-before-answer',
          502,
          { maybeSent: true, providerStatus: null },
          failed('reset', true),
        ],
        [
          'reset-mid-body',
          502,
          { maybeSent: true, providerStatus: null },
          failed('reset', true),
        ],
        [
          'slow-body',
          504,
          { maybeSent: true, providerStatus: null },
          failed('timeout', true),
        ],
        [
          'status-500',
          502,
          { maybeSent: true, providerStatus: 500 },
          /^ERROR \[SmsService\] SMS refused: .* status=500 .*Internal error.* attempts=1/,
        ],
        [
          'status-503',
          502,
          { maybeSent: true, providerStatus: 503 },
          /^ERROR \[SmsService\] SMS refused: .* status=503 .* attempts=1/,
        ],
      ])(
        '%s: %i, maybe sent, one request',
        async (fault, status, body, log) => {
          const environment = `gw-${fault}`;
          await putEnvironment(
            environment,
            gatewayApi(`${faults.url}/faults/${fault}`),
          );

          await sendThroughFault(
            environment,
            () => faults.requestsFor(fault).length,
            {
              status,
              body: { provider: 'GatewayApi', ...body },
              providerRequests: 1,
              logs: [log],
            },
          );
        },
      );
    });

    describe('Gateway API refusals', () => {
      it.each([
        ['status-401', 401, '0x0101'],
        ['status-403', 403, '0x0216'],
        ['status-422', 422, '0x0300'],
      ])(
        '%s: 502 with the provider status and code, not sent, not retried',
        async (fault, providerStatus, providerCode) => {
          const environment = `gw-${fault}`;
          await putEnvironment(
            environment,
            gatewayApi(`${faults.url}/faults/${fault}`),
          );

          await sendThroughFault(
            environment,
            () => faults.requestsFor(fault).length,
            {
              status: 502,
              body: { providerStatus, providerCode, maybeSent: false },
              providerRequests: 1,
              logs: [
                new RegExp(
                  `^ERROR \\[SmsService\\] SMS refused: .* status=${providerStatus} .*message="fault check gw-${fault}" response=.* attempts=1`,
                ),
              ],
            },
          );
        },
      );

      it('status-429: retried after Retry-After until the retries run out, then 502 with Retry-After', async () => {
        await putEnvironment(
          'gw-429',
          gatewayApi(`${faults.url}/faults/status-429`),
        );

        await sendThroughFault(
          'gw-429',
          () => faults.requestsFor('status-429').length,
          {
            status: 502,
            body: { providerStatus: 429, maybeSent: false },
            retryAfter: '1',
            providerRequests: 3,
            logs: [
              /^WARN \[SmsService\] SMS refused: .* status=429 .* attempt=1 retryInMs=1000$/,
              /^WARN \[SmsService\] SMS refused: .* status=429 .* attempt=2 retryInMs=1000$/,
              /^ERROR \[SmsService\] SMS refused: .* status=429 .* attempts=3/,
            ],
          },
        );
      });

      it('status-429 once: the retry goes through', async () => {
        await putEnvironment(
          'gw-429-once',
          gatewayApi(`${faults.url}/faults/status-429-once`),
        );

        await sendThroughFault(
          'gw-429-once',
          () => faults.requestsFor('status-429-once').length,
          {
            status: 200,
            body: {
              provider: 'GatewayApi',
              messageId: '7',
              source: 'environment',
            },
            providerRequests: 2,
            logs: [
              /^WARN \[SmsService\] SMS refused: .* status=429 .* attempt=1 retryInMs=\d+$/,
              /^LOG \[SmsService\] SMS sent: .* messageId=7 .* attempts=2$/,
            ],
          },
        );
      });

      it('status-503 with Retry-After: retried, then 502, not sent', async () => {
        await putEnvironment(
          'gw-503-later',
          gatewayApi(`${faults.url}/faults/status-503-retry-after`),
        );

        await sendThroughFault(
          'gw-503-later',
          () => faults.requestsFor('status-503-retry-after').length,
          {
            status: 502,
            body: { providerStatus: 503, maybeSent: false },
            retryAfter: '1',
            providerRequests: 3,
            logs: [refused(503, 'WARN'), refused(503, 'WARN'), refused(503)],
          },
        );
      });
    });

    describe('answers that cannot be read', () => {
      it('malformed JSON with 200: taken as sent, without a message id (a resend could double it)', async () => {
        await putEnvironment(
          'gw-malformed',
          gatewayApi(`${faults.url}/faults/malformed-json`),
        );

        await sendThroughFault(
          'gw-malformed',
          () => faults.requestsFor('malformed-json').length,
          {
            status: 200,
            body: { provider: 'GatewayApi', messageId: null },
            providerRequests: 1,
            logs: [/^LOG \[SmsService\] SMS sent: .* messageId=- /],
          },
        );
      });

      it("Smstools' 200 with an error body: 502, not sent", async () => {
        await putEnvironment(
          'st-error-body',
          smstools(`${faults.url}/faults/error-body-200`),
        );

        await sendThroughFault(
          'st-error-body',
          () => faults.requestsFor('error-body-200').length,
          {
            status: 502,
            body: {
              provider: 'Smstools',
              providerStatus: 200,
              providerCode: '104',
              maybeSent: false,
            },
            providerRequests: 1,
            logs: [
              /^ERROR \[SmsService\] SMS refused: provider=Smstools .* status=200 .*Invalid credentials.* attempts=1/,
            ],
          },
        );
      });
    });

    describe('providers that cannot be reached: never sent, retried', () => {
      it('a closed port', async () => {
        await putEnvironment(
          'gw-closed',
          gatewayApi(`${closedPortUrl}/rest/mtsms`),
        );

        await sendThroughFault('gw-closed', () => 0, {
          status: 502,
          body: { providerStatus: null, maybeSent: false },
          providerRequests: 0,
          logs: [
            /^WARN \[SmsService\] SMS failed: .* failure=connect maybeSent=false .*ECONNREFUSED.* attempt=1 retryInMs=\d+$/,
            /^WARN \[SmsService\] SMS failed: .* failure=connect .* attempt=2 retryInMs=\d+$/,
            /^ERROR \[SmsService\] SMS failed: .* failure=connect .* attempts=3/,
          ],
        });
      });

      it('a server certificate from an untrusted CA', async () => {
        const failuresBefore = untrusted.tlsHandshakeFailures;
        await putEnvironment(
          'gw-untrusted',
          gatewayApi(`${untrusted.url}/rest/mtsms`),
        );

        await sendThroughFault(
          'gw-untrusted',
          () => untrusted.requests.length,
          {
            status: 502,
            body: { maybeSent: false },
            providerRequests: 0,
            logs: [
              /^WARN .* failure=tls maybeSent=false .* attempt=1 /,
              /^WARN .* failure=tls maybeSent=false .* attempt=2 /,
              /^ERROR .* failure=tls maybeSent=false .*(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE).* attempts=3/,
            ],
          },
        );
        expect(untrusted.tlsHandshakeFailures - failuresBefore).toBe(3);
      });

      it('a Telia gateway that refuses the client certificate', async () => {
        const failuresBefore = telia.tlsHandshakeFailures;
        await putEnvironment(
          'telia-refused',
          teliaWith(`${telia.url}/telia/telia-ok`, stranger),
        );

        await sendThroughFault('telia-refused', () => telia.requests.length, {
          status: 502,
          body: { provider: 'TeliaSmsGateway', maybeSent: false },
          providerRequests: 0,
          logs: [
            /^WARN .* failure=tls maybeSent=false .* attempt=1 /,
            /^WARN .* failure=tls maybeSent=false .* attempt=2 /,
            /^ERROR .* failure=tls maybeSent=false .* attempts=3/,
          ],
        });
        expect(telia.tlsHandshakeFailures - failuresBefore).toBe(3);
      });
    });

    describe('Telia retries with the same clientCorrelator', () => {
      it.each(['telia-pol3003-once', 'telia-500-once'])(
        '%s: sent once the gateway takes it',
        async (fault) => {
          const environment = fault.replace('-once', '');
          await putEnvironment(
            environment,
            teliaWith(`${telia.url}/telia/${fault}`, client),
          );

          await sendThroughFault(
            environment,
            () => telia.requestsFor(fault).length,
            {
              status: 200,
              body: { provider: 'TeliaSmsGateway', source: 'environment' },
              providerRequests: 2,
              logs: [
                /^WARN \[SmsService\] SMS refused: provider=TeliaSmsGateway .* attempt=1 retryInMs=\d+$/,
                /^LOG \[SmsService\] SMS sent: provider=TeliaSmsGateway .* attempts=2$/,
              ],
            },
          );
          const correlators = telia
            .requestsFor(fault)
            .map((r) => r.clientCorrelator);
          expect(correlators[0]).toMatch(/^[0-9a-f-]{36}$/);
          expect(correlators[1]).toBe(correlators[0]);
        },
      );
    });
  },
);

import request from 'supertest';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import { EnvironmentSettingsStore } from '../../src/environments/store/environment-settings.store.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'verify-api-key-0123456789';
const GATEWAY_TOKEN = 'verify-gateway-token-secret';
const TELIA_KEY = 'verify-telia-key-secret';

/** TCP sockets open in this process: the service's, the providers' and the test client's. */
const openSockets = () =>
  process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'TCPSocketWrap').length;

const stepResults = (body: { steps: { name: string; result: string }[] }) =>
  Object.fromEntries(body.steps.map((step) => [step.name, step.result]));

describe('POST /sms/verify and /environments/{environment}/sms/verify', () => {
  let providersCa: PemCertificate;
  let clientCa: PemCertificate;
  let client: PemCertificate;
  let stranger: PemCertificate;
  let gateway: HttpsTestServer;
  let telia: HttpsTestServer;
  let service: ServiceTestApp;

  beforeAll(async () => {
    providersCa = await createCertificateAuthority({
      commonName: 'Verify providers CA',
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
    gateway = await HttpsTestServer.start({
      certificateAuthority: providersCa,
    });
    telia = await HttpsTestServer.start({
      certificateAuthority: providersCa,
      clientCa: clientCa.certificatePem,
    });
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${gateway.url}/rest/mtsms`,
            ClientSecret: GATEWAY_TOKEN,
          },
          Api: { Keys: [API_KEY] },
          Http: { TimeoutSeconds: 5, ExtraCaCertificatesFile: 'ca.pem' },
          Security: { AllowPrivateNetworkUrls: true },
        },
      },
      files: { 'ca.pem': providersCa.certificatePem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await gateway?.close();
    await telia?.close();
  });
  beforeEach(() => {
    gateway.clear();
    telia.clear();
  });

  const verify = (path: string, key: string | null = API_KEY) => {
    const call = request(service.url).post(path).set('Connection', 'close');
    return key === null ? call : call.set('Authorization', `Bearer ${key}`);
  };
  const teliaWith = (certificate: PemCertificate) => ({
    type: 'TeliaSmsGateway',
    fromName: 'Acme',
    apiUrl: `${telia.url}/messaging/v1/outbound/12345/requests`,
    clientId: '12345',
    clientSecret: TELIA_KEY,
    certificatePemCrt: certificate.certificatePem,
    certificatePemKey: certificate.privateKeyPem,
  });

  it('needs an API key', async () => {
    const response = await verify('/sms/verify', null);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('checks the site settings step by step without sending an SMS or leaving a connection open', async () => {
    const socketsBefore = openSockets();
    const logStart = service.logs.lines.length;

    const response = await verify('/sms/verify');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      provider: 'GatewayApi',
      source: 'site',
      environment: null,
      target: `127.0.0.1:${gateway.port}`,
    });
    expect(stepResults(response.body)).toEqual({
      dns: 'ok',
      tcp: 'ok',
      tls: 'ok',
      serverCertificate: 'ok',
      clientCertificate: 'skipped',
    });
    for (const step of response.body.steps) {
      expect(Number.isInteger(step.durationMs)).toBe(true);
      expect(typeof step.detail).toBe('string');
    }
    expect(response.body.steps[3].certificate).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=Verify providers CA',
    });
    expect(gateway.requests).toHaveLength(0);
    const logs = service.logs.lines.slice(logStart).join('\n');
    expect(logs).toMatch(
      /SMS connection verified: provider=GatewayApi url=https:\/\/127\.0\.0\.1:\d+\/rest\/mtsms source=site ok=true /,
    );
    expect(logs).not.toContain(GATEWAY_TOKEN);
    expect(JSON.stringify(response.body)).not.toContain(GATEWAY_TOKEN);
    await vi.waitFor(async () => {
      expect(await gateway.openConnections()).toBe(0);
      expect(openSockets()).toBeLessThanOrEqual(socketsBefore);
    });
  });

  it("checks an environment's Telia settings with its client certificate", async () => {
    await request(service.url)
      .put('/environments/telia-ok/sms')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send(teliaWith(client))
      .expect(200);

    const response = await verify('/environments/telia-ok/sms/verify');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      provider: 'TeliaSmsGateway',
      source: 'environment',
      environment: 'telia-ok',
    });
    expect(stepResults(response.body)).toEqual({
      dns: 'ok',
      tcp: 'ok',
      tls: 'ok',
      serverCertificate: 'ok',
      clientCertificate: 'ok',
    });
    expect(response.body.steps[2].detail).toContain(
      'The server asked for the client certificate and completed the handshake with it.',
    );
    expect(response.body.steps[4].certificate).toMatchObject({
      subject: 'CN=acme-telia',
    });
    expect(telia.requests).toHaveLength(0);
    expect(JSON.stringify(response.body)).not.toContain(TELIA_KEY);
    expect(JSON.stringify(response.body)).not.toContain(
      client.privateKeyPem.split('\n')[1],
    );
  });

  it('reports a client certificate that the Telia gateway refuses', async () => {
    await request(service.url)
      .put('/environments/telia-stranger/sms')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send(teliaWith(stranger))
      .expect(200);

    const response = await verify('/environments/telia-stranger/sms/verify');

    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(false);
    expect(stepResults(response.body)).toMatchObject({
      tcp: 'ok',
      tls: 'failed',
    });
    expect(telia.requests).toHaveLength(0);
  });

  it("checks the site's settings for an environment without its own", async () => {
    const response = await verify('/environments/no-settings/sms/verify');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      source: 'site',
      environment: 'no-settings',
    });
  });

  it('refuses an invalid environment name', async () => {
    const response = await verify('/environments/Not_Valid!/sms/verify');

    expect(response.status).toBe(400);
  });

  it('is documented in OpenAPI', async () => {
    const response = await request(service.url).get('/docs/json');

    const paths = response.body.paths as Record<
      string,
      Record<
        string,
        {
          responses: Record<
            string,
            { content: Record<string, { schema: unknown }> }
          >;
          security: unknown;
        }
      >
    >;
    for (const path of [
      '/sms/verify',
      '/environments/{environment}/sms/verify',
    ]) {
      const operation = paths[path]?.post;
      expect(operation).toBeDefined();
      expect(
        operation.responses['200'].content['application/json'].schema,
      ).toEqual({
        $ref: '#/components/schemas/SmsConnectionReportDto',
      });
      expect(operation.security).toEqual([{ bearer: [] }]);
    }
    const report = response.body.components.schemas.SmsConnectionReportDto;
    expect(Object.keys(report.properties).sort()).toEqual(
      [
        'durationMs',
        'environment',
        'fallback',
        'ok',
        'provider',
        'source',
        'steps',
        'target',
      ].sort(),
    );
  });
});

describe('verify with private network URLs refused', () => {
  let server: HttpsTestServer;
  let service: ServiceTestApp;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Api: { Keys: [API_KEY] },
          Http: { ExtraCaCertificatesFile: 'ca.pem' },
          Security: { AllowPrivateNetworkUrls: false },
        },
      },
      files: { 'ca.pem': server.caPem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });

  it("reports an environment's loopback host at the DNS step, without connecting", async () => {
    // Stored directly: the admin API would refuse it, but a name can resolve elsewhere later.
    await service.app.get(EnvironmentSettingsStore).put('tenant', {
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl: `https://localhost:${server.port}/rest/mtsms`,
      clientSecret: GATEWAY_TOKEN,
    });
    const connectionsBefore = server.tlsConnections;

    const response = await request(service.url)
      .post('/environments/tenant/sms/verify')
      .set('Authorization', `Bearer ${API_KEY}`);

    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(false);
    expect(stepResults(response.body)).toMatchObject({
      dns: 'failed',
      tcp: 'skipped',
      tls: 'skipped',
    });
    expect(response.body.steps[0].detail).toContain(
      'may not reach (a loopback, private or otherwise internal address)',
    );
    expect(server.tlsConnections).toBe(connectionsBefore);
  });

  it('answers 503 when neither the environment nor the site has settings', async () => {
    const response = await request(service.url)
      .post('/environments/nobody/sms/verify')
      .set('Authorization', `Bearer ${API_KEY}`);

    expect(response.status).toBe(503);
    expect(response.body.message).toContain('SMS is not configured');
  });
});

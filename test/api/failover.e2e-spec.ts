import request from 'supertest';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import { loadServiceConfig } from '../../src/config/service-config.loader.js';
import { FaultProviderServer } from '../support/fault-provider.server.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'failover-api-key-0123456789';
const GATEWAY_TOKEN = 'failover-gateway-token-secret';
const FALLBACK_TOKEN = 'failover-fallback-token-secret';
const TELIA_KEY = 'failover-telia-key-secret';
const PHONE = '+4512345678';

describe('failover through the service API', () => {
  let providersCa: PemCertificate;
  let client: PemCertificate;
  let primary: FaultProviderServer;
  let fallback: FaultProviderServer;
  let telia: FaultProviderServer;
  let closedPortUrl: string;
  let service: ServiceTestApp;

  beforeAll(async () => {
    providersCa = await createCertificateAuthority({
      commonName: 'Failover API providers CA',
    });
    const clientCa = await createCertificateAuthority({
      commonName: 'Failover API Telia clients',
    });
    client = await issueCertificate(clientCa, {
      commonName: 'acme-telia',
      usage: 'client',
    });
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
    const closed = await HttpsTestServer.start();
    closedPortUrl = closed.url;
    await closed.close();
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: closedPortUrl,
            ClientSecret: GATEWAY_TOKEN,
            Fallback: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: `${fallback.url}/faults/ok`,
              ClientSecret: FALLBACK_TOKEN,
            },
          },
          Api: {
            Keys: [API_KEY],
            TestSendLimitPerPhone: 1_000,
            TestSendLimitPerKey: 1_000,
          },
          Http: { TimeoutSeconds: 3, ExtraCaCertificatesFile: 'ca.pem' },
          Security: { AllowPrivateNetworkUrls: true },
        },
      },
      files: { 'ca.pem': providersCa.certificatePem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await primary?.close();
    await fallback?.close();
    await telia?.close();
  });
  beforeEach(() => {
    primary.clear();
    fallback.clear();
    telia.clear();
  });

  const api = (method: 'get' | 'post' | 'put', path: string) =>
    request(service.url)
      [method](path)
      .set('Authorization', `Bearer ${API_KEY}`)
      .set('Connection', 'close');
  const teliaSettings = (fault: string) => ({
    type: 'TeliaSmsGateway',
    fromName: 'Acme',
    apiUrl: `${telia.url}/telia/${fault}`,
    clientId: '12345',
    clientSecret: TELIA_KEY,
    certificatePemCrt: client.certificatePem,
    certificatePemKey: client.privateKeyPem,
  });

  function expectNoSecrets(...bodies: unknown[]): void {
    const everything = [
      service.logs.lines.join('\n'),
      ...bodies.map((body) => JSON.stringify(body)),
    ].join('\n');
    for (const secret of [GATEWAY_TOKEN, FALLBACK_TOKEN, TELIA_KEY]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(client.privateKeyPem.split('\n')[1]);
  }

  it('names every failing field of Settings:Sms:Fallback at boot', () => {
    const problems = (() => {
      try {
        loadServiceConfig({
          Settings__Sms__Type: 'GatewayApi',
          Settings__Sms__FromName: 'Acme',
          Settings__Sms__ApiUrl: 'https://gatewayapi.eu/rest/mtsms',
          Settings__Sms__ClientSecret: GATEWAY_TOKEN,
          Settings__Sms__Fallback__Type: 'Smstools',
          Settings__Sms__Fallback__FromName: 'Acme',
          Settings__Sms__Fallback__ApiUrl: 'https://app.smstools.com',
          Settings__Sms__Fallback__ClientId: 'acme',
        });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(problems).toContain(
      'Settings:Sms:Fallback:ClientSecret: The field ClientSecret is required for Smstools.',
    );
    expect(problems).not.toContain(GATEWAY_TOKEN);
  });

  it('answers a test send with failoverFrom when the site fallback took it', async () => {
    const response = await api('post', '/sms/test').send({
      phone: PHONE,
      message: 'site failover',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: expect.any(String),
      provider: 'GatewayApi',
      failoverFrom: 'GatewayApi',
      source: 'site',
      environment: null,
      messageId: expect.any(String),
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(fallback.requests.map((r) => r.message)).toEqual(['site failover']);
    const record = await api('get', `/sms/messages/${response.body.id}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      id: response.body.id,
      provider: 'GatewayApi',
      failoverFrom: 'GatewayApi',
      messageId: response.body.messageId,
      status: 'accepted',
    });
    expect(service.logs.text).toMatch(
      /WARN \[SmsService\] SMS failover: from=GatewayApi to=GatewayApi phone=\+4512345678 source=site environment=- reason=connect refused/,
    );
    expectNoSecrets(response.body);
  });

  it('sends through the fallback directly with "use": "fallback"', async () => {
    await api('put', '/environments/direct/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Tenant',
        apiUrl: `${primary.url}/faults/ok`,
        clientSecret: GATEWAY_TOKEN,
        fallback: teliaSettings('telia-ok'),
      })
      .expect(200);

    const response = await api('post', '/environments/direct/sms/test').send({
      phone: PHONE,
      message: 'prove the fallback',
      use: 'fallback',
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      provider: 'TeliaSmsGateway',
      failoverFrom: null,
      source: 'environment',
    });
    expect(primary.requests).toHaveLength(0);
    expect(telia.requests.map((r) => r.message)).toEqual([
      'prove the fallback',
    ]);
    expectNoSecrets(response.body);
  });

  it('answers 400 to "use": "fallback" when the settings have none, and to an unknown use', async () => {
    await api('put', '/environments/single/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Tenant',
        apiUrl: `${primary.url}/faults/ok`,
        clientSecret: GATEWAY_TOKEN,
      })
      .expect(200);

    const none = await api('post', '/environments/single/sms/test').send({
      phone: PHONE,
      use: 'fallback',
    });
    const unknown = await api('post', '/sms/test').send({
      phone: PHONE,
      use: 'second',
    });

    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ field: 'use' });
    expect(none.body.message).toContain(
      'settings of environment "single" have no fallback provider',
    );
    expect(unknown.status).toBe(400);
    expect(primary.requests).toHaveLength(0);
  });

  it("validates, masks and stores an environment's fallback like its primary", async () => {
    const refused = await api('put', '/environments/tenant/sms').send({
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl: `${primary.url}/faults/status-401`,
      clientSecret: GATEWAY_TOKEN,
      fallback: { ...teliaSettings('telia-ok'), clientSecret: '' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toEqual([
      'fallback.clientSecret: The field clientSecret must not be blank.',
    ]);

    const stored = await api('put', '/environments/tenant/sms').send({
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl: `${primary.url}/faults/status-401`,
      clientSecret: GATEWAY_TOKEN,
      fallback: teliaSettings('telia-ok'),
    });
    expect(stored.status).toBe(200);
    const shown = await api('get', '/environments/tenant/sms');
    expect(shown.body.fallback).toMatchObject({
      type: 'TeliaSmsGateway',
      clientId: '12345',
      hasClientSecret: true,
      hasCertificatePemKey: true,
      certificate: { subject: 'CN=acme-telia' },
    });
    expect(shown.body.fallback).not.toHaveProperty('clientSecret');

    const sent = await api('post', '/environments/tenant/sms/test').send({
      phone: PHONE,
      message: 'tenant failover',
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      provider: 'TeliaSmsGateway',
      failoverFrom: 'GatewayApi',
    });
    expect(primary.requests).toHaveLength(1);
    expect(telia.requests).toHaveLength(1);
    expect(fallback.requests).toHaveLength(0);
    expectNoSecrets(refused.body, stored.body, shown.body, sent.body);
  });

  it("answers the fallback's 502 with failoverFrom when both fail", async () => {
    await api('put', '/environments/both/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Tenant',
        apiUrl: `${primary.url}/faults/status-403`,
        clientSecret: GATEWAY_TOKEN,
        fallback: teliaSettings('status-500'),
      })
      .expect(200);

    const response = await api('post', '/environments/both/sms/test').send({
      phone: PHONE,
    });

    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      provider: 'TeliaSmsGateway',
      providerStatus: 500,
      maybeSent: true,
      failoverFrom: 'GatewayApi',
    });
    expectNoSecrets(response.body);
  });

  it('shows use, failoverFrom and fallback in the OpenAPI document', async () => {
    const response = await request(service.url).get('/docs/json');

    const schemas = response.body.components.schemas as Record<
      string,
      { properties: Record<string, Record<string, unknown>> }
    >;
    expect(schemas.TestSmsRequestDto.properties.use).toMatchObject({
      enum: ['primary', 'fallback'],
    });
    expect(schemas.TestSmsResultDto.properties.failoverFrom).toMatchObject({
      nullable: true,
    });
    expect(schemas.ProviderErrorResponseDto.properties).toHaveProperty(
      'failoverFrom',
    );
    for (const name of [
      'EnvironmentSmsSettingsDto',
      'MaskedSmsSettingsDto',
      'SmsConnectionReportDto',
    ]) {
      expect(schemas[name].properties).toHaveProperty('fallback');
    }
  });

  it('verifies the fallback too, under "fallback"', async () => {
    const response = await api('post', '/sms/verify');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: false,
      provider: 'GatewayApi',
      fallback: {
        ok: true,
        provider: 'GatewayApi',
        source: 'site',
        target: `127.0.0.1:${new URL(fallback.url).port}`,
      },
    });
    expect(fallback.requests).toHaveLength(0);
    expectNoSecrets(response.body);
  });
});

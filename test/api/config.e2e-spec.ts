import request from 'supertest';
import { EnvironmentSettingsStore } from '../../src/environments/store/environment-settings.store.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'config-api-key-0123456789';

describe('configuration through the running service', () => {
  let server: HttpsTestServer;
  beforeAll(async () => {
    server = await HttpsTestServer.start();
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.answer({ status: 200, body: 'OK' });
  });

  async function sendThrough(service: ServiceTestApp, body: object) {
    try {
      return await request(service.url)
        .post('/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send(body);
    } finally {
      await service.close();
    }
  }

  it('takes the whole site provider from environment variables, upper case and numbered lists included', async () => {
    const service = await startServiceTestApp({
      files: { 'ca.pem': server.caPem },
      env: {
        SETTINGS__API__KEYS__0: API_KEY,
        SETTINGS__HTTP__EXTRACACERTIFICATESFILE: 'ca.pem',
        SETTINGS__SMS__TYPE: 'AccessUrl',
        SETTINGS__SMS__FROMNAME: 'My-sender',
        SETTINGS__SMS__APIURL: `${server.url}/sms/`,
        SETTINGS__SMS__PARAMETERS__0__NAME: 'username',
        SETTINGS__SMS__PARAMETERS__0__VALUE: 'xxxxxx',
        SETTINGS__SMS__PARAMETERS__1__NAME: 'recipient',
        SETTINGS__SMS__PARAMETERS__1__VALUE: '{phone}',
        SETTINGS__SMS__PARAMETERS__2__NAME: 'from',
        SETTINGS__SMS__PARAMETERS__2__VALUE: '{fromName}',
        SETTINGS__SMS__PARAMETERS__3__NAME: 'message',
        SETTINGS__SMS__PARAMETERS__3__VALUE: '{message}',
      },
    });

    const response = await sendThrough(service, {
      phone: '+4512345678',
      message: 'Hi & bye',
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      provider: 'AccessUrl',
      messageId: null,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].method).toBe('GET');
    expect(server.requests[0].url).toBe(
      '/sms/?username=xxxxxx&recipient=%2B4512345678&from=My-sender&message=Hi%20%26%20bye',
    );
  });

  it("runs the user's documentation example pasted verbatim into appsettings.json, with the URL overridden", async () => {
    const service = await startServiceTestApp({
      settingsText: [
        '"Settings": {',
        '"Sms": {',
        '"Type": "GatewayApi",',
        '"FromName": "My-sender",',
        '"ApiUrl": "https://gatewayapi.eu/rest/mtsms",',
        '"ClientSecret": "gateway-api-token",',
        '"Label": "FoxIDs"',
        '}',
        '}',
      ].join('\n'),
      files: { 'ca.pem': server.caPem },
      env: {
        Settings__Sms__ApiUrl: `${server.url}/rest/mtsms`,
        Settings__Api__Keys__0: API_KEY,
        Settings__Http__ExtraCaCertificatesFile: 'ca.pem',
      },
    });
    server.answer({ status: 200, body: { ids: [1] } });

    const response = await sendThrough(service, {
      phone: '+4512345678',
      message: 'Code 123456',
    });

    expect(response.status).toBe(200);
    expect(server.requests[0].headers.authorization).toBe(
      'Token gateway-api-token',
    );
    expect(JSON.parse(server.requests[0].body.toString('utf8'))).toEqual({
      sender: 'My-sender',
      message: 'Code 123456',
      recipients: [{ msisdn: 4512345678 }],
      label: 'FoxIDs',
    });
  });

  it('uses the configured timeout', async () => {
    const service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: 'token-value',
          },
          Api: { Keys: [API_KEY] },
          Http: { TimeoutSeconds: 0.5, ExtraCaCertificatesFile: 'ca.pem' },
        },
      },
      files: { 'ca.pem': server.caPem },
    });
    server.answer({ status: 200, body: { ids: [1] }, delayMs: 5000 });

    const response = await sendThrough(service, { phone: '+4512345678' });

    expect(response.status).toBe(504);
  });

  it('does not trust the provider without its CA: certificate checks cannot be turned off', async () => {
    const service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: 'token-value',
          },
          Api: { Keys: [API_KEY] },
        },
      },
    });

    const response = await sendThrough(service, { phone: '+4512345678' });

    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      maybeSent: false,
      providerStatus: null,
    });
    expect(server.requests).toHaveLength(0);
  });

  describe('Settings:Security:AllowPrivateNetworkUrls', () => {
    const privateSettings = () => ({
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl: `${server.url}/rest/mtsms`,
      clientSecret: 'tenant-token-value',
    });

    async function sendForTenant(allow: boolean) {
      const service = await startServiceTestApp({
        settings: {
          Settings: {
            Api: { Keys: [API_KEY] },
            Http: { ExtraCaCertificatesFile: 'ca.pem' },
            Security: { AllowPrivateNetworkUrls: allow },
          },
        },
        files: { 'ca.pem': server.caPem },
      });
      // Stored directly, as settings stored before a policy change or a name that now resolves elsewhere.
      await service.app
        .get(EnvironmentSettingsStore)
        .put('tenant-a', privateSettings());
      server.answer({ status: 200, body: { ids: [3] } });
      try {
        return await request(service.url)
          .post('/environments/tenant-a/sms/test')
          .set('Authorization', `Bearer ${API_KEY}`)
          .send({ phone: '+4512345678' });
      } finally {
        await service.close();
      }
    }

    it('keeps environment sends off private addresses by default, before any request', async () => {
      const response = await sendForTenant(false);

      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({
        provider: 'GatewayApi',
        providerStatus: null,
        maybeSent: false,
      });
      expect(server.requests).toHaveLength(0);
    });

    it('lets them through when allowed', async () => {
      const response = await sendForTenant(true);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        source: 'environment',
        messageId: '3',
      });
      expect(server.requests).toHaveLength(1);
    });
  });
});

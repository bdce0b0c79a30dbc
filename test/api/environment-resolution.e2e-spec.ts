import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TENANTS,
  TenantProviders,
} from '../support/tenant-providers.fixture.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'resolution-api-key-0123456789';
const BAD_NAME_BODY = {
  statusCode: 400,
  error: 'Bad Request',
  message: [
    'environment: The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
  ],
};

/** A Danish number of its own for each send, so that no code limit gets in the way. */
const phone = (index: number) => `+45123456${String(index).padStart(2, '0')}`;

describe("the service's environment routes, resolved by the library's interceptor", () => {
  let providers: TenantProviders;
  let service: ServiceTestApp;

  const post = (path: string) =>
    request(service.url).post(path).set('Authorization', `Bearer ${API_KEY}`);

  beforeAll(async () => {
    providers = await TenantProviders.start();
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Site',
            ApiUrl: providers.apiUrl('site'),
            ClientSecret: 'site-token',
          },
          Api: {
            Keys: [API_KEY],
            TestSendLimitPerPhone: 1000,
            TestSendLimitPerKey: 1000,
          },
          Http: { TimeoutSeconds: 5, ExtraCaCertificatesFile: 'ca.pem' },
          Security: { AllowPrivateNetworkUrls: true },
        },
      },
      files: { 'ca.pem': providers.caPem },
    });
    for (const tenant of TENANTS) {
      const put = await request(service.url)
        .put(`/environments/${tenant}/sms`)
        .set('Authorization', `Bearer ${API_KEY}`)
        .send(providers.environmentSettings(tenant));
      expect(put.status).toBe(200);
    }
  });
  afterEach(() => providers.clear());
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });

  it('sends 20 concurrent test messages for A and B each with its own settings', async () => {
    const tenants = Array.from({ length: 20 }, (_, index) =>
      index % 3 === 1 ? 'tenant-b' : 'tenant-a',
    );

    const answers = await Promise.all(
      tenants.map((tenant, index) =>
        post(`/environments/${tenant}/sms/test`).send({
          phone: phone(index),
          message: `${tenant} #${index}`,
        }),
      ),
    );

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.map((answer) => answer.body.environment)).toEqual(tenants);
    for (const tenant of TENANTS) {
      const expected = tenants.flatMap((name, index) =>
        name === tenant ? [`${tenant} #${index}`] : [],
      );
      expect(providers.messages(tenant).toSorted()).toEqual(
        expected.toSorted(),
      );
    }
    expect(providers.messages('site')).toEqual([]);
  });

  it("sends one-time codes A, B, A through each environment's provider", async () => {
    const answers = [];
    for (const [index, tenant] of [
      'tenant-a',
      'tenant-b',
      'tenant-a',
    ].entries())
      answers.push(
        await post(`/environments/${tenant}/sms/codes`).send({
          phone: phone(40 + index),
          purpose: 'two-factor',
        }),
      );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(providers.messages('tenant-a')).toHaveLength(2);
    expect(providers.messages('tenant-b')).toHaveLength(1);
    expect(providers.messages('site')).toEqual([]);
  });

  it("checks an environment's own provider", async () => {
    const before = providers.tlsConnections('tenant-b');

    const answer = await post('/environments/tenant-b/sms/verify');

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      source: 'environment',
      environment: 'tenant-b',
    });
    expect(providers.tlsConnections('tenant-b')).toBe(before + 1);
  });

  it.each([
    '/environments/ACME..x/sms/test',
    '/environments/ACME..x/sms/verify',
    '/environments/ACME..x/sms/codes',
    '/environments/ACME..x/sms/codes/verify',
    '/environments/-acme/sms/test',
  ])(
    'answers %s with 400 and the documented body, sending nothing',
    async (path) => {
      const before = providers.tlsConnections('site');

      const answer = await post(path).send({
        phone: phone(60),
        purpose: 'two-factor',
        code: '123456',
      });

      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        ...BAD_NAME_BODY,
        requestId: answer.headers['x-request-id'],
      });
      expect(providers.requestCount).toBe(0);
      expect(providers.tlsConnections('site')).toBe(before);
    },
  );

  it('logs no missing-environment warning for its routes, which always name one', () => {
    expect(service.logs.text).not.toContain('SmsEnvironmentInterceptor');
  });
});

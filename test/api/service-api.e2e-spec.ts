import { SmsSettingsSource } from '@app/sms';
import { EnvironmentSettingsStore } from '../../src/environments/store/environment-settings.store.js';
import {
  createCertificateAuthority,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import request from 'supertest';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'first-api-key-0123456789';
const SECOND_API_KEY = 'second-api-key-0123456789';
const TOKEN = 'gateway-token-s3cr3t-value';
const PHONE = '+4512345678';

/** Settings with Gateway API on the given test server, as an operator writes them. */
function gatewayApiSettings(
  server: HttpsTestServer,
  extra: Record<string, unknown> = {},
) {
  return {
    Settings: {
      Sms: {
        Type: 'GatewayApi',
        FromName: 'Acme',
        ApiUrl: `${server.url}/rest/mtsms`,
        ClientSecret: TOKEN,
      },
      // The limits have their own tests; here they stay out of the way.
      Api: {
        Keys: [API_KEY, SECOND_API_KEY],
        TestSendLimitPerPhone: 1000,
        TestSendLimitPerKey: 1000,
      },
      Http: { TimeoutSeconds: 2, ExtraCaCertificatesFile: 'test-ca.pem' },
      // The test providers listen on 127.0.0.1.
      Security: { AllowPrivateNetworkUrls: true },
      ...extra,
    },
  };
}

describe('service HTTP API with Gateway API site settings', () => {
  let authority: PemCertificate;
  let server: HttpsTestServer;
  let service: ServiceTestApp;

  beforeAll(async () => {
    authority = await createCertificateAuthority({
      commonName: 'Providers CA',
    });
    server = await HttpsTestServer.start({ certificateAuthority: authority });
    service = await startServiceTestApp({
      settings: gatewayApiSettings(server),
      files: { 'test-ca.pem': server.caPem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.answer({ status: 200, body: { ids: [421332671] } });
  });

  const send = (path = '/sms/test', key: string | null = API_KEY) => {
    const call = request(service.url).post(path);
    return key === null ? call : call.set('Authorization', `Bearer ${key}`);
  };

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate: Bearer when no key is sent, and sends nothing', async () => {
      const response = await send('/sms/test', null).send({ phone: PHONE });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message:
          'An API key is required: send it as "Authorization: Bearer <key>".',
        requestId: response.headers['x-request-id'],
      });
      expect(server.requests).toHaveLength(0);
    });

    it('answers 401 to a key that is not configured, and to another scheme', async () => {
      const wrong = await send('/sms/test', 'not-a-configured-key-000').send({
        phone: PHONE,
      });
      const basic = await request(service.url)
        .post('/sms/test')
        .set(
          'Authorization',
          `Basic ${Buffer.from(`x:${API_KEY}`).toString('base64')}`,
        )
        .send({ phone: PHONE });
      const environment = await send(
        '/environments/tenant-a/sms/test',
        null,
      ).send({
        phone: PHONE,
      });

      for (const response of [wrong, basic, environment]) {
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
      expect(wrong.body.message).toBe('The API key is not valid.');
      expect(server.requests).toHaveLength(0);
    });

    it('accepts every configured key, in any case of the scheme', async () => {
      const second = await send('/sms/test', SECOND_API_KEY).send({
        phone: PHONE,
      });
      const lowerCase = await request(service.url)
        .post('/sms/test')
        .set('Authorization', `bearer ${API_KEY}`)
        .send({ phone: PHONE });

      expect(second.status).toBe(200);
      expect(lowerCase.status).toBe(200);
    });

    it('never logs an API key', () => {
      expect(service.logs.text).not.toContain(API_KEY);
      expect(service.logs.text).not.toContain(SECOND_API_KEY);
    });
  });

  describe('GET /health', () => {
    it('is open without a key and names the site provider, with no secret', async () => {
      const response = await request(service.url).get('/health');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        sms: { status: 'ok', provider: 'GatewayApi' },
        store: { status: 'ok' },
      });
      expect(response.text).not.toContain(TOKEN);
    });

    it('is degraded while the store does not answer', async () => {
      const store = service.app.get(EnvironmentSettingsStore);
      const ping = store.ping.bind(store);
      store.ping = () =>
        Promise.reject(new Error('connect ECONNREFUSED db.internal:5432'));
      try {
        const response = await request(service.url).get('/health');

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          status: 'degraded',
          sms: { status: 'ok' },
          store: { status: 'degraded' },
        });
        expect(response.text).not.toContain('db.internal');
      } finally {
        store.ping = ping;
      }
    });
  });

  describe('POST /sms/test', () => {
    it('sends with the site settings and answers with the result', async () => {
      const response = await send().send({
        phone: '+45 12 34-56.78',
        message: 'Hello',
      });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
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
      expect(server.requests).toHaveLength(1);
      const [received] = server.requests;
      expect(received.method).toBe('POST');
      expect(received.path).toBe('/rest/mtsms');
      expect(received.headers.authorization).toBe(`Token ${TOKEN}`);
      expect(JSON.parse(received.body.toString('utf8'))).toEqual({
        sender: 'Acme',
        message: 'Hello',
        recipients: [{ msisdn: 4512345678 }],
      });
    });

    it('sends the default text when the body has no message', async () => {
      const response = await send().send({ phone: PHONE });

      expect(response.status).toBe(200);
      expect(JSON.parse(server.requests[0].body.toString('utf8')).message).toBe(
        'Test SMS from nest-sms',
      );
    });

    it('reports UCS-2 and the segment count of the text', async () => {
      const response = await send().send({
        phone: PHONE,
        message: 'Ærø 😀'.repeat(30),
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ encoding: 'UCS-2', segments: 3 });
      expect(
        JSON.parse(server.requests[0].body.toString('utf8')).encoding,
      ).toBe('UCS2');
    });

    it('logs the send with the phone number, never the token', async () => {
      await send().send({ phone: PHONE, message: 'Logged' });

      expect(service.logs.text).toMatch(
        /SMS sent: provider=GatewayApi .*phone=\+4512345678/,
      );
      expect(service.logs.text).not.toContain(TOKEN);
    });

    it.each([
      ['a number that is not E.164', { phone: '12345678' }],
      ['an impossible number', { phone: '+4512' }],
    ])('answers 400 to %s, before any network call', async (_case, body) => {
      const response = await send().send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        field: 'phone',
      });
      expect(typeof response.body.message).toBe('string');
      expect(server.requests).toHaveLength(0);
    });

    it('answers 400 to a text longer than the segment limit, before any network call', async () => {
      const response = await send().send({
        phone: PHONE,
        message: 'x'.repeat(153 * 10 + 1),
      });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ field: 'message' });
      expect(server.requests).toHaveLength(0);
    });

    it.each([
      ['no phone', {}, 'phone'],
      ['a phone that is not text', { phone: 4512345678 }, 'phone'],
      ['an empty message', { phone: PHONE, message: '' }, 'message'],
      ['an unknown field', { phone: PHONE, priority: 'high' }, 'priority'],
    ])(
      'answers 400 listing the field to a body with %s',
      async (_case, body, field) => {
        const response = await send().send(body);

        expect(response.status).toBe(400);
        expect(response.body.error).toBe('Bad Request');
        expect(Array.isArray(response.body.message)).toBe(true);
        expect(response.body.message.join(' ')).toContain(field);
        expect(server.requests).toHaveLength(0);
      },
    );

    it('answers 400 as JSON to a body that is not JSON', async () => {
      const response = await send()
        .set('Content-Type', 'application/json')
        .send('{"phone": "+4512345678"');

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
      });
    });

    it('answers 413 as JSON to a body over 100 kB', async () => {
      const response = await send().send({
        phone: PHONE,
        message: 'x'.repeat(101 * 1024),
      });

      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({
        statusCode: 413,
        error: 'Payload Too Large',
      });
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('provider failures', () => {
    it('answers 502 with the provider, its status and code, and maybeSent false to a refusal', async () => {
      server.answer({
        status: 403,
        body: {
          code: '0x0216',
          message: 'Insufficient credit',
          incident_uuid: 'abc',
        },
      });

      const response = await send().send({ phone: PHONE, message: 'Refused' });

      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({
        statusCode: 502,
        error: 'Bad Gateway',
        provider: 'GatewayApi',
        providerStatus: 403,
        providerCode: '0x0216',
        maybeSent: false,
      });
      expect(response.body.message).toContain('Insufficient credit');
    });

    it('answers 502 with maybeSent true when the provider fails with a 500', async () => {
      server.answer({ status: 500, body: 'upstream exploded' });

      const response = await send().send({ phone: PHONE });

      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({
        providerStatus: 500,
        maybeSent: true,
      });
    });

    it('passes the provider Retry-After of a 503 on, with maybeSent false', async () => {
      server.answer({
        status: 503,
        headers: { 'retry-after': '30' },
        body: {},
      });

      const response = await send().send({ phone: PHONE });

      expect(response.status).toBe(502);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.body).toMatchObject({
        providerStatus: 503,
        maybeSent: false,
      });
    });

    it('never answers or logs the token when the provider echoes it', async () => {
      server.answer({
        status: 401,
        body: { message: `Unknown token ${TOKEN}` },
      });

      const response = await send().send({ phone: PHONE });

      expect(response.status).toBe(502);
      expect(response.text).not.toContain(TOKEN);
      expect(response.body.message).toContain('[redacted]');
      expect(service.logs.text).not.toContain(TOKEN);
    });

    it('answers 504 with maybeSent true when the provider does not answer in time', async () => {
      server.answerOnce({ hold: true });

      const response = await send().send({ phone: PHONE });

      expect(response.status).toBe(504);
      expect(response.body).toMatchObject({
        statusCode: 504,
        error: 'Gateway Timeout',
        provider: 'GatewayApi',
        providerStatus: null,
        maybeSent: true,
      });
      expect(server.requests).toHaveLength(1);
    });

    it('answers 502 with maybeSent false when the provider cannot be reached', async () => {
      const closed = await HttpsTestServer.start();
      const url = closed.url;
      await closed.close();
      const unreachable = await startServiceTestApp({
        settings: {
          Settings: {
            Sms: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: `${url}/rest/mtsms`,
              ClientSecret: TOKEN,
            },
            Api: { Keys: [API_KEY] },
          },
        },
      });
      try {
        const response = await request(unreachable.url)
          .post('/sms/test')
          .set('Authorization', `Bearer ${API_KEY}`)
          .send({ phone: PHONE });

        expect(response.status).toBe(502);
        expect(response.body).toMatchObject({
          provider: 'GatewayApi',
          providerStatus: null,
          maybeSent: false,
        });
      } finally {
        await unreachable.close();
      }
    });

    it('answers 500 with a generic message to an unexpected error, and logs it', async () => {
      const source = service.app.get(SmsSettingsSource);
      const original = source.get.bind(source);
      source.get = () =>
        Promise.reject(
          new Error('settings database unreachable at db.internal'),
        );
      try {
        const response = await send('/environments/tenant-x/sms/test').send({
          phone: PHONE,
        });

        expect(response.status).toBe(500);
        expect(response.body).toEqual({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'An unexpected error occurred.',
          requestId: response.headers['x-request-id'],
        });
        expect(service.logs.text).toContain(
          'settings database unreachable at db.internal',
        );
        expect(server.requests).toHaveLength(0);
      } finally {
        source.get = original;
      }
    });
  });

  describe('POST /environments/{environment}/sms/test', () => {
    it('uses the site settings for an environment without its own, naming the environment', async () => {
      const response = await send('/environments/tenant-a/sms/test').send({
        phone: PHONE,
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        source: 'site',
        environment: 'tenant-a',
      });
      expect(server.requests).toHaveLength(1);
    });

    it("uses an environment's own settings, set through the admin API, and never mixes them up with another's (A, B, A)", async () => {
      const own = await HttpsTestServer.start({
        certificateAuthority: authority,
      });
      own.answer({ status: 200, body: { ids: [7] } });
      const put = await request(service.url)
        .put('/environments/tenant-a/sms')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({
          type: 'GatewayApi',
          fromName: 'TenantA',
          apiUrl: `${own.url}/rest/mtsms`,
          clientSecret: 'tenant-a-token-value',
        });
      expect(put.status).toBe(200);
      try {
        const first = await send('/environments/tenant-a/sms/test').send({
          phone: PHONE,
        });
        const second = await send('/environments/tenant-b/sms/test').send({
          phone: PHONE,
        });
        const third = await send('/environments/tenant-a/sms/test').send({
          phone: PHONE,
        });

        expect(first.body).toMatchObject({
          source: 'environment',
          environment: 'tenant-a',
          messageId: '7',
        });
        expect(second.body).toMatchObject({
          source: 'site',
          environment: 'tenant-b',
          messageId: '421332671',
        });
        expect(third.body).toMatchObject({
          source: 'environment',
          environment: 'tenant-a',
          messageId: '7',
        });
        expect(own.requests.map((r) => r.headers.authorization)).toEqual([
          'Token tenant-a-token-value',
          'Token tenant-a-token-value',
        ]);
        expect(
          own.requests.map((r) => JSON.parse(r.body.toString('utf8')).sender),
        ).toEqual(['TenantA', 'TenantA']);
        expect(server.requests.map((r) => r.headers.authorization)).toEqual([
          `Token ${TOKEN}`,
        ]);
        expect(service.logs.text).not.toContain('tenant-a-token-value');
      } finally {
        await request(service.url)
          .delete('/environments/tenant-a/sms')
          .set('Authorization', `Bearer ${API_KEY}`);
        await own.close();
      }
    });

    it.each(['Tenant', '-tenant', 'tenant.a', 'a'.repeat(64), 'tenant%20a'])(
      'answers 400 to the environment name %s, before any network call',
      async (name) => {
        const response = await send(`/environments/${name}/sms/test`).send({
          phone: PHONE,
        });

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
        });
        expect(String(response.body.message)).toContain(
          'The environment name must be',
        );
        expect(server.requests).toHaveLength(0);
      },
    );

    it('accepts a name of 63 characters of every allowed kind', async () => {
      const name = `a-_0${'b'.repeat(59)}`;

      const response = await send(`/environments/${name}/sms/test`).send({
        phone: PHONE,
      });

      expect(response.status).toBe(200);
      expect(response.body.environment).toBe(name);
    });
  });

  describe('OpenAPI', () => {
    it('serves the page at /docs without a key', async () => {
      const response = await request(service.url).get('/docs');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    });

    it('describes the bearer scheme, the test-send routes and their DTOs', async () => {
      const response = await request(service.url).get('/docs/json');

      expect(response.status).toBe(200);
      const document = response.body;
      expect(document.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      const siteSend = document.paths['/sms/test'].post;
      expect(siteSend.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(siteSend.responses)).toEqual(
        expect.arrayContaining([
          '200',
          '400',
          '401',
          '429',
          '502',
          '503',
          '504',
        ]),
      );
      for (const path of [
        '/sms/test',
        '/environments/{environment}/sms/test',
      ]) {
        expect(
          document.paths[path].post.responses['200'].content['application/json']
            .schema,
        ).toEqual({ $ref: '#/components/schemas/TestSmsResultDto' });
      }
      expect(document.components.schemas.TestSmsRequestDto).toMatchObject({
        required: ['phone'],
        properties: { phone: { type: 'string' }, message: { type: 'string' } },
      });
      expect(
        document.components.schemas.ProviderErrorResponseDto.properties,
      ).toHaveProperty('maybeSent');
      expect(document.paths['/health'].get.security).toEqual([]);
    });

    it('writes the Authorization header of its description as code, which the page shows literally', async () => {
      const response = await request(service.url).get('/docs/json');

      expect(response.body.info.description).toContain(
        '`Authorization: Bearer <API key>`',
      );
      // Swagger UI and Redoc render descriptions as Markdown, which passes HTML through (and then
      // drops an unknown tag such as <API key>) everywhere but in code.
      const outsideCode = descriptionsOf(response.body).map((text) =>
        text.replace(/`[^`]*`/g, ''),
      );
      expect(outsideCode.filter((text) => /[<>]/.test(text))).toEqual([]);
    });
  });
});

/** Every `description` text of an OpenAPI document, at any depth. */
function descriptionsOf(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'description' && typeof value === 'string'
      ? [value]
      : descriptionsOf(value),
  );
}

describe('service HTTP API without SMS settings', () => {
  let service: ServiceTestApp;

  beforeAll(async () => {
    service = await startServiceTestApp({
      settings: { Settings: { Api: { Keys: [API_KEY] } } },
    });
  });
  afterAll(() => service?.close());

  it.each(['/sms/test', '/environments/tenant-a/sms/test'])(
    'answers 503 to %s, saying SMS is not configured',
    async (path) => {
      const response = await request(service.url)
        .post(path)
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ phone: PHONE });

      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
      });
      expect(response.body.message).toMatch(/^SMS is not configured/);
    },
  );

  it('reports health ok with no site provider', async () => {
    const response = await request(service.url).get('/health');

    expect(response.body).toEqual({
      status: 'ok',
      sms: { status: 'ok', provider: null },
      store: { status: 'ok' },
    });
  });
});

describe('service shutdown', () => {
  it('lets a test send in flight finish before the provider connections close, and refuses new ones', async () => {
    const server = await HttpsTestServer.start();
    const service = await startServiceTestApp({
      settings: gatewayApiSettings(server),
      files: { 'test-ca.pem': server.caPem },
    });
    try {
      let received!: () => void;
      const requestReceived = new Promise<void>(
        (resolve) => (received = resolve),
      );
      // The answer comes a second after the request: long enough for shutdown to begin meanwhile.
      server.answerOnce(() => {
        received();
        return { status: 200, body: { ids: [99] }, delayMs: 1000 };
      });
      const inFlight = request(service.url)
        .post('/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ phone: PHONE })
        .then((response) => response);
      await requestReceived;

      const closing = service.app.close();
      const refused = await request(service.url)
        .post('/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ phone: PHONE });
      const [response] = await Promise.all([inFlight, closing]);

      expect(response.status).toBe(200);
      expect(response.body.messageId).toBe('99');
      expect(refused.status).toBe(503);
      expect(server.requests).toHaveLength(1);
    } finally {
      await service.close();
      await server.close();
    }
  });
});

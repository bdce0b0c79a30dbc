import request from 'supertest';
import { HttpsTestServer } from './support/https-test-server.js';
import {
  echoAnswer,
  leakedForms,
  wholeRequestEcho,
  type EchoShape,
} from './support/provider-echo.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from './support/service-test-app.js';

const API_KEY = 'provider-echo-api-key-0123456789';
const SITE_SECRET = 'site-smstools-secret-5a8e';
const GATEWAY_TOKEN = 'tenant-gateway-token-93b1';
const ACCESS_PASSWORD = 'acc€ss pw&1234';
/** The settings of the environments under test; `site-only` has none and uses the site's. */
const SECRETS = [SITE_SECRET, GATEWAY_TOKEN, ACCESS_PASSWORD];

describe('a provider that echoes the whole request in its error answers', () => {
  let server: HttpsTestServer;
  let service: ServiceTestApp;
  let nextNumber = 0;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'Smstools',
            FromName: 'Acme',
            ApiUrl: `${server.url}/v1/message/send`,
            ClientId: 'site-client',
            ClientSecret: SITE_SECRET,
          },
          Api: {
            Keys: [API_KEY],
            TestSendLimitPerPhone: 100_000,
            TestSendLimitPerKey: 100_000,
          },
          Http: { TimeoutSeconds: 5, ExtraCaCertificatesFile: 'ca.pem' },
          // The test provider listens on 127.0.0.1.
          Security: { AllowPrivateNetworkUrls: true },
        },
      },
      files: { 'ca.pem': server.caPem },
    });
    await put('echo-gateway', {
      type: 'GatewayApi',
      fromName: 'Gamma',
      apiUrl: `${server.url}/rest/mtsms`,
      clientSecret: GATEWAY_TOKEN,
    });
    await put('echo-access', {
      type: 'AccessUrl',
      fromName: 'Alpha',
      apiUrl: `${server.url}/send`,
      parameters: [
        { name: 'user', value: 'alpha-user' },
        { name: 'password', value: ACCESS_PASSWORD },
        { name: 'to', value: '{phone}' },
        { name: 'text', value: '{message}' },
      ],
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.clear();
    nextNumber += 1;
  });

  async function put(environment: string, settings: object): Promise<void> {
    const answer = await request(service.url)
      .put(`/environments/${environment}/sms`)
      .set('Authorization', `Bearer ${API_KEY}`)
      .send(settings);
    expect(answer.status).toBe(200);
  }

  /** A number of this test's own, so that no code cooldown or cap is shared. */
  const phone = () => `+4531${String(nextNumber).padStart(6, '0')}`;

  /** What the service said to the client (status line aside) and logged since `firstLine`. */
  function saidSince(firstLine: number, answer: request.Response): string {
    return [
      JSON.stringify(answer.headers),
      answer.text,
      ...service.logs.lines.slice(firstLine),
    ].join('\n');
  }

  const cases: [number, EchoShape][] = [
    [400, 'text'],
    [400, 'json'],
    [500, 'text'],
    [500, 'json'],
  ];

  describe.each(['echo-gateway', 'echo-access', 'site-only'])(
    'a one-time code sent for environment %s',
    (environment) => {
      it.each(cases)(
        'is in no answer and no log line when the provider answers %i echoing it as %s',
        async (status, shape) => {
          server.answer(echoAnswer(status, shape));
          const firstLine = service.logs.lines.length;

          const answer = await request(service.url)
            .post(`/environments/${environment}/sms/codes`)
            .set('Authorization', `Bearer ${API_KEY}`)
            .send({ phone: phone(), purpose: 'two-factor' });

          expect(answer.status).toBe(502);
          expect(answer.body).toMatchObject({ providerStatus: status });
          // The provider did receive the code: the echo had something to repeat.
          expect(server.requests).toHaveLength(1);
          const echo = wholeRequestEcho(server.requests[0]);
          const code = /(\d{6}) is your/.exec(echo)?.[1];
          expect(code).toBeDefined();
          const said = saidSince(firstLine, answer);
          expect(said).not.toContain(code);
          for (const secret of SECRETS)
            for (const form of leakedForms(secret))
              expect(said).not.toContain(form);
          // Nothing of the provider's answer is returned: not its text, not its code.
          expect(answer.text).not.toContain('is your');
          expect(answer.text).not.toContain(server.requests[0].path);
          expect(answer.body.providerCode).toBeNull();
        },
      );
    },
  );

  describe.each([
    ['/sms/test'],
    ['/environments/echo-gateway/sms/test'],
    ['/environments/echo-access/sms/test'],
    ['/environments/site-only/sms/test'],
  ])('a test send to %s', (path) => {
    it.each(cases)(
      'answers and logs no secret when the provider answers %i echoing it as %s',
      async (status, shape) => {
        server.answer(echoAnswer(status, shape));
        const firstLine = service.logs.lines.length;

        const answer = await request(service.url)
          .post(path)
          .set('Authorization', `Bearer ${API_KEY}`)
          .send({ phone: phone() });

        expect(answer.status).toBe(502);
        expect(server.requests).toHaveLength(1);
        const echo = wholeRequestEcho(server.requests[0]);
        expect(SECRETS.some((secret) => echo.includes(secret))).toBe(true);
        const said = saidSince(firstLine, answer);
        for (const secret of SECRETS)
          for (const form of leakedForms(secret))
            expect(said).not.toContain(form);
      },
    );
  });
});

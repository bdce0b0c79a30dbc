import request from 'supertest';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  echoAnswer,
  leakedForms,
  wholeRequestEcho,
  type EchoShape,
} from '../support/provider-echo.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';
import { TRANSPORT_KINDS } from '../support/sms-http-transport.fixture.js';

const API_KEY = 'provider-echo-api-key-0123456789';
const SITE_SECRET = 'site-smstools-secret-5a8e';
const GATEWAY_TOKEN = 'tenant-gateway-token-93b1';
const ACCESS_PASSWORD = 'acc€ss pw&1234';
/** The settings of the environments under test; `site-only` has none and uses the site's. */
const SECRETS = [SITE_SECRET, GATEWAY_TOKEN, ACCESS_PASSWORD];

describe.each(TRANSPORT_KINDS)(
  'a provider that echoes the whole request in its error answers (%s transport)',
  (transport) => {
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
            Http: {
              Transport: transport,
              TimeoutSeconds: 5,
              ExtraCaCertificatesFile: 'ca.pem',
            },
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

    describe('a provider answer longer than what is kept of it', () => {
      const testSend = (path: string) =>
        request(service.url)
          .post(path)
          .set('Authorization', `Bearer ${API_KEY}`)
          .send({ phone: phone() });

      it('leaves no head of a secret where the 500-character provider text is cut', async () => {
        // 488 + 12: the cut used to fall 12 characters into the secret.
        server.answer({
          status: 400,
          headers: { 'content-type': 'text/plain' },
          body: `${'x'.repeat(488)}${SITE_SECRET} is not a valid secret`,
        });
        const firstLine = service.logs.lines.length;

        const answer = await testSend('/sms/test');

        expect(answer.status).toBe(502);
        expect(answer.body.message).toContain('x'.repeat(488));
        expect(saidSince(firstLine, answer)).not.toContain(
          SITE_SECRET.slice(0, 8),
        );
      });

      it('leaves no head of a secret where the 2,048-character log slice is cut', async () => {
        // `{"message":"` is 12 characters: the log slice used to end 12 characters into the token.
        server.answer({
          status: 400,
          body: { message: `${'y'.repeat(2024)}${GATEWAY_TOKEN} is unknown` },
        });
        const firstLine = service.logs.lines.length;

        const answer = await testSend('/environments/echo-gateway/sms/test');

        expect(answer.status).toBe(502);
        const refused = service.logs.lines
          .slice(firstLine)
          .find((line) => line.includes('SMS refused'));
        expect(refused).toContain('y'.repeat(2024));
        expect(saidSince(firstLine, answer)).not.toContain(
          GATEWAY_TOKEN.slice(0, 8),
        );
      });

      it('redacts the base64 and hex forms of a secret', async () => {
        const token = Buffer.from(GATEWAY_TOKEN);
        const encoded = [
          token.toString('base64'),
          token.toString('base64url'),
          token.toString('hex'),
          token.toString('hex').toUpperCase(),
          // The secret inside a longer encoded text, such as a Basic authorization header.
          Buffer.from(`tenant:${GATEWAY_TOKEN}`).toString('base64'),
          Buffer.from(`gateway user:${GATEWAY_TOKEN}:end`).toString('base64'),
        ];
        server.answer({
          status: 401,
          body: { message: `Unknown tokens ${encoded.join(' ')}` },
        });
        const firstLine = service.logs.lines.length;

        const answer = await testSend('/environments/echo-gateway/sms/test');

        expect(answer.status).toBe(502);
        const said = saidSince(firstLine, answer);
        for (const form of encoded) expect(said).not.toContain(form);
        // What is left around a redacted base64 text decodes to no part of the secret.
        for (const piece of said.match(/[A-Za-z0-9+/]{8,}=*/g) ?? [])
          expect(Buffer.from(piece, 'base64').toString('latin1')).not.toContain(
            GATEWAY_TOKEN.slice(4, 10),
          );
      });
    });
  },
);

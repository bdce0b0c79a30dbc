import { stripVTControlCharacters } from 'node:util';
import request from 'supertest';
import type { MockInstance } from 'vitest';
import type { LoggingConfig } from '../../src/config/service-config.interface.js';
import { ServiceLogger } from '../../src/logging/service.logger.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  echoAnswer,
  leakedForms,
  wholeRequestEcho,
} from '../support/provider-echo.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'logs-e2e-api-key-0123456789abcdef';
const GATEWAY_TOKEN = 'logs-gateway-token-7c41d9';
const SMSTOOLS_SECRET = 'logs-smstools-secret-52e0a8';
const PUBLIC_URL = 'https://sms.example.com';
const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Starts the service with its own logger, as `Settings:Logging` sets it up. */
async function startWithLogging(
  server: HttpsTestServer,
  logging: LoggingConfig,
): Promise<ServiceTestApp> {
  const settings = {
    Settings: {
      Api: { Keys: [API_KEY] },
      Http: {
        TimeoutSeconds: 5,
        Retries: 0,
        ExtraCaCertificatesFile: 'ca.pem',
      },
      Security: { AllowPrivateNetworkUrls: true },
      DeliveryReports: { PublicUrl: PUBLIC_URL },
    },
  };
  // Start-up lines (modules, routes, the settings saved) would only clutter the test run's output.
  const startUp = captureOutput();
  try {
    const service = await startServiceTestApp({
      settings,
      files: { 'ca.pem': server.caPem },
      // The logger createApplication makes for Settings:Logging (the configuration's tests read it).
      logger: new ServiceLogger(logging),
    });
    const answer = await request(service.url)
      .put('/environments/acme/sms')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: `${server.url}/rest/mtsms`,
        clientSecret: GATEWAY_TOKEN,
      });
    expect(answer.status).toBe(200);
    await putFailover(service, server);
    return service;
  } finally {
    startUp.restore();
  }
}

/**
 * Environment `failover`: Gateway API on the test server's `/primary` path, Smstools on its
 * `/fallback` path as the fallback.
 */
async function putFailover(
  service: ServiceTestApp,
  server: HttpsTestServer,
): Promise<void> {
  const answer = await request(service.url)
    .put('/environments/failover/sms')
    .set('Authorization', `Bearer ${API_KEY}`)
    .send({
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: `${server.url}/primary`,
      clientSecret: GATEWAY_TOKEN,
      fallback: {
        type: 'Smstools',
        fromName: 'Acme',
        apiUrl: `${server.url}/fallback`,
        clientId: 'acme',
        clientSecret: SMSTOOLS_SECRET,
      },
    });
  expect(answer.status).toBe(200);
}

/** Everything written to standard output and error from now on. */
function captureOutput(): { text: () => string; restore: () => void } {
  const written: string[] = [];
  const spies: MockInstance[] = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    }),
  );
  return {
    text: () => written.join(''),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

describe('logs and request ids', () => {
  let server: HttpsTestServer;
  let nextNumber = 0;
  const phone = () => `+4534${String((nextNumber += 1)).padStart(6, '0')}`;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server.clear();
  });

  describe('with Settings:Logging:Format json', () => {
    let service: ServiceTestApp;
    let output: ReturnType<typeof captureOutput>;

    beforeAll(async () => {
      service = await startWithLogging(server, {
        format: 'json',
        level: 'log',
      });
    });
    afterAll(async () => {
      await service?.close();
    });
    beforeEach(() => {
      output = captureOutput();
    });
    afterEach(() => output.restore());

    /** Neither provider's secret, in any form, in what was written. */
    const expectNoProviderSecret = (written: string) => {
      for (const secret of [GATEWAY_TOKEN, SMSTOOLS_SECRET])
        for (const form of leakedForms(secret))
          expect(written).not.toContain(form);
    };

    /** The JSON lines written since the test began; every line must parse. */
    const jsonLines = () =>
      output
        .text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    it('writes a send as one JSON object with its fields and the caller’s request id', async () => {
      server.answer({ status: 200, body: { ids: [31337] } });
      const to = phone();

      const answer = await request(service.url)
        .post('/environments/acme/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('X-Request-Id', 'checkout-42/attempt:1')
        .send({ phone: to });
      output.restore();

      expect(answer.status).toBe(200);
      expect(answer.headers['x-request-id']).toBe('checkout-42/attempt:1');
      const sent = jsonLines().find((line) =>
        String(line.message).startsWith('SMS sent:'),
      );
      expect(sent).toEqual({
        level: 'log',
        timestamp: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
        ),
        message: expect.stringContaining(`phone=${to}`),
        context: 'SmsService',
        id: expect.stringMatching(UUID),
        provider: 'GatewayApi',
        source: 'environment',
        environment: 'acme',
        outcome: 'sent',
        messageId: '31337',
        durationMs: expect.any(Number),
        phone: to,
        requestId: 'checkout-42/attempt:1',
      });
      expect(sent?.id).toBe(answer.body.id);
    });

    it('writes a failover as JSON lines with the request id, one id per send, and no secret of either provider', async () => {
      // The primary refuses for now, repeating the whole request; the fallback takes the message.
      server.answerOnce((received) => ({
        ...echoAnswer(503, 'json')(received),
        headers: { 'retry-after': '1' },
      }));
      server.answer({ status: 200, body: { messageid: 'st-4711' } });

      const answer = await request(service.url)
        .post('/environments/failover/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('X-Request-Id', 'failover-json-1')
        .send({ phone: phone() });
      output.restore();

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        provider: 'Smstools',
        failoverFrom: 'GatewayApi',
      });
      expect(server.requests.map((r) => r.url)).toEqual([
        '/primary',
        '/fallback',
      ]);
      expect(wholeRequestEcho(server.requests[0])).toContain(GATEWAY_TOKEN);
      const lines = jsonLines();
      const failover = lines.find((line) =>
        String(line.message).startsWith('SMS failover:'),
      );
      expect(failover).toMatchObject({
        level: 'warn',
        context: 'SmsService',
        requestId: 'failover-json-1',
        message: expect.stringContaining('from=GatewayApi to=Smstools'),
      });
      const sent = lines.find((line) =>
        String(line.message).startsWith('SMS sent:'),
      );
      expect(sent).toMatchObject({
        id: answer.body.id,
        provider: 'Smstools',
        outcome: 'sent',
        requestId: 'failover-json-1',
      });
      const ids = new Set(
        lines.filter((line) => 'id' in line).map((line) => line.id),
      );
      expect([...ids]).toEqual([answer.body.id]);
      expectNoProviderSecret(output.text());
      // The primary echoed the callback URL: its token is a credential too.
      const { callback_url: callbackUrl } = JSON.parse(
        server.requests[0].body.toString(),
      ) as { callback_url: string };
      expect(output.text()).toContain('/delivery-reports/');
      expect(output.text()).not.toContain(callbackUrl.split('/').at(-1));
    });

    it('writes a delivery report as a JSON line with the request id and no secret', async () => {
      server.answer({ status: 200, body: { ids: [8080] } });
      const to = phone();
      const send = await request(service.url)
        .post('/environments/acme/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ phone: to });
      expect(send.status).toBe(200);
      const { callback_url: callbackUrl } = JSON.parse(
        server.requests[0].body.toString(),
      ) as { callback_url: string };

      const report = await request(service.url)
        .post(new URL(callbackUrl).pathname)
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'report-json-1')
        .send(
          JSON.stringify({
            id: 8080,
            msisdn: Number(to.slice(1)),
            time: 1767225600,
            status: 'DELIVERED',
            userref: send.body.id,
          }),
        );
      output.restore();

      expect(report.status).toBe(204);
      const line = jsonLines().find((candidate) =>
        String(candidate.message).startsWith('Delivery report:'),
      );
      expect(line).toMatchObject({
        level: 'log',
        context: 'SmsDeliveryReports',
        requestId: 'report-json-1',
        message: expect.stringContaining(`id=${send.body.id as string}`),
      });
      const written = output.text();
      expectNoProviderSecret(written);
      expect(written).not.toContain(new URL(callbackUrl).pathname);
    });

    it('gives a new id to a request with an unacceptable one, in the header, the log and the error body', async () => {
      server.answer({ status: 422, body: { message: 'refused' } });

      const answer = await request(service.url)
        .post('/environments/acme/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('X-Request-Id', 'x'.repeat(129))
        .send({ phone: phone() });
      output.restore();

      expect(answer.status).toBe(502);
      const id = answer.headers['x-request-id'];
      expect(id).toMatch(UUID);
      expect(answer.body.requestId).toBe(id);
      const refused = jsonLines().find((line) =>
        String(line.message).startsWith('SMS refused:'),
      );
      expect(refused).toMatchObject({
        level: 'error',
        outcome: 'not_sent',
        messageId: null,
        requestId: id,
      });
    });

    it('puts the request id in the body of every error answer', async () => {
      const noKey = await request(service.url)
        .post('/sms/test')
        .set('X-Request-Id', 'no-key-1')
        .send({ phone: phone() });
      const badBody = await request(service.url)
        .post('/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('X-Request-Id', 'bad-body-1')
        .send({ phone: 7 });
      const notFound = await request(service.url)
        .get('/environments/nobody/sms')
        .set('Authorization', `Bearer ${API_KEY}`);
      output.restore();

      expect(noKey.status).toBe(401);
      expect(noKey.body.requestId).toBe('no-key-1');
      expect(badBody.status).toBe(400);
      expect(badBody.body.requestId).toBe('bad-body-1');
      expect(notFound.status).toBe(404);
      expect(notFound.body.requestId).toBe(notFound.headers['x-request-id']);
    });

    it('keeps a secret that the provider echoes out of every JSON line', async () => {
      server.answer(echoAnswer(400, 'json'));

      const answer = await request(service.url)
        .post('/environments/acme/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ phone: phone() });
      output.restore();

      expect(answer.status).toBe(502);
      expect(wholeRequestEcho(server.requests[0])).toContain(GATEWAY_TOKEN);
      const lines = jsonLines();
      expect(lines.some((line) => line.context === 'SmsService')).toBe(true);
      const written = output.text();
      for (const form of leakedForms(GATEWAY_TOKEN))
        expect(written).not.toContain(form);
      // Nor the delivery report token of the callback URL it echoed, in the log or the answer.
      const { callback_url: callbackUrl } = JSON.parse(
        server.requests[0].body.toString(),
      ) as { callback_url: string };
      const token = callbackUrl.split('/').at(-1)!;
      expect(written).not.toContain(token);
      expect(JSON.stringify(answer.body)).not.toContain(token);
    });
  });

  describe('with Settings:Logging:Format text and Level warn', () => {
    let service: ServiceTestApp;

    beforeAll(async () => {
      service = await startWithLogging(server, {
        format: 'text',
        level: 'warn',
      });
    });
    afterAll(async () => {
      await service?.close();
    });

    it('writes Nest console lines with the request id appended, and nothing below warn', async () => {
      server.answer({ status: 200, body: { ids: [5] } });
      const output = captureOutput();
      await request(service.url)
        .post('/environments/acme/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('X-Request-Id', 'text-ok-1')
        .send({ phone: phone() });
      server.answer({ status: 422, body: { message: 'refused' } });
      await request(service.url)
        .post('/environments/acme/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .set('X-Request-Id', 'text-refused-1')
        .send({ phone: phone() });
      output.restore();

      // Colours are on when the terminal allows them.
      const text = stripVTControlCharacters(output.text());
      expect(text).not.toContain('SMS sent:');
      expect(text).toMatch(
        /^\[Nest\] \d+ {2}- .* ERROR \[SmsService\] SMS refused: provider=GatewayApi .* attempts=1 requestId=text-refused-1$/m,
      );
      expect(text).not.toContain('outcome');
    });
  });
});

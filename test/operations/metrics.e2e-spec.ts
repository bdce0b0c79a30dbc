import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  parseExposition,
  sampleValue,
  type PrometheusSample,
} from '../support/prometheus-exposition.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'metrics-e2e-api-key-0123456789ab';
// Its own key, so that using up its test-send limit leaves the other keys alone.
const LIMITED_KEY = 'metrics-e2e-limited-key-01234567';
const SEND_ONLY_KEY = 'metrics-e2e-send-only-key-012345';
// Above what the other tests send with API_KEY.
const KEY_LIMIT = 30;
const PHONE_LIMIT = 2;
const GATEWAY_TOKEN = `gateway-token-${randomBytes(6).toString('hex')}`;
const SMSTOOLS_SECRET = `smstools-secret-${randomBytes(6).toString('hex')}`;
// Not this service's address (its port is known only once it listens): the test posts the
// callback_url's path to the service itself.
const PUBLIC_URL = 'https://sms.example.com';
const FAILOVER_ENVIRONMENT = 'failover-acme';

const hasPromtool =
  spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

describe('GET /metrics', () => {
  let server: HttpsTestServer;
  let service: ServiceTestApp;
  let closedPortUrl: string;
  let nextNumber = 0;
  // Every callback URL a provider was given, for the exposition scan.
  const callbackUrls: string[] = [];

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    const closed = await HttpsTestServer.start();
    closedPortUrl = closed.url;
    await closed.close();
    // No site provider: a site test send is the "not configured" outcome.
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Api: {
            Keys: [
              API_KEY,
              { Name: 'limited', Key: LIMITED_KEY, Scopes: ['send'] },
              { Name: 'send-only', Key: SEND_ONLY_KEY, Scopes: ['send'] },
            ],
            TestSendLimitPerPhone: PHONE_LIMIT,
            TestSendLimitPerKey: KEY_LIMIT,
          },
          Http: {
            TimeoutSeconds: 5,
            Retries: 0,
            ExtraCaCertificatesFile: 'ca.pem',
          },
          Security: { AllowPrivateNetworkUrls: true },
          DeliveryReports: { PublicUrl: PUBLIC_URL },
        },
      },
      files: { 'ca.pem': server.caPem },
    });
    await putGateway('acme');
    await putFailover(FAILOVER_ENVIRONMENT);
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.clear();
    nextNumber += 1;
  });

  const phone = () => `+4532${String(nextNumber).padStart(6, '0')}`;

  async function putGateway(environment: string): Promise<void> {
    const answer = await request(service.url)
      .put(`/environments/${environment}/sms`)
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: `${server.url}/rest/mtsms`,
        clientSecret: GATEWAY_TOKEN,
      });
    expect(answer.status).toBe(200);
  }

  /** Gateway API on a closed port, Smstools on the test server as its fallback. */
  async function putFailover(environment: string): Promise<void> {
    const answer = await request(service.url)
      .put(`/environments/${environment}/sms`)
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: `${closedPortUrl}/rest/mtsms`,
        clientSecret: GATEWAY_TOKEN,
        fallback: {
          type: 'Smstools',
          fromName: 'Acme',
          apiUrl: server.url,
          clientId: 'acme',
          clientSecret: SMSTOOLS_SECRET,
        },
      });
    expect(answer.status).toBe(200);
  }

  /** The path of the callback URL the provider was given in its last request. */
  function callbackPath(): string {
    const body = JSON.parse(server.requests.at(-1)!.body.toString()) as {
      callback_url: string;
    };
    callbackUrls.push(body.callback_url);
    expect(
      body.callback_url.startsWith(`${PUBLIC_URL}/delivery-reports/`),
    ).toBe(true);
    return new URL(body.callback_url).pathname;
  }

  async function scrape(): Promise<{
    text: string;
    samples: PrometheusSample[];
  }> {
    const answer = await request(service.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${API_KEY}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    return { text: answer.text, samples: parseExposition(answer.text) };
  }

  /** How much each of `probes` moved while `action` ran. */
  async function moved(
    probes: Record<string, [string, Record<string, string>?]>,
    action: () => Promise<unknown>,
  ): Promise<Record<string, number>> {
    const before = (await scrape()).samples;
    await action();
    const after = (await scrape()).samples;
    return Object.fromEntries(
      Object.entries(probes).map(([probe, [name, labels]]) => [
        probe,
        sampleValue(after, name, labels) - sampleValue(before, name, labels),
      ]),
    );
  }

  const testSend = (path: string, body: object, key = API_KEY) =>
    request(service.url)
      .post(path)
      .set('Authorization', `Bearer ${key}`)
      .send(body);

  const sendProbes = (
    outcome: string,
    provider = 'GatewayApi',
    source = 'environment',
  ) =>
    ({
      sends: ['sms_sends_total', { provider, source, outcome }],
      durations: ['sms_send_duration_seconds_count', { provider, outcome }],
      otherSends: [
        'sms_sends_total',
        { provider, source, outcome: outcome === 'sent' ? 'not_sent' : 'sent' },
      ],
    }) satisfies Record<string, [string, Record<string, string>]>;

  it('answers 401 without a key and 403 to a key without the metrics scope', async () => {
    const none = await request(service.url).get('/metrics');
    const sendOnly = await request(service.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${SEND_ONLY_KEY}`);

    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.text).not.toContain('sms_sends_total');
    expect(sendOnly.status).toBe(403);
  });

  it('counts a sent message once, with one 2xx exchange and one duration', async () => {
    server.answer({ status: 200, body: { ids: [7] } });

    const delta = await moved(
      {
        ...sendProbes('sent'),
        ok: [
          'sms_provider_requests_total',
          { provider: 'GatewayApi', result: '2xx' },
        ],
      },
      async () =>
        expect(
          (await testSend('/environments/acme/sms/test', { phone: phone() }))
            .status,
        ).toBe(200),
    );

    expect(delta).toEqual({ sends: 1, durations: 1, otherSends: 0, ok: 1 });
  });

  it('counts a refused message as not sent, with one 4xx exchange', async () => {
    server.answer({ status: 422, body: { message: 'no' } });

    const delta = await moved(
      {
        ...sendProbes('not_sent'),
        refused: [
          'sms_provider_requests_total',
          { provider: 'GatewayApi', result: '4xx' },
        ],
      },
      async () =>
        expect(
          (await testSend('/environments/acme/sms/test', { phone: phone() }))
            .status,
        ).toBe(502),
    );

    expect(delta).toEqual({
      sends: 1,
      durations: 1,
      otherSends: 0,
      refused: 1,
    });
  });

  it('counts a 500 as maybe sent, with one 5xx exchange', async () => {
    server.answer({ status: 500, body: 'broken' });

    const delta = await moved(
      {
        ...sendProbes('maybe_sent'),
        failed: [
          'sms_provider_requests_total',
          { provider: 'GatewayApi', result: '5xx' },
        ],
      },
      async () =>
        expect(
          (await testSend('/environments/acme/sms/test', { phone: phone() }))
            .status,
        ).toBe(502),
    );

    expect(delta).toEqual({ sends: 1, durations: 1, otherSends: 0, failed: 1 });
  });

  it('counts a bad number as invalid, without provider or source, and no exchange', async () => {
    const delta = await moved(
      {
        ...sendProbes('invalid', 'none', 'none'),
        exchanges: [
          'sms_provider_requests_total',
          { provider: 'GatewayApi', result: '2xx' },
        ],
      },
      async () =>
        expect(
          (await testSend('/environments/acme/sms/test', { phone: '+1' }))
            .status,
        ).toBe(400),
    );

    expect(delta).toEqual({
      sends: 1,
      durations: 1,
      otherSends: 0,
      exchanges: 0,
    });
    expect(server.requests).toHaveLength(0);
  });

  it('counts a send with no settings at all as not configured', async () => {
    const delta = await moved(
      sendProbes('not_configured', 'none', 'none'),
      async () =>
        expect((await testSend('/sms/test', { phone: phone() })).status).toBe(
          503,
        ),
    );

    expect(delta).toEqual({ sends: 1, durations: 1, otherSends: 0 });
  });

  it('counts a code sent and a code verified, by purpose and result', async () => {
    server.answer({ status: 200, body: { ids: [8] } });
    const to = phone();
    const codes = '/environments/acme/sms/codes';
    const probes = {
      sent: ['sms_codes_sent_total', { purpose: 'two-factor' }],
      valid: [
        'sms_codes_verified_total',
        { purpose: 'two-factor', result: 'valid' },
      ],
      invalid: [
        'sms_codes_verified_total',
        { purpose: 'two-factor', result: 'invalid' },
      ],
    } satisfies Record<string, [string, Record<string, string>]>;

    const afterSend = await moved(probes, async () =>
      expect(
        (await testSend(codes, { phone: to, purpose: 'two-factor' })).status,
      ).toBe(200),
    );
    const code = /(\d{6}) is your/.exec(
      server.requests[0].body.toString(),
    )?.[1];
    const afterChecks = await moved(probes, async () => {
      const wrong = code === '000000' ? '111111' : '000000';
      await testSend(`${codes}/verify`, {
        phone: to,
        purpose: 'two-factor',
        code: wrong,
      });
      await testSend(`${codes}/verify`, {
        phone: to,
        purpose: 'two-factor',
        code,
      });
    });

    expect(afterSend).toEqual({ sent: 1, valid: 0, invalid: 0 });
    expect(afterChecks).toEqual({ sent: 0, valid: 1, invalid: 1 });
  });

  it('counts test sends refused for no key, for the per-phone limit and for the per-key limit', async () => {
    server.answer({ status: 200, body: { ids: [9] } });
    const refused = (reason: string): [string, Record<string, string>] => [
      'sms_test_sends_refused_total',
      { reason },
    ];
    const probes = {
      unauthorized: refused('unauthorized'),
      phone: refused('limit_phone'),
      key: refused('limit_key'),
    };

    const noKey = await moved(probes, async () => {
      // Refused before the body is read, and at the guard when there is no body.
      await request(service.url).post('/sms/test').send({ phone: phone() });
      await request(service.url).post('/environments/acme/sms/test');
    });
    const to = phone();
    const perPhone = await moved(probes, async () => {
      for (let i = 0; i <= PHONE_LIMIT; i += 1)
        await testSend('/environments/acme/sms/test', { phone: to });
    });

    const perKey = await moved(probes, async () => {
      // Bad numbers: they count against the key, and reach no provider.
      for (let i = 0; i <= KEY_LIMIT; i += 1)
        await testSend(
          '/environments/acme/sms/test',
          { phone: '+1' },
          LIMITED_KEY,
        );
    });

    expect(noKey).toEqual({ unauthorized: 2, phone: 0, key: 0 });
    expect(perPhone).toEqual({ unauthorized: 0, phone: 1, key: 0 });
    expect(perKey).toEqual({ unauthorized: 0, phone: 0, key: 1 });
  });

  it('counts a real failover once, and the send once under the fallback that took it', async () => {
    server.answer({ status: 200, body: { messageid: 'st-77' } });

    const delta = await moved(
      {
        failover: [
          'sms_failovers_total',
          { from: 'GatewayApi', to: 'Smstools', reason: 'network' },
        ],
        fallbackSent: [
          'sms_sends_total',
          { provider: 'Smstools', source: 'environment', outcome: 'sent' },
        ],
        primaryNotSent: [
          'sms_sends_total',
          {
            provider: 'GatewayApi',
            source: 'environment',
            outcome: 'not_sent',
          },
        ],
      },
      async () => {
        const answer = await testSend(
          `/environments/${FAILOVER_ENVIRONMENT}/sms/test`,
          { phone: phone() },
        );
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          provider: 'Smstools',
          failoverFrom: 'GatewayApi',
        });
      },
    );

    expect(delta).toEqual({ failover: 1, fallbackSent: 1, primaryNotSent: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('counts a real delivery report once, and not its repeat, which the service answers 204 and ignores', async () => {
    server.answer({ status: 200, body: { ids: [515151] } });
    const to = phone();
    const send = await testSend('/environments/acme/sms/test', { phone: to });
    expect(send.status).toBe(200);
    const { id } = send.body as { id: string };
    const path = callbackPath();
    const report = () =>
      request(service.url)
        .post(path)
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            id: 515151,
            msisdn: Number(to.slice(1)),
            time: 1767225600,
            status: 'DELIVERED',
            userref: id,
          }),
        );
    const probes = {
      delivered: [
        'sms_delivery_reports_total',
        { provider: 'GatewayApi', status: 'delivered' },
      ],
    } satisfies Record<string, [string, Record<string, string>]>;

    const first = await moved(probes, async () =>
      expect((await report()).status).toBe(204),
    );
    const repeat = await moved(probes, async () =>
      expect((await report()).status).toBe(204),
    );

    expect(first).toEqual({ delivered: 1 });
    expect(repeat).toEqual({ delivered: 0 });
    const record = await request(service.url)
      .get(`/environments/acme/sms/messages/${id}`)
      .set('Authorization', `Bearer ${API_KEY}`);
    expect(record.body).toMatchObject({
      status: 'delivered',
      events: [{ status: 'accepted' }, { status: 'delivered' }],
    });
  });

  it('has prom-client default metrics and no label with a phone number, environment, id or secret', async () => {
    const environment = `tenant-${randomBytes(4).toString('hex')}`;
    await putGateway(environment);
    const numbers = [phone(), `+4533${randomInt(100_000, 1_000_000)}`];
    server.answer({ status: 200, body: { ids: [424242] } });
    await testSend(`/environments/${environment}/sms/test`, {
      phone: numbers[0],
    });
    server.answer({
      status: 400,
      body: { message: `bad token ${GATEWAY_TOKEN}` },
    });
    await testSend(`/environments/${environment}/sms/test`, {
      phone: numbers[1],
    });
    // A failover and a delivery report, with a number of their own.
    const failoverEnvironment = `failover-${randomBytes(4).toString('hex')}`;
    await putFailover(failoverEnvironment);
    numbers.push(`+4535${randomInt(100_000, 1_000_000)}`);
    server.answer({ status: 200, body: { messageid: 'st-626262' } });
    const failedOver = await testSend(
      `/environments/${failoverEnvironment}/sms/test`,
      { phone: numbers[2] },
    );
    expect(failedOver.body).toMatchObject({ failoverFrom: 'GatewayApi' });
    server.answer({ status: 200, body: { ids: [434343] } });
    const reported = await testSend(`/environments/${environment}/sms/test`, {
      phone: numbers[0],
    });
    const { id } = reported.body as { id: string };
    const reportAnswer = await request(service.url)
      .post(callbackPath())
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({
          id: 434343,
          msisdn: Number(numbers[0].slice(1)),
          time: 1767225600,
          status: 'UNDELIVERABLE',
          userref: id,
        }),
      );
    expect(reportAnswer.status).toBe(204);

    const { text, samples } = await scrape();

    expect(
      samples.some((s) => s.name === 'process_cpu_user_seconds_total'),
    ).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(
      true,
    );
    const ids = [id, failedOver.body.id as string];
    const secrets = [GATEWAY_TOKEN, SMSTOOLS_SECRET];
    const urls = [server.url, closedPortUrl, PUBLIC_URL, ...callbackUrls];
    const tokens = callbackUrls.map((url) => url.split('/').at(-1)!);
    for (const value of [
      environment,
      failoverEnvironment,
      ...secrets,
      ...urls,
      ...tokens,
      ...ids,
      ...numbers,
    ])
      expect(text).not.toContain(value);
    // Digits alone could be any sample's value: label values are what must not hold them.
    const labelValues = samples
      .flatMap((s) => Object.values(s.labels))
      .join('\n');
    for (const digits of [
      '424242',
      '434343',
      '626262',
      ...numbers.map((n) => n.slice(1)),
    ])
      expect(labelValues).not.toContain(digits);
    const labelNames = new Set(samples.flatMap((s) => Object.keys(s.labels)));
    for (const name of ['phone', 'environment', 'messageId', 'url', 'id'])
      expect(labelNames).not.toContain(name);
  });

  it.skipIf(!hasPromtool)(
    'passes promtool check metrics after sends of every outcome',
    async () => {
      server.answer({ status: 200, body: { ids: [1] } });
      await testSend('/environments/acme/sms/test', { phone: phone() });
      server.answer({ status: 500 });
      await testSend('/environments/acme/sms/test', { phone: phone() });
      await testSend('/environments/acme/sms/test', { phone: 'not a number' });
      await testSend('/sms/test', { phone: phone() });

      const { text } = await scrape();

      // Throws, with promtool's complaints, when the exposition does not pass.
      expect(() =>
        execFileSync('promtool', ['check', 'metrics'], {
          input: text,
          stdio: 'pipe',
        }),
      ).not.toThrow();
    },
  );
});

describe('GET /metrics with Settings:Metrics:Enabled false', () => {
  let service: ServiceTestApp;

  beforeAll(async () => {
    service = await startServiceTestApp({
      settings: { Settings: { Api: { Keys: [API_KEY] } } },
      env: { Settings__Metrics__Enabled: 'false' },
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('does not exist', async () => {
    const answer = await request(service.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${API_KEY}`);

    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain('sms_sends_total');
  });
});

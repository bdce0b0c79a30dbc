import * as crypto from 'node:crypto';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

// Wrapped, not replaced: the guard's comparisons are counted and their inputs kept.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const KEYS = [
  'abuse-key-number-one-0123456789',
  'abuse-key-number-two-0123456789',
  'abuse-key-number-three-0123456789',
  'abuse-key-number-four-0123456789',
  'abuse-key-number-five-0123456789',
  'abuse-key-number-six-0123456789',
];
const [KEY_A, KEY_B, KEY_C] = KEYS;
// Spread over three keys, 50 sends stay under each key's limit: every 429 is the number's.
const SPREAD_KEYS = KEYS.slice(3);
const PER_PHONE = 5;
const PER_KEY = 20;
const WINDOW_SECONDS = 600;
const CONCURRENT = 50;

/** The key with its last character changed: the closest a guess can come without being right. */
const lastCharacterChanged = (key: string) =>
  `${key.slice(0, -1)}${key.endsWith('9') ? '8' : '9'}`;

describe('test-send abuse', () => {
  let server: HttpsTestServer;
  let service: ServiceTestApp;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: 'abuse-token-value',
          },
          Api: {
            Keys: KEYS,
            TestSendLimitPerPhone: PER_PHONE,
            TestSendLimitPerKey: PER_KEY,
            TestSendWindowSeconds: WINDOW_SECONDS,
          },
          Http: { ExtraCaCertificatesFile: 'ca.pem' },
        },
      },
      files: { 'ca.pem': server.caPem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.clear();
    // A short wait keeps the accepted sends in flight together with the requests still arriving.
    server.answer({ status: 200, body: { ids: [1] }, delayMs: 20 });
  });

  const send = (
    authorization: string | undefined,
    phone: string,
    path = '/sms/test',
  ) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(authorization === undefined
          ? {}
          : { Authorization: authorization }),
      },
      body: JSON.stringify({ phone }),
    });

  /** The recipients the provider received, as the digits in each request's body. */
  const recipients = () =>
    server.requests.map(
      (r) =>
        (
          JSON.parse(r.body.toString('utf8')) as {
            recipients: { msisdn: number }[];
          }
        ).recipients[0].msisdn,
    );

  it(`lets exactly ${PER_PHONE} of ${CONCURRENT} concurrent sends to one number reach the provider`, async () => {
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        // Several keys, both routes and several spellings of the number count together.
        send(
          `Bearer ${SPREAD_KEYS[i % SPREAD_KEYS.length]}`,
          i % 2 === 0 ? '+4530000001' : '+45 30-00.00(01)',
          i % 3 === 0 ? '/environments/tenant-a/sms/test' : '/sms/test',
        ),
      ),
    );
    const statuses = responses.map((r) => r.status);

    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_PHONE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(
      CONCURRENT - PER_PHONE,
    );
    expect(server.requests).toHaveLength(PER_PHONE);
    expect(recipients()).toEqual(Array(PER_PHONE).fill(4530000001));
    for (const response of responses.filter((r) => r.status === 429)) {
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
      const body = (await response.json()) as { message: string };
      expect(body.message).toContain(
        `at most ${PER_PHONE} to one phone number`,
      );
      expect(body.message).not.toContain('30000001');
    }
  });

  it(`lets exactly ${PER_KEY} of ${CONCURRENT} concurrent sends with one key reach the provider`, async () => {
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        send(`Bearer ${KEY_B}`, `+45400000${String(i).padStart(2, '0')}`),
      ),
    );
    const statuses = responses.map((r) => r.status);

    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_KEY);
    expect(statuses.filter((s) => s === 429)).toHaveLength(
      CONCURRENT - PER_KEY,
    );
    expect(server.requests).toHaveLength(PER_KEY);
    // Each number was sent to at most once: no send was duplicated by the race.
    expect(new Set(recipients()).size).toBe(PER_KEY);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(
        Number(response.headers.get('retry-after')),
      ).toBeGreaterThanOrEqual(1);
      expect(
        ((await response.json()) as { message: string }).message,
      ).toContain(`at most ${PER_KEY} with one API key`);
    }
    // Another key is not held back by this one's limit.
    expect((await send(`Bearer ${KEY_C}`, '+4540000099')).status).toBe(200);
  });

  it('sends nothing for requests without a key, with a wrong key or with a key one character off', async () => {
    const attempts: (string | undefined)[] = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Bearer ${KEY_A} ${KEY_B}`,
      `Token ${KEY_A}`,
      `Basic ${Buffer.from(`user:${KEY_A}`).toString('base64')}`,
      'Bearer not-a-configured-key-0123456789',
      `Bearer ${KEY_A.slice(0, -1)}`,
      `Bearer ${KEY_A}x`,
      `Bearer ${KEY_A.toUpperCase()}`,
      ...KEYS.map((key) => `Bearer ${lastCharacterChanged(key)}`),
    ];
    const responses = await Promise.all(
      attempts.flatMap((authorization) => [
        send(authorization, '+4550000001'),
        send(authorization, '+4550000001', '/environments/tenant-a/sms/test'),
      ]),
    );

    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('retry-after')).toBeNull();
    }
    expect(server.requests).toHaveLength(0);
    expect(service.logs.text).not.toContain(KEY_A.slice(0, -1));
  });

  it('compares a presented key with every configured key, as equal-length digests, whether it matches or not', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    const comparisonsFor = async (authorization: string) => {
      compare.mockClear();
      await send(authorization, '+4560000001');
      return compare.mock.calls.map(([a, b]) => [
        (a as Buffer).length,
        (b as Buffer).length,
      ]);
    };

    const right = await comparisonsFor(`Bearer ${KEY_A}`);
    const rightLast = await comparisonsFor(`Bearer ${KEY_C}`);
    const nearlyRight = await comparisonsFor(
      `Bearer ${lastCharacterChanged(KEY_A)}`,
    );
    const short = await comparisonsFor('Bearer x');
    const long = await comparisonsFor(`Bearer ${'y'.repeat(4000)}`);

    // The first key matching does not stop the loop, and the presented key's length does not show.
    const everyKey = KEYS.map(() => [32, 32]);
    for (const calls of [right, rightLast, nearlyRight, short, long]) {
      expect(calls).toEqual(everyKey);
    }
  });
});

import type { ThrottlerStorageService } from '@nestjs/throttler';
import request from 'supertest';
import { API_LIMITS_THROTTLER_STORAGE } from '../../src/throttling/api-limits.throttler-options.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const KEY_A = 'limits-key-a-0123456789';
const KEY_B = 'limits-key-b-0123456789';
const KEY_C = 'limits-key-c-0123456789';
const WINDOW_SECONDS = 600;

describe('test-send limits', () => {
  let server: HttpsTestServer;
  let service: ServiceTestApp;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    server.answer({ status: 200, body: { ids: [1] } });
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: 'limits-token-value',
          },
          Http: { ExtraCaCertificatesFile: 'ca.pem' },
        },
      },
      files: { 'ca.pem': server.caPem },
      // Given as environment variables (text), as a container platform would.
      env: {
        Settings__Api__Keys__0: KEY_A,
        Settings__Api__Keys__1: KEY_B,
        Settings__Api__Keys__2: KEY_C,
        Settings__Api__TestSendLimitPerPhone: '2',
        Settings__Api__TestSendLimitPerKey: '4',
        Settings__Api__TestSendWindowSeconds: String(WINDOW_SECONDS),
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });

  const send = (key: string, phone: string, path = '/sms/test') =>
    request(service.url)
      .post(path)
      .set('Authorization', `Bearer ${key}`)
      .send({ phone });

  it('allows the configured sends to one number, however it is written, then answers 429 with Retry-After', async () => {
    const before = server.requests.length;

    const first = await send(KEY_A, '+4520000001');
    const second = await send(
      KEY_A,
      '+45 20 00 00 01',
      '/environments/tenant-a/sms/test',
    );
    const third = await send(KEY_A, '+45-2000-0001');

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(third.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Too many test sends: at most 2 to one phone number within ${WINDOW_SECONDS} seconds. Try again in ${retryAfter} seconds.`,
      requestId: third.headers['x-request-id'],
    });
    expect(third.text).not.toContain('2000');
    expect(server.requests.length - before).toBe(2);
  });

  it('counts the number for every API key together', async () => {
    const response = await send(KEY_B, '+4520000001');

    expect(response.status).toBe(429);
  });

  it('still sends to another number', async () => {
    const response = await send(KEY_B, '+4520000002');

    expect(response.status).toBe(200);
  });

  it('allows the configured sends per API key, then answers 429 for that key only', async () => {
    // KEY_B has made 2 attempts so far; the limit per key is 4.
    const third = await send(KEY_B, '+4520000003');
    const fourth = await send(KEY_B, '+4520000004');
    const fifth = await send(KEY_B, '+4520000005');
    const otherKey = await send(KEY_A, '+4520000006');

    expect([third.status, fourth.status]).toEqual([200, 200]);
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fifth.body.message).toContain('at most 4 with one API key');
    expect(otherKey.status).toBe(200);
  });

  it('does not count a request without a valid key', async () => {
    const refused = await Promise.all(
      [1, 2, 3].map(() =>
        request(service.url).post('/sms/test').send({ phone: '+4520000007' }),
      ),
    );
    const first = await send(KEY_C, '+4520000007');
    const second = await send(KEY_C, '+4520000007');

    expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it('keeps phone numbers and API keys out of the counters', () => {
    const storage = service.app.get<ThrottlerStorageService>(
      API_LIMITS_THROTTLER_STORAGE,
    );
    const keys = [...storage.storage.keys()];

    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

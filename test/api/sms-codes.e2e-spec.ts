import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Database from 'better-sqlite3';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualSmsCodeClock, SmsCodeClock } from '@app/sms/codes/index.js';
import { findOneTimeCodes } from '../../sandbox/messages/one-time-code.js';
import type { RunningSandbox } from '../../sandbox/server/sandbox.server.js';
import { startTestSandbox } from '../../sandbox/testing/test-sandbox.js';
import { MAX_REQUEST_BODY } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { SmsCodesApiModule } from '../../src/codes/sms-codes-api.module.js';
import { loadServiceConfig } from '../../src/config/service-config.loader.js';
import { setUpOpenApi } from '../../src/openapi/openapi.setup.js';
import { CapturedLogs } from '../support/service-test-app.js';

const API_KEY = 'codes-api-key-0123456789';
const T0 = new Date('2030-01-01T12:00:00.000Z');
const CODES = '/environments/tenant-a/sms/codes';

describe('one-time codes over the service API, through the sandbox', () => {
  let sandbox: RunningSandbox;
  let disposeSandbox: () => Promise<void>;
  let app: NestExpressApplication;
  let url: string;
  let dir: string;
  let clock: ManualSmsCodeClock;
  let logs: CapturedLogs;
  let nextNumber = 0;

  beforeAll(async () => {
    ({ sandbox, dispose: disposeSandbox } = await startTestSandbox());
    dir = await mkdtemp(join(tmpdir(), 'nest-sms-codes-'));
    await writeFile(
      join(dir, 'appsettings.json'),
      JSON.stringify({
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: sandbox.endpoints.gatewayApi,
            ClientSecret: sandbox.credentials.gatewayApiToken,
          },
          Api: { Keys: [API_KEY] },
          Security: {
            EncryptionKey: randomBytes(32).toString('base64'),
            AllowPrivateNetworkUrls: true,
          },
          Http: {
            TimeoutSeconds: 5,
            ExtraCaCertificatesFile: sandbox.caCertificateFile,
          },
        },
      }),
    );
    // An absolute path: a relative store URL is read from the process's working directory.
    const { config } = loadServiceConfig(
      { Settings__Store__Url: `sqlite:${join(dir, 'data', 'sms.db')}` },
      dir,
    );
    clock = new ManualSmsCodeClock(T0);
    logs = new CapturedLogs();
    // The application exactly as createApplication builds it, with the code API and a clock to move.
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config), SmsCodesApiModule],
    })
      .overrideProvider(SmsCodeClock)
      .useValue(clock)
      .setLogger(logs)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({
      logger: logs,
    });
    app.disable('x-powered-by');
    app.useBodyParser('json', { limit: MAX_REQUEST_BODY });
    setUpOpenApi(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await disposeSandbox?.();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    nextNumber += 1;
  });

  /**
   * A Danish number of this test's own, so that tests never share a cap. It ends in 1: the sandbox
   * fails numbers ending in 0500, 0503 and 0429 on purpose.
   */
  const phone = (variant = 0) =>
    `+452${variant}${String(nextNumber).padStart(5, '0')}1`;
  const post = (path: string, body: object, key: string | null = API_KEY) => {
    const call = request(url).post(path);
    return (
      key === null ? call : call.set('Authorization', `Bearer ${key}`)
    ).send(body);
  };
  /** The text the sandbox received last for a number, and the code in it. */
  const received = (to: string) => {
    const message = sandbox.messages().find((m) => m.to === to);
    if (!message) throw new Error(`The sandbox received nothing for ${to}.`);
    return { ...message, code: findOneTimeCodes(message.text)[0] };
  };
  const messagesTo = (to: string) =>
    sandbox.messages().filter((m) => m.to === to);

  it('sends a code that reaches the sandbox, answers without it, and verifies it once', async () => {
    const to = phone();

    const sent = await post(CODES, { phone: to, purpose: 'two-factor' });

    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      expiresAt: '2030-01-01T12:05:00.000Z',
      resendAfter: '2030-01-01T12:01:00.000Z',
      segments: 1,
    });
    const { code, text, from } = received(to);
    expect(code).toMatch(/^\d{6}$/);
    expect(text).toBe(
      `${code} is your Acme verification code. Valid for 5 min. Do not share it.`,
    );
    expect(from).toBe('Acme');
    expect(JSON.stringify(sent.body)).not.toContain(code);

    const first = await post(`${CODES}/verify`, {
      phone: to,
      purpose: 'two-factor',
      code,
    });
    const again = await post(`${CODES}/verify`, {
      phone: to,
      purpose: 'two-factor',
      code,
    });

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ result: 'valid' });
    expect(again.body).toEqual({ result: 'no-code' });
    expect(logs.text).not.toContain(code);
  });

  it('keeps codes apart per environment', async () => {
    const to = phone();
    await post(CODES, { phone: to, purpose: 'set-password' });
    const { code } = received(to);

    const elsewhere = await post('/environments/tenant-z/sms/codes/verify', {
      phone: to,
      purpose: 'set-password',
      code,
    });

    expect(elsewhere.body).toEqual({ result: 'no-code' });
  });

  it('answers 429 with Retry-After during the resend cooldown, and sends nothing', async () => {
    const to = phone();
    await post(CODES, { phone: to, purpose: 'passwordless-login' });
    clock.advance(45_000);

    const refused = await post(CODES, {
      phone: to,
      purpose: 'passwordless-login',
    });

    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('15');
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message:
        'A code for this phone number and purpose was sent moments ago; try again in 15 seconds.',
      limit: 'cooldown',
      retryAfterSeconds: 15,
    });
    expect(messagesTo(to)).toHaveLength(1);
  });

  it('answers 429 with Retry-After once a number has had its codes for the hour', async () => {
    const to = phone();
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await post(CODES, { phone: to, purpose: 'two-factor' })).status,
      ).toBe(200);
      clock.advance(60_000);
    }

    const refused = await post(CODES, {
      phone: to,
      purpose: 'phone-confirmation',
    });

    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(3600 - 300));
    expect(refused.body).toMatchObject({
      limit: 'phone',
      retryAfterSeconds: 3300,
    });
    expect(messagesTo(to)).toHaveLength(5);
  });

  it('answers expired after the lifetime, and counts wrong attempts up to the limit', async () => {
    const expiring = phone();
    await post(CODES, { phone: expiring, purpose: 'two-factor' });
    const guessed = phone(1);
    await post(CODES, { phone: guessed, purpose: 'set-password' });
    const { code } = received(guessed);
    const wrong = code === '000000' ? '000001' : '000000';

    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push(
        (
          await post(`${CODES}/verify`, {
            phone: guessed,
            purpose: 'set-password',
            code: wrong,
          })
        ).body,
      );
    }
    const right = await post(`${CODES}/verify`, {
      phone: guessed,
      purpose: 'set-password',
      code,
    });
    clock.advance(300_000);
    const late = await post(`${CODES}/verify`, {
      phone: expiring,
      purpose: 'two-factor',
      code: received(expiring).code,
    });

    expect(answers).toEqual([
      { result: 'invalid', attemptsLeft: 4 },
      { result: 'invalid', attemptsLeft: 3 },
      { result: 'invalid', attemptsLeft: 2 },
      { result: 'invalid', attemptsLeft: 1 },
      { result: 'too-many-attempts' },
    ]);
    expect(right.body).toEqual({ result: 'too-many-attempts' });
    expect(late.body).toEqual({ result: 'expired' });
  });

  it("writes Danish when asked, and uses an environment's own sender name as the company name", async () => {
    const danish = phone();
    await post(CODES, {
      phone: danish,
      purpose: 'passwordless-login',
      locale: 'da-DK',
    });
    const put = await request(url)
      .put('/environments/tenant-b/sms')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({
        type: 'GatewayApi',
        fromName: 'Beta',
        apiUrl: sandbox.endpoints.gatewayApi,
        clientSecret: sandbox.credentials.gatewayApiToken,
      });
    const tenant = phone(1);
    const sent = await post('/environments/tenant-b/sms/codes', {
      phone: tenant,
      purpose: 'phone-confirmation',
    });

    const { text, code } = received(danish);
    expect(text).toBe(
      `${code} er din login-kode til Acme. Gyldig i 10 min. Del den ikke med andre.`,
    );
    expect(put.status).toBe(200);
    expect(sent.status).toBe(200);
    const other = received(tenant);
    expect(other.from).toBe('Beta');
    expect(other.text).toBe(
      `${other.code} is your Beta code to confirm your phone number. Valid for 10 min.`,
    );
  });

  it('answers 502 when the provider fails, and keeps the code out of the failure log', async () => {
    const failing = `+4520${String(nextNumber).padStart(2, '0')}0500`;

    const failed = await post(CODES, { phone: failing, purpose: 'two-factor' });

    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({
      provider: 'GatewayApi',
      providerStatus: 500,
      maybeSent: true,
    });
    const refusal = logs.lines.find(
      (l) => l.includes('SMS refused') && l.includes(failing),
    );
    expect(refusal).toContain('message="[redacted] is your');
    expect(refusal).not.toMatch(/\d{6} is your/);
  });

  it('stores a code as its hash only', async () => {
    const to = phone();
    await post(CODES, { phone: to, purpose: 'two-factor' });
    const { code } = received(to);

    const db = new Database(join(dir, 'data', 'sms.db'), { readonly: true });
    const row = db
      .prepare('SELECT * FROM sms_codes WHERE phone = ?')
      .get(to) as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({
      environment: 'tenant-a',
      purpose: 'two-factor',
      attempts: 0,
    });
    expect(Buffer.from(String(row.hash), 'base64url')).toHaveLength(32);
    // The number is stored as it is; a code inside its digits would not be a stored code.
    const { phone: _phone, ...rest } = row;
    expect(JSON.stringify(rest)).not.toContain(code);
  });

  it('refuses bad requests with 400 naming the field, and requests without a key with 401', async () => {
    const to = phone();
    const purpose = await post(CODES, { phone: to, purpose: 'login' });
    const extra = await post(CODES, {
      phone: to,
      purpose: 'two-factor',
      code: '123456',
    });
    const locale = await post(CODES, {
      phone: to,
      purpose: 'two-factor',
      locale: 'en_GB',
    });
    const number = await post(CODES, {
      phone: '12345678',
      purpose: 'two-factor',
    });
    const environment = await post('/environments/Tenant A/sms/codes', {
      phone: to,
      purpose: 'two-factor',
    });
    const noCode = await post(`${CODES}/verify`, {
      phone: to,
      purpose: 'two-factor',
    });
    const anonymous = await post(
      CODES,
      { phone: to, purpose: 'two-factor' },
      null,
    );

    expect(purpose.status).toBe(400);
    expect(purpose.body.message).toEqual([
      'The field purpose must be one of passwordless-login, phone-confirmation, set-password, two-factor.',
    ]);
    expect(extra.status).toBe(400);
    expect(extra.body.message).toEqual(['property code should not exist']);
    expect(locale.body.message).toEqual([
      'The field locale must be a language tag such as en, da or da-DK.',
    ]);
    expect(number.status).toBe(400);
    expect(number.body).toMatchObject({ field: 'phone' });
    expect(environment.status).toBe(400);
    expect(noCode.body.message).toEqual(['The field code is required.']);
    expect(noCode.status).toBe(400);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(messagesTo(to)).toHaveLength(0);
  });

  it('documents both endpoints in OpenAPI with their statuses and bodies', async () => {
    const document = (await request(url).get('/docs/json')).body as {
      paths: Record<
        string,
        { post: { responses: Record<string, unknown>; security?: unknown } }
      >;
      components: {
        schemas: Record<
          string,
          { properties: Record<string, { enum?: string[] }> }
        >;
      };
    };

    const send = document.paths['/environments/{environment}/sms/codes'].post;
    const verify =
      document.paths['/environments/{environment}/sms/codes/verify'].post;
    expect(Object.keys(send.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
      '502',
      '503',
      '504',
    ]);
    expect(Object.keys(verify.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
    ]);
    expect(send.security).toEqual([{ bearer: [] }]);
    const schemas = document.components.schemas;
    expect(schemas.SendSmsCodeRequestDto.properties.purpose.enum).toEqual([
      'passwordless-login',
      'phone-confirmation',
      'set-password',
      'two-factor',
    ]);
    expect(Object.keys(schemas.SmsCodeSentDto.properties).sort()).toEqual([
      'expiresAt',
      'id',
      'resendAfter',
      'segments',
    ]);
    expect(schemas.SmsCodeVerificationDto.properties.result.enum).toEqual([
      'valid',
      'invalid',
      'expired',
      'too-many-attempts',
      'no-code',
    ]);
  });
});

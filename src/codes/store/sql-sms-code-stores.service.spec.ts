import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { SmsModule } from '@app/sms';
import {
  ManualSmsCodeClock,
  SMS_CODE_UNAMBIGUOUS_ALPHABET,
  SmsCodeModule,
  SmsCodeRateLimitError,
  SmsCodeService,
  type SmsCodeModuleOptions,
  type SmsCodeStore,
} from '@app/sms/codes/index.js';
import { HttpsTestServer } from '../../../test/support/https-test-server.js';
import { PostgresSmsCodeStore } from './postgres-sms-code.store.js';
import {
  createSmsCodeTestSchema,
  type SmsCodeTestSchema,
} from './postgres-test-schema.fixture.js';
import { SqliteSmsCodeStore } from './sqlite-sms-code.store.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const suffix = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';
const T0 = new Date('2030-01-01T12:00:00.000Z');
const PHONE = '+4512345678';
const HASH_KEY = randomBytes(32).toString('base64');
const SILENT = { log() {}, error() {}, warn() {} };

let server: HttpsTestServer;
beforeAll(async () => {
  server = await HttpsTestServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clear();
  server.answer({ status: 200, body: { ids: [1] } });
});

/** One instance of the service's code sending: its own module, store and clock. */
async function startInstance(
  store: SmsCodeStore,
  clock: ManualSmsCodeClock,
  options: Partial<SmsCodeModuleOptions> = {},
): Promise<{ codes: SmsCodeService; moduleRef: TestingModule }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SmsModule.forRoot({
        isGlobal: true,
        settings: {
          Type: 'GatewayApi',
          FromName: 'Acme',
          ApiUrl: `${server.url}/rest/mtsms`,
          ClientSecret: 'gateway-token-0a1b2c',
        },
        extraCaCertificates: server.caPem,
      }),
      SmsCodeModule.forRoot({
        hashKey: HASH_KEY,
        companyName: 'Acme',
        store,
        clock,
        ...options,
      }),
    ],
  })
    // Sends and checks are tested elsewhere with their logs; here they would only be noise.
    .setLogger(SILENT)
    .compile();
  await moduleRef.init();
  return { codes: moduleRef.get(SmsCodeService), moduleRef };
}

/** The code in the last message the provider received: the text's first word. */
function lastCode(): string {
  const body = JSON.parse(server.requests.at(-1)!.body.toString()) as {
    message: string;
  };
  return body.message.split(' ')[0];
}

describe('SmsCodeService on SQLite', () => {
  let dir: string;
  let instance: TestingModule | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-code-service-'));
  });
  afterEach(async () => {
    await instance?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes no plaintext code to the database files, and verifies from them after a restart', async () => {
    const path = join(dir, 'sms.db');
    const clock = new ManualSmsCodeClock(T0);
    const options = {
      codeAlphabet: SMS_CODE_UNAMBIGUOUS_ALPHABET,
      codeLength: 8,
    };
    const first = await startInstance(
      new SqliteSmsCodeStore({ path }),
      clock,
      options,
    );
    instance = first.moduleRef;
    const sent: string[] = [];
    for (const purpose of [
      'two-factor',
      'set-password',
      'passwordless-login',
    ] as const) {
      await first.codes.send({ phone: PHONE, purpose });
      sent.push(lastCode());
    }
    await first.moduleRef.close();

    const files = await readdir(dir);
    const bytes = Buffer.concat(
      await Promise.all(files.map((f) => readFile(join(dir, f)))),
    );
    expect(bytes.includes(PHONE)).toBe(true);
    for (const code of sent) {
      expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
      expect(bytes.includes(code)).toBe(false);
    }

    const second = await startInstance(
      new SqliteSmsCodeStore({ path }),
      clock,
      options,
    );
    instance = second.moduleRef;
    expect(
      await second.codes.verify({
        phone: PHONE,
        purpose: 'set-password',
        code: sent[1],
      }),
    ).toEqual({
      result: 'valid',
    });
  });
});

describeWithDatabase(
  `SmsCodeService: two instances on one PostgreSQL database${suffix}`,
  () => {
    let schema: SmsCodeTestSchema;
    let modules: TestingModule[];
    let a: SmsCodeService;
    let b: SmsCodeService;
    let clock: ManualSmsCodeClock;

    beforeEach(async () => {
      schema = await createSmsCodeTestSchema(databaseUrl!);
      // Each instance has its own clock object; both show the same time, as synchronised hosts do.
      clock = new ManualSmsCodeClock(T0);
      const instances = await Promise.all(
        [0, 1].map(async () =>
          startInstance(
            await PostgresSmsCodeStore.open({ connectionString: schema.url }),
            clock,
          ),
        ),
      );
      modules = instances.map((i) => i.moduleRef);
      [a, b] = instances.map((i) => i.codes);
    });
    afterEach(async () => {
      for (const moduleRef of modules ?? []) await moduleRef.close();
      await schema?.drop();
    });

    it('verifies on one instance a code sent by the other, once', async () => {
      await a.send({ phone: PHONE, purpose: 'two-factor' });
      const code = lastCode();

      expect(
        await b.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({ result: 'valid' });
      expect(
        await a.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'no-code',
      });
    });

    it('shares the cooldown: the other instance refuses a resend with the time left', async () => {
      await a.send({ phone: PHONE, purpose: 'two-factor' });
      clock.advance(15_000);

      const refusal = await b
        .send({ phone: PHONE, purpose: 'two-factor' })
        .catch((e: unknown) => e);

      expect(refusal).toBeInstanceOf(SmsCodeRateLimitError);
      expect(refusal).toMatchObject({
        limit: 'cooldown',
        retryAfterSeconds: 45,
      });
      expect(server.requests).toHaveLength(1);
    });

    it('shares the hourly cap of a number, also when both instances send at once', async () => {
      const purposes = [
        'two-factor',
        'set-password',
        'passwordless-login',
        'phone-confirmation',
      ] as const;
      const attempts = await Promise.allSettled(
        purposes.flatMap((purpose) => [
          a.send({ phone: PHONE, purpose, environment: 'tenant-a' }),
          b.send({ phone: PHONE, purpose, environment: 'tenant-b' }),
        ]),
      );

      expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const refused = attempts.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(
        refused.map((r) => (r.reason as SmsCodeRateLimitError).limit).sort(),
      ).toEqual(['phone', 'phone', 'phone']);
      expect(server.requests).toHaveLength(5);
    });

    it('shares the attempt count: wrong guesses on both instances void the code at the limit', async () => {
      await a.send({ phone: PHONE, purpose: 'two-factor' });
      const code = lastCode();
      const wrong = code === '000000' ? '000001' : '000000';

      const answers = [];
      for (let i = 0; i < 5; i += 1) {
        answers.push(
          await (i % 2 === 0 ? a : b).verify({
            phone: PHONE,
            purpose: 'two-factor',
            code: wrong,
          }),
        );
      }

      expect(answers.map((x) => x.result)).toEqual([
        'invalid',
        'invalid',
        'invalid',
        'invalid',
        'too-many-attempts',
      ]);
      expect(
        await b.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'too-many-attempts',
      });
    });
  },
);

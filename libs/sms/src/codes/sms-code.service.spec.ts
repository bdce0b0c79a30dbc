import { randomBytes } from 'node:crypto';
import { Body, Controller, Post, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import {
  echoAnswer,
  wholeRequestEcho,
} from '../../../../test/support/provider-echo.js';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import { InMemorySmsSettingsSource } from '../settings/sms-settings.source.js';
import { SmsCodeCountryNotAllowedError } from '../errors/codes/sms-code-country-not-allowed.error.js';
import { SmsCodeRateLimitError } from '../errors/codes/sms-code-rate-limit.error.js';
import { SmsCodeRequestError } from '../errors/codes/sms-code-request.error.js';
import { SmsCodeTemplateError } from '../errors/codes/sms-code-template.error.js';
import { SmsProviderError } from '../errors/sms-provider.error.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';
import { SmsModule } from '../sms.module.js';
import { InMemorySmsCodeStore } from './store/in-memory-sms-code.store.js';
import { ManualSmsCodeClock } from './sms-code.clock.js';
import { SMS_CODE_UNAMBIGUOUS_ALPHABET } from './options/sms-code.defaults.js';
import type { SmsCodeModuleOptions } from './options/sms-code-module-options.interface.js';
import { SmsCodeModule } from './sms-code.module.js';
import { SmsCodeService } from './sms-code.service.js';
import { CapturedLogs } from '../../../../test/support/captured-logs.js';

const T0 = new Date('2030-01-01T12:00:00.000Z');
const SECOND = 1000;
const PHONE = '+4512345678';
const SITE_TOKEN = 'site-gateway-token-1f9e';
const TENANT_TOKEN = 'tenant-b-gateway-token-77a0';

describe('SmsCodeService (through SmsModule, against a real HTTPS provider)', () => {
  let server: HttpsTestServer;
  let moduleRef: TestingModule | undefined;
  let logger: CapturedLogs;
  let clock: ManualSmsCodeClock;
  let store: InMemorySmsCodeStore;
  let codes: SmsCodeService;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.clear();
    server.answer({ status: 200, body: { ids: [421332671] } });
    logger = new CapturedLogs();
    clock = new ManualSmsCodeClock(T0);
    store = new InMemorySmsCodeStore();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  async function compile(
    options: Partial<SmsCodeModuleOptions> = {},
    controllers: Type[] = [],
  ): Promise<SmsCodeService> {
    const environments = new InMemorySmsSettingsSource();
    environments.set('tenant-b', {
      type: 'GatewayApi',
      fromName: 'Beta',
      apiUrl: `${server.url}/rest/mtsms`,
      clientSecret: TENANT_TOKEN,
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          isGlobal: true,
          settings: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: SITE_TOKEN,
          },
          settingsSource: environments,
          extraCaCertificates: server.caPem,
        }),
        SmsCodeModule.forRoot({
          hashKey: randomBytes(32).toString('base64'),
          companyName: (environment) =>
            environment === 'tenant-b' ? 'Beta Corp' : 'Acme',
          store,
          clock,
          ...options,
        }),
      ],
      controllers,
    })
      .setLogger(logger)
      .compile();
    moduleRef.useLogger(logger);
    await moduleRef.init();
    codes = moduleRef.get(SmsCodeService);
    return codes;
  }

  /** What the provider received last: the text, the destination and the token. */
  const lastSent = () => {
    const request = server.requests.at(-1)!;
    const body = JSON.parse(request.body.toString()) as {
      message: string;
      recipients: { msisdn: number }[];
    };
    return {
      message: body.message,
      msisdn: body.recipients[0].msisdn,
      authorization: request.headers.authorization,
      code: body.message.split(' ')[0],
    };
  };

  /** Sends a code and returns it as the phone received it. */
  const sendCode = async (
    request: Partial<Parameters<SmsCodeService['send']>[0]> = {},
  ) => {
    await codes.send({ phone: PHONE, purpose: 'two-factor', ...request });
    return lastSent().code;
  };

  describe('sending and verifying', () => {
    it("sends the purpose's text with a fresh 6-digit code, says when it expires and when to resend, and never returns the code", async () => {
      await compile();

      const result = await codes.send({
        phone: '+45 12 34 56 78',
        purpose: 'two-factor',
      });

      const sent = lastSent();
      expect(sent.code).toMatch(/^\d{6}$/);
      expect(sent.message).toBe(
        `${sent.code} is your Acme verification code. Valid for 5 min. Do not share it.`,
      );
      expect(sent.msisdn).toBe(4512345678);
      expect(sent.authorization).toBe(`Token ${SITE_TOKEN}`);
      expect(result).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        expiresAt: new Date(T0.getTime() + 300 * SECOND),
        resendAfter: new Date(T0.getTime() + 60 * SECOND),
        segments: 1,
      });
      expect(JSON.stringify(result)).not.toContain(sent.code);
    });

    it('accepts the code once: the second check finds no code', async () => {
      await compile();
      const code = await sendCode();

      expect(
        await codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'valid',
      });
      expect(
        await codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'no-code',
      });
    });

    it('binds a code to its number, purpose and environment', async () => {
      await compile();
      const code = await sendCode();

      expect(
        await codes.verify({
          phone: '+4512345679',
          purpose: 'two-factor',
          code,
        }),
      ).toEqual({
        result: 'no-code',
      });
      expect(
        await codes.verify({ phone: PHONE, purpose: 'set-password', code }),
      ).toEqual({
        result: 'no-code',
      });
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code,
          environment: 'tenant-b',
        }),
      ).toEqual({ result: 'no-code' });
      expect(
        await codes.verify({
          phone: '+45 12 34 56 78',
          purpose: 'two-factor',
          code,
        }),
      ).toEqual({
        result: 'valid',
      });
    });

    it('answers no-code when nothing was sent', async () => {
      await compile();

      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: '123456',
        }),
      ).toEqual({
        result: 'no-code',
      });
    });

    it('replaces the previous code of the same number and purpose', async () => {
      await compile();
      const first = await sendCode();
      clock.advance(60 * SECOND);
      let second = await sendCode();
      // A fresh code that happens to equal the first would prove nothing.
      while (second === first) {
        clock.advance(60 * SECOND);
        second = await sendCode();
      }

      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: first,
        }),
      ).toEqual({
        result: 'invalid',
        attemptsLeft: 4,
      });
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: second,
        }),
      ).toEqual({
        result: 'valid',
      });
    });

    it('compares upper-case codes without regard to case and surrounding spaces', async () => {
      await compile({
        codeAlphabet: SMS_CODE_UNAMBIGUOUS_ALPHABET,
        codeLength: 8,
      });
      const code = await sendCode();

      expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: ` ${code.toLowerCase()}\n`,
        }),
      ).toEqual({ result: 'valid' });
    });
  });

  describe('attempts', () => {
    it('counts wrong attempts, then voids the code at the limit, even for the right code', async () => {
      await compile();
      const code = await sendCode();
      const wrong = code === '000000' ? '000001' : '000000';
      const check = (candidate: string) =>
        codes.verify({ phone: PHONE, purpose: 'two-factor', code: candidate });

      const answers = [];
      for (let i = 0; i < 5; i += 1) answers.push(await check(wrong));

      expect(answers).toEqual([
        { result: 'invalid', attemptsLeft: 4 },
        { result: 'invalid', attemptsLeft: 3 },
        { result: 'invalid', attemptsLeft: 2 },
        { result: 'invalid', attemptsLeft: 1 },
        { result: 'too-many-attempts' },
      ]);
      expect(await check(code)).toEqual({ result: 'too-many-attempts' });
    });

    it('lets no more than the limit of simultaneous guesses be compared', async () => {
      await compile({ maxAttempts: 3 });
      const code = await sendCode();
      const guesses = Array.from({ length: 30 }, (_, i) =>
        i === 29
          ? code
          : String((Number(code) + i + 1) % 1_000_000).padStart(6, '0'),
      );

      const answers = await Promise.all(
        guesses.map((guess) =>
          codes.verify({ phone: PHONE, purpose: 'two-factor', code: guess }),
        ),
      );

      // Were guesses compared before being counted, the right one, last, would be accepted.
      expect(answers.filter((a) => a.result === 'invalid')).toHaveLength(2);
      expect(answers.filter((a) => a.result === 'valid')).toHaveLength(0);
      expect(
        await codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'too-many-attempts',
      });
    });

    it('takes the limit from the options', async () => {
      await compile({ maxAttempts: 2 });
      const code = await sendCode();
      const wrong = code === '000000' ? '000001' : '000000';

      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: wrong,
        }),
      ).toEqual({
        result: 'invalid',
        attemptsLeft: 1,
      });
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: wrong,
        }),
      ).toEqual({
        result: 'too-many-attempts',
      });
    });
  });

  describe('expiry', () => {
    it('lets a two-factor code work for 5 minutes and a login code for 10', async () => {
      await compile();
      const twoFactor = await sendCode({ purpose: 'two-factor' });
      const login = await sendCode({ purpose: 'passwordless-login' });
      const confirmation = await sendCode({ purpose: 'phone-confirmation' });

      clock.advance(300 * SECOND - 1);
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'two-factor',
          code: twoFactor,
        }),
      ).toEqual({
        result: 'valid',
      });
      clock.advance(300 * SECOND);
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'passwordless-login',
          code: login,
        }),
      ).toEqual({ result: 'valid' });
      clock.advance(1);
      expect(
        await codes.verify({
          phone: PHONE,
          purpose: 'phone-confirmation',
          code: confirmation,
        }),
      ).toEqual({ result: 'expired' });
    });

    it('answers expired, right or wrong, without counting an attempt', async () => {
      await compile();
      const code = await sendCode();
      clock.advance(300 * SECOND);

      for (const candidate of [code, '999999x']) {
        expect(
          await codes.verify({
            phone: PHONE,
            purpose: 'two-factor',
            code: candidate,
          }),
        ).toEqual({
          result: 'expired',
        });
      }
      expect(
        (
          await store.find({
            environment: null,
            phone: PHONE,
            purpose: 'two-factor',
          })
        )?.attempts,
      ).toBe(0);
    });

    it('takes lifetimes from the options and says them in the text', async () => {
      await compile({ lifetimeSeconds: { 'set-password': 180 } });

      const result = await codes.send({
        phone: PHONE,
        purpose: 'set-password',
      });

      expect(result.expiresAt).toEqual(new Date(T0.getTime() + 180 * SECOND));
      expect(lastSent().message).toContain('Valid for 3 min.');
    });
  });

  describe('limits', () => {
    it('refuses a resend within the cooldown with the seconds left, and sends nothing', async () => {
      await compile();
      await sendCode();
      clock.advance(20 * SECOND + 500);

      const refusal = await codes
        .send({ phone: PHONE, purpose: 'two-factor' })
        .catch((e: unknown) => e);

      expect(refusal).toBeInstanceOf(SmsCodeRateLimitError);
      expect(refusal).toMatchObject({
        limit: 'cooldown',
        retryAfterSeconds: 40,
      });
      expect((refusal as Error).message).toBe(
        'A code for this phone number and purpose was sent moments ago; try again in 40 seconds.',
      );
      expect(server.requests).toHaveLength(1);
      clock.advance(39 * SECOND + 500);
      await expect(
        codes.send({ phone: PHONE, purpose: 'two-factor' }),
      ).resolves.toBeDefined();
      expect(server.requests).toHaveLength(2);
    });

    it('keeps the cooldown per purpose and per environment', async () => {
      await compile();
      await sendCode({ purpose: 'two-factor' });

      await expect(sendCode({ purpose: 'set-password' })).resolves.toMatch(
        /^\d{6}$/,
      );
      await expect(
        sendCode({ purpose: 'two-factor', environment: 'tenant-b' }),
      ).resolves.toMatch(/^\d{6}$/);
    });

    it('caps the codes one number gets in an hour, across purposes and environments, and opens again after the hour', async () => {
      await compile({ resendCooldownSeconds: 0 });
      const purposes = [
        'two-factor',
        'set-password',
        'passwordless-login',
      ] as const;
      for (let i = 0; i < 5; i += 1) {
        await codes.send({
          phone: PHONE,
          purpose: purposes[i % 3],
          environment: i % 2 === 0 ? null : 'tenant-b',
        });
        clock.advance(10 * SECOND);
      }

      const refusal = await codes
        .send({
          phone: PHONE,
          purpose: 'phone-confirmation',
          environment: 'tenant-c',
        })
        .catch((e: unknown) => e);

      expect(refusal).toMatchObject({
        limit: 'phone',
        retryAfterSeconds: 3600 - 50,
      });
      expect(server.requests).toHaveLength(5);
      await expect(sendCode({ phone: '+4512345679' })).resolves.toMatch(
        /^\d{6}$/,
      );
      clock.advance(3550 * SECOND);
      await expect(
        sendCode({ purpose: 'phone-confirmation' }),
      ).resolves.toMatch(/^\d{6}$/);
    });

    it('caps the codes one environment sends in an hour, apart from other environments and the site', async () => {
      await compile({ maxSendsPerEnvironmentPerHour: 2 });
      await sendCode({ phone: '+4512345671', environment: 'tenant-b' });
      await sendCode({ phone: '+4512345672', environment: 'tenant-b' });

      const refusal = await codes
        .send({
          phone: '+4512345673',
          purpose: 'two-factor',
          environment: 'tenant-b',
        })
        .catch((e: unknown) => e);

      expect(refusal).toMatchObject({
        limit: 'environment',
        retryAfterSeconds: 3600,
      });
      await expect(
        sendCode({ phone: '+4512345673', environment: null }),
      ).resolves.toMatch(/^\d{6}$/);
      await expect(
        sendCode({ phone: '+4512345674', environment: 'tenant-c' }),
      ).resolves.toMatch(/^\d{6}$/);
    });

    it('does not count sends that a cooldown refused against the hourly cap', async () => {
      await compile({ maxSendsPerPhonePerHour: 2 });
      await sendCode();
      for (let i = 0; i < 5; i += 1) {
        await expect(sendCode()).rejects.toMatchObject({ limit: 'cooldown' });
      }
      clock.advance(60 * SECOND);

      await expect(sendCode()).resolves.toMatch(/^\d{6}$/);
    });

    it('sends only to allowed countries, refusing others before anything is counted or sent', async () => {
      await compile({ allowedCountries: ['DK', 'NO'] });

      const refusal = await codes
        .send({ phone: '+46701234567', purpose: 'two-factor' })
        .catch((e: unknown) => e);

      expect(refusal).toBeInstanceOf(SmsCodeCountryNotAllowedError);
      expect(refusal).toMatchObject({ country: 'SE' });
      expect((refusal as Error).message).toBe(
        'The field phone must be a number in DK, NO; codes are not sent to numbers in SE.',
      );
      expect(server.requests).toHaveLength(0);
      await expect(sendCode({ phone: '+4791234567' })).resolves.toMatch(
        /^\d{6}$/,
      );
      await expect(sendCode()).resolves.toMatch(/^\d{6}$/);
    });
  });

  describe('texts', () => {
    it('writes in the locale asked for, its language, or the default', async () => {
      await compile();

      await sendCode({ purpose: 'passwordless-login', locale: 'da-DK' });
      const danish = lastSent();
      await sendCode({ purpose: 'set-password', locale: 'fr' });
      const fallback = lastSent();

      expect(danish.message).toBe(
        `${danish.code} er din login-kode til Acme. Gyldig i 10 min. Del den ikke med andre.`,
      );
      expect(fallback.message).toBe(
        `${fallback.code} is your Acme code to set your password. Valid for 10 min. Do not share it.`,
      );
    });

    it('uses overriding templates and the default locale from the options', async () => {
      await compile({
        defaultLocale: 'da',
        templates: {
          en: { 'two-factor': 'Code {code} for {companyName} & co.' },
        },
      });

      await sendCode({ locale: 'en-GB' });
      const english = lastSent();
      const englishCode = /\d{6}/.exec(english.message)![0];
      await sendCode({ purpose: 'set-password' });
      const danish = lastSent();

      expect(english.message).toBe(`Code ${englishCode} for Acme & co.`);
      expect(danish.message).toContain(
        'er din kode til at vælge adgangskode hos Acme',
      );
    });

    it('ends with the origin-bound line when a domain is configured', async () => {
      await compile({ originDomain: 'login.example.com' });

      await sendCode();

      const { message, code } = lastSent();
      expect(message.split('\n')).toEqual([
        `${code} is your Acme verification code. Valid for 5 min. Do not share it.`,
        '',
        `@login.example.com #${code}`,
      ]);
    });

    it("sends through the environment's settings with its company name, taking the environment from the context", async () => {
      await compile();

      const code = await SmsEnvironmentContext.run('tenant-b', () =>
        sendCode(),
      );

      expect(lastSent().authorization).toBe(`Token ${TENANT_TOKEN}`);
      expect(lastSent().message).toContain(
        'is your Beta Corp verification code',
      );
      expect(
        await codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'no-code',
      });
      expect(
        await SmsEnvironmentContext.run('tenant-b', () =>
          codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
        ),
      ).toEqual({ result: 'valid' });
    });

    it('refuses a message that a company name makes too long, before anything is counted or sent', async () => {
      await compile({
        companyName: (environment) =>
          environment === 'tenant-b' ? 'Café ✅ Beta' : 'Acme',
      });

      const refusal = await codes
        .send({ phone: PHONE, purpose: 'two-factor', environment: 'tenant-b' })
        .catch((e: unknown) => e);

      expect(refusal).toBeInstanceOf(SmsCodeTemplateError);
      expect((refusal as Error).message).toBe(
        'The two-factor code message (locale en) for environment "tenant-b" needs 2 SMS segments; at most 1 is allowed. Shorten the company name, or use one that fits GSM-7.',
      );
      expect(server.requests).toHaveLength(0);
      await expect(
        sendCode({ environment: 'tenant-b', purpose: 'two-factor' }).catch(
          (e: Error) => e.name,
        ),
      ).resolves.toBe('SmsCodeTemplateError');
      await expect(sendCode({ environment: null })).resolves.toMatch(/^\d{6}$/);
    });

    it('refuses a blank company name from the function, naming the option, and sends nothing', async () => {
      await compile({ companyName: () => '  ' });

      await expect(sendCode()).rejects.toMatchObject({
        name: 'SmsCodeOptionsError',
        problems: [
          {
            path: 'companyName',
            message:
              'The option companyName is required: a text, or a function of the environment that returns one.',
          },
        ],
      });
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('secrecy', () => {
    it('keeps only a keyed hash in the store', async () => {
      await compile({
        codeAlphabet: SMS_CODE_UNAMBIGUOUS_ALPHABET,
        codeLength: 8,
      });
      const code = await sendCode();

      const dump = JSON.stringify([...store['codes'].values()]);
      expect(dump).toContain('"hash":');
      expect(dump).not.toContain(code);
    });

    it('never logs a code it sent or checked, and logs who and what for', async () => {
      await compile();
      const code = await sendCode();
      await codes.verify({
        phone: PHONE,
        purpose: 'two-factor',
        code: '000000' === code ? '111111' : '000000',
      });
      await codes.verify({ phone: PHONE, purpose: 'two-factor', code });

      expect(logger.text).not.toContain(code);
      expect(logger.text).toContain(
        `SMS code sent: purpose=two-factor phone=${PHONE} environment=- expiresAt=2030-01-01T12:05:00.000Z`,
      );
      expect(logger.text).toContain(
        `SMS code checked: purpose=two-factor phone=${PHONE} environment=- result=invalid attemptsLeft=4`,
      );
      expect(logger.text).toContain(
        `SMS code checked: purpose=two-factor phone=${PHONE} environment=- result=valid`,
      );
    });

    it('keeps the code out of the refusal log and voids a code that was certainly not sent', async () => {
      await compile();
      server.answer({ status: 422, body: { message: 'invalid recipient' } });

      const failure = await codes
        .send({ phone: PHONE, purpose: 'two-factor' })
        .catch((e: unknown) => e);

      expect(failure).toMatchObject({
        constructor: SmsProviderError,
        maybeSent: false,
      });
      const { code } = lastSent();
      expect(logger.text).toContain('SMS refused');
      expect(logger.text).not.toContain(code);
      expect(
        await codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({
        result: 'no-code',
      });
    });

    it("throws a provider refusal in its own words, with the provider's answer only on its cause", async () => {
      await compile();
      server.answer({
        status: 403,
        body: { code: '0x0216', message: 'Insufficient credit' },
      });

      const failure = await codes
        .send({ phone: PHONE, purpose: 'two-factor' })
        .catch((e: unknown) => e);

      expect(failure).toMatchObject({
        constructor: SmsProviderError,
        message:
          'GatewayApi refused the message with HTTP 403; the code was not sent and is void.',
        provider: 'GatewayApi',
        status: 403,
        providerCode: undefined,
        providerText: undefined,
        maybeSent: false,
        cause: {
          constructor: SmsProviderError,
          providerCode: '0x0216',
          providerText: 'Insufficient credit',
        },
      });
    });

    it('keeps a code that may have reached the phone usable', async () => {
      await compile();
      server.answer({ status: 500, body: { message: 'internal error' } });

      const failure = await codes
        .send({ phone: PHONE, purpose: 'two-factor' })
        .catch((e: unknown) => e);

      expect(failure).toMatchObject({
        constructor: SmsProviderError,
        maybeSent: true,
      });
      const { code } = lastSent();
      expect(logger.text).not.toContain(code);
      expect(
        await codes.verify({ phone: PHONE, purpose: 'two-factor', code }),
      ).toEqual({ result: 'valid' });
    });
  });

  describe('bad requests', () => {
    it('refuses an unknown purpose, a bad number and an empty code, sending nothing', async () => {
      await compile();

      await expect(
        codes.send({ phone: PHONE, purpose: 'login' as never }),
      ).rejects.toMatchObject({
        constructor: SmsCodeRequestError,
        field: 'purpose',
        message:
          'The field purpose must be one of passwordless-login, phone-confirmation, set-password, two-factor.',
      });
      await expect(
        codes.send({ phone: '12345678', purpose: 'two-factor' }),
      ).rejects.toBeInstanceOf(SmsValidationError);
      await expect(
        codes.verify({ phone: PHONE, purpose: 'two-factor', code: '  ' }),
      ).rejects.toMatchObject({
        constructor: SmsCodeRequestError,
        field: 'code',
      });
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('in a host route that lets errors reach Nest', () => {
    @Controller('login')
    class LoginController {
      constructor(private readonly codes: SmsCodeService) {}

      @Post()
      async start(@Body() body: { phone: string }): Promise<object> {
        return this.codes.send({ phone: body.phone, purpose: 'two-factor' });
      }
    }

    it.each([400, 500])(
      'logs and answers no code when the provider answers %i echoing the request',
      async (status) => {
        await compile({}, [LoginController]);
        server.answer(echoAnswer(status, 'json'));
        const app = moduleRef!.createNestApplication({ logger });
        await app.init();

        const answer = await request(app.getHttpServer())
          .post('/login')
          .send({ phone: PHONE });

        expect(answer.status).toBe(500);
        const { code } = lastSent();
        expect(wholeRequestEcho(server.requests[0])).toContain(code);
        // Nest's own ExceptionsHandler logged the error, with its stack and fields.
        expect(logger.text).toContain('[ExceptionsHandler] SmsProviderError');
        expect(logger.text).not.toContain(code);
        expect(answer.text).not.toContain(code);
        await app.close();
      },
    );
  });
});

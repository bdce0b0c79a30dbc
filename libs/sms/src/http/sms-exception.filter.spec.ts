import { randomBytes } from 'node:crypto';
import {
  Body,
  Controller,
  NotFoundException,
  Post,
  UseFilters,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CapturedLogs } from '../../../../test/support/captured-logs.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { echoAnswer } from '../../../../test/support/provider-echo.js';
import { ManualSmsCodeClock } from '../codes/sms-code.clock.js';
import { SmsCodeModule } from '../codes/sms-code.module.js';
import { SmsCodeService } from '../codes/sms-code.service.js';
import type { SmsCodePurpose } from '../codes/sms-code-purpose.js';
import { SmsCodeRateLimitError } from '../errors/codes/sms-code-rate-limit.error.js';
import { SmsSettingsError } from '../errors/sms-settings.error.js';
import { SmsModule } from '../sms.module.js';
import { SmsService } from '../sms.service.js';
import { toHttpException } from './sms-error.http-mapping.js';
import { SmsExceptionFilter } from './sms-exception.filter.js';

const SITE_TOKEN = 'site-gateway-token-3c7d';
const DANISH_PHONE = '+4512345678';

interface CodeRequest {
  phone: string;
  purpose: SmsCodePurpose;
  environment?: string;
}

/** A host's own routes, which let the library's errors (and others) reach Nest. */
@Controller()
class LoginController {
  constructor(
    private readonly sms: SmsService,
    private readonly codes: SmsCodeService,
  ) {}

  @Post('message')
  message(@Body() body: { phone: string; message: string }) {
    return this.sms.send(body);
  }

  @Post('code')
  code(@Body() body: CodeRequest) {
    return this.codes.send(body);
  }

  @Post('settings')
  settings(): never {
    throw new SmsSettingsError([
      { path: 'apiUrl', message: 'The field apiUrl must use https.' },
    ]);
  }

  @Post('missing')
  missing(): never {
    throw new NotFoundException('No such login.');
  }

  @Post('broken')
  broken(): never {
    throw new Error('login database unreachable at db.internal');
  }
}

/** The same code route with the filter bound to the controller. */
@Controller('scoped')
@UseFilters(SmsExceptionFilter)
class ScopedLoginController {
  constructor(private readonly codes: SmsCodeService) {}

  @Post('code')
  code(@Body() body: CodeRequest) {
    return this.codes.send(body);
  }
}

/** The same code route mapping the library's errors itself, with no filter. */
@Controller('own')
class OwnMappingController {
  constructor(private readonly codes: SmsCodeService) {}

  @Post('code')
  async code(@Body() body: CodeRequest) {
    try {
      return await this.codes.send(body);
    } catch (error) {
      throw toHttpException(error) ?? error;
    }
  }
}

describe('SmsExceptionFilter in a host application', () => {
  let server: HttpsTestServer;
  const apps: INestApplication[] = [];
  let logs: CapturedLogs;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
  });
  afterEach(async () => {
    server.clear();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await server.close();
  });

  /** A host app on a real `SmsModule` and `SmsCodeModule`, sending to the test provider. */
  async function startHost(options: {
    filter: 'APP_FILTER' | 'useGlobalFilters' | 'none';
    siteSettings?: boolean;
  }): Promise<INestApplication> {
    logs = new CapturedLogs();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          isGlobal: true,
          settings:
            options.siteSettings === false
              ? undefined
              : {
                  Type: 'GatewayApi',
                  FromName: 'Acme',
                  ApiUrl: `${server.url}/rest/mtsms`,
                  ClientSecret: SITE_TOKEN,
                },
          extraCaCertificates: server.caPem,
          timeoutMs: 2000,
          retries: 0,
        }),
        SmsCodeModule.forRoot({
          hashKey: randomBytes(32).toString('base64'),
          companyName: (environment) =>
            environment === 'long-name' ? 'Acme'.repeat(60) : 'Acme',
          allowedCountries: ['DK'],
          clock: new ManualSmsCodeClock(new Date('2030-01-01T12:00:00Z')),
        }),
      ],
      controllers: [
        LoginController,
        ScopedLoginController,
        OwnMappingController,
      ] as Type[],
      providers:
        options.filter === 'APP_FILTER'
          ? [{ provide: APP_FILTER, useClass: SmsExceptionFilter }]
          : [],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: logs });
    if (options.filter === 'useGlobalFilters')
      app.useGlobalFilters(new SmsExceptionFilter());
    await app.init();
    apps.push(app);
    return app;
  }

  const post = (app: INestApplication, path: string, body: object = {}) =>
    request(app.getHttpServer()).post(path).send(body);

  describe('registered globally', () => {
    it('answers a code resend inside the cooldown with 429, the limit and Retry-After', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });
      server.answer({ status: 200, body: { ids: [1] } });
      const code = { phone: DANISH_PHONE, purpose: 'two-factor' };
      expect((await post(app, '/code', code)).status).toBe(201);

      const answer = await post(app, '/code', code);

      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toBe('60');
      expect(answer.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message:
          'A code for this phone number and purpose was sent moments ago; try again in 60 seconds.',
        limit: 'cooldown',
        retryAfterSeconds: 60,
      });
      expect(server.requests).toHaveLength(1);
    });

    it('answers a bad phone number or text with 400 naming the field', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });

      const badPhone = await post(app, '/message', {
        phone: '12345678',
        message: 'Hello',
      });
      const noText = await post(app, '/message', {
        phone: DANISH_PHONE,
        message: '',
      });

      expect(badPhone.status).toBe(400);
      expect(badPhone.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('E.164') as unknown,
        field: 'phone',
      });
      expect(noText.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The message text is required.',
        field: 'message',
      });
      expect(server.requests).toHaveLength(0);
    });

    it('answers a bad code request and a country not allowed with 400 naming the field', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });

      const badPurpose = await post(app, '/code', {
        phone: DANISH_PHONE,
        purpose: 'login',
      });
      const swedish = await post(app, '/code', {
        phone: '+46701234567',
        purpose: 'two-factor',
      });

      expect(badPurpose.status).toBe(400);
      expect(badPurpose.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'The field purpose must be one of passwordless-login, phone-confirmation, set-password, two-factor.',
        field: 'purpose',
      });
      expect(swedish.status).toBe(400);
      expect(swedish.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'The field phone must be a number in DK; codes are not sent to numbers in SE.',
        field: 'phone',
      });
    });

    it('answers settings refused with 400 listing every problem', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });

      const answer = await post(app, '/settings');

      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: ['apiUrl: The field apiUrl must use https.'],
      });
    });

    it('answers a code text too long for the company name with 503', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });

      const answer = await post(app, '/code', {
        phone: DANISH_PHONE,
        purpose: 'two-factor',
        environment: 'long-name',
      });

      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringContaining(
          'code message (locale en) for environment "long-name"',
        ) as unknown,
      });
      expect(server.requests).toHaveLength(0);
    });

    it('answers a refusal with 502, the provider, its status and code, and maybeSent', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });
      server.answer({
        status: 403,
        body: { code: '0x0216', message: 'Insufficient credit' },
      });

      const answer = await post(app, '/message', {
        phone: DANISH_PHONE,
        message: 'Hello',
      });

      expect(answer.status).toBe(502);
      expect(answer.headers['retry-after']).toBeUndefined();
      expect(answer.body).toEqual({
        statusCode: 502,
        error: 'Bad Gateway',
        message:
          'GatewayApi refused the message with HTTP 403 (0x0216): Insufficient credit',
        provider: 'GatewayApi',
        providerStatus: 403,
        providerCode: '0x0216',
        maybeSent: false,
      });
    });

    it("passes a provider's Retry-After on with its 502", async () => {
      const app = await startHost({ filter: 'APP_FILTER' });
      server.answer({ status: 503, headers: { 'retry-after': '7' } });

      const answer = await post(app, '/message', {
        phone: DANISH_PHONE,
        message: 'Hello',
      });

      expect(answer.status).toBe(502);
      expect(answer.headers['retry-after']).toBe('7');
      expect(answer.body).toMatchObject({
        provider: 'GatewayApi',
        providerStatus: 503,
        maybeSent: false,
      });
    });

    it('answers a provider that does not answer in time with 504 and maybeSent true', async () => {
      const app = await startHost({ filter: 'APP_FILTER' });
      server.answer({ hold: true });

      const answer = await post(app, '/message', {
        phone: DANISH_PHONE,
        message: 'Hello',
      });

      expect(answer.status).toBe(504);
      expect(answer.body).toEqual({
        statusCode: 504,
        error: 'Gateway Timeout',
        message:
          'GatewayApi did not answer within the timeout; the message may have been sent.',
        provider: 'GatewayApi',
        providerStatus: null,
        providerCode: null,
        maybeSent: true,
      });
    });

    it("answers a code send's provider failure in its own words, with nothing of the provider's answer", async () => {
      const app = await startHost({ filter: 'APP_FILTER' });
      server.answer(echoAnswer(400, 'json'));

      const answer = await post(app, '/code', {
        phone: DANISH_PHONE,
        purpose: 'two-factor',
      });

      expect(answer.status).toBe(502);
      expect(answer.body).toEqual({
        statusCode: 502,
        error: 'Bad Gateway',
        message:
          'GatewayApi refused the message with HTTP 400; the code was not sent and is void.',
        provider: 'GatewayApi',
        providerStatus: 400,
        providerCode: null,
        maybeSent: false,
      });
      expect(answer.text).not.toContain('is your');
    });

    it("answers a code send's timeout with 504, saying the code stays valid", async () => {
      const app = await startHost({ filter: 'APP_FILTER' });
      server.answer({ hold: true });

      const answer = await post(app, '/code', {
        phone: DANISH_PHONE,
        purpose: 'two-factor',
      });

      expect(answer.status).toBe(504);
      expect(answer.body).toEqual({
        statusCode: 504,
        error: 'Gateway Timeout',
        message:
          'GatewayApi did not answer within the timeout; the code may have been sent and stays valid.',
        provider: 'GatewayApi',
        providerStatus: null,
        providerCode: null,
        maybeSent: true,
      });
    });

    it("answers a host's HttpException in the same shape, and any other error with a logged 500", async () => {
      const app = await startHost({ filter: 'APP_FILTER' });

      const missing = await post(app, '/missing');
      const broken = await post(app, '/broken');

      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'No such login.',
      });
      expect(broken.status).toBe(500);
      expect(broken.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'An unexpected error occurred.',
      });
      expect(logs.text).toContain('login database unreachable at db.internal');
    });
  });

  it('answers no settings with 503 when registered with useGlobalFilters', async () => {
    const app = await startHost({
      filter: 'useGlobalFilters',
      siteSettings: false,
    });

    const answer = await post(app, '/message', {
      phone: DANISH_PHONE,
      message: 'Hello',
    });

    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message:
        'SMS is not configured: the site has no SMS settings. Set Settings:Sms.',
    });
  });

  it('answers a code resend inside the cooldown with 429 when bound to the controller', async () => {
    const app = await startHost({ filter: 'none' });
    server.answer({ status: 200, body: { ids: [1] } });
    const code = { phone: DANISH_PHONE, purpose: 'set-password' };
    await post(app, '/scoped/code', code);

    const answer = await post(app, '/scoped/code', code);

    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('60');
    expect(answer.body).toMatchObject({ statusCode: 429, limit: 'cooldown' });
  });

  describe('toHttpException', () => {
    it("gives a route that maps errors itself the filter's status and body", async () => {
      const app = await startHost({ filter: 'none' });
      server.answer({ status: 200, body: { ids: [1] } });
      const code = { phone: DANISH_PHONE, purpose: 'phone-confirmation' };
      await post(app, '/own/code', code);

      const answer = await post(app, '/own/code', code);

      expect(answer.status).toBe(429);
      expect(answer.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message:
          'A code for this phone number and purpose was sent moments ago; try again in 60 seconds.',
        limit: 'cooldown',
        retryAfterSeconds: 60,
      });
    });

    it('carries the Retry-After header and the error, and leaves other errors alone', () => {
      const limit = new SmsCodeRateLimitError('phone', 3600);
      const settings = new SmsSettingsError([]);
      expect(toHttpException(limit)?.headers).toEqual({
        'Retry-After': '3600',
      });
      expect(toHttpException(limit)?.cause).toBe(limit);
      expect(toHttpException(settings)?.headers).toEqual({});
      expect(toHttpException(new Error('not ours'))).toBeUndefined();
      expect(toHttpException(new NotFoundException())).toBeUndefined();
    });
  });
});

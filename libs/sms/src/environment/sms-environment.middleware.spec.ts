import {
  Body,
  Controller,
  Injectable,
  Module,
  Post,
  UseGuards,
  type CanActivate,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TenantProviders } from '../../../../test/support/tenant-providers.fixture.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsModule } from '../sms.module.js';
import { SmsService } from '../sms.service.js';
import { SmsEnvironmentContext } from './sms-environment.context.js';
import { SmsEnvironmentMiddleware } from './sms-environment.middleware.js';

const PHONE = '+4512345678';

/** What the guard saw: the current environment of each request it ran for. */
@Injectable()
class GuardRecord {
  readonly environments: (string | undefined)[] = [];
}

/** A host's guard that reads the environment, as a per-tenant access check would. */
@Injectable()
class TenantGuard implements CanActivate {
  constructor(private readonly record: GuardRecord) {}

  canActivate(): boolean {
    this.record.environments.push(SmsEnvironmentContext.current());
    return true;
  }
}

@Controller()
@UseGuards(TenantGuard)
class GuardedLoginController {
  constructor(private readonly sms: SmsService) {}

  @Post('environments/:environment/login')
  byParam(@Body() body: { message: string }) {
    return this.sms.send({ phone: PHONE, message: body.message });
  }

  @Post('login')
  login(@Body() body: { message: string }) {
    return this.sms.send({ phone: PHONE, message: body.message });
  }
}

describe('SmsEnvironmentMiddleware', () => {
  let providers: TenantProviders;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    providers = await TenantProviders.start();
  });
  afterEach(async () => {
    providers.clear();
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await providers.close();
  });

  async function startApp(
    resolver: SmsModuleOptions['environmentResolver'],
  ): Promise<INestApplication> {
    @Module({
      imports: [
        SmsModule.forRoot({
          ...providers.moduleOptions(),
          environmentResolver: resolver,
        }),
      ],
      controllers: [GuardedLoginController],
      providers: [GuardRecord, TenantGuard],
    })
    class HostModule implements NestModule {
      configure(consumer: MiddlewareConsumer): void {
        consumer
          .apply(SmsEnvironmentMiddleware)
          .forRoutes(GuardedLoginController);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [HostModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  const post = (target: INestApplication, path: string, message: string) =>
    request(target.getHttpServer()).post(path).send({ message });

  it('gives guards the route parameter environment, and the send uses its settings', async () => {
    const target = await startApp(undefined);

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        const tenant = index % 2 === 0 ? 'tenant-a' : 'tenant-b';
        return post(
          target,
          `/environments/${tenant}/login`,
          `${tenant} #${index}`,
        );
      }),
    );

    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const record = target.get(GuardRecord);
    const seen = (tenant: string) =>
      record.environments.filter((environment) => environment === tenant);
    expect(seen('tenant-a')).toHaveLength(10);
    expect(seen('tenant-b')).toHaveLength(10);
    expect(providers.messages('tenant-a')).toHaveLength(10);
    expect(
      providers
        .messages('tenant-b')
        .every((text) => text.startsWith('tenant-b')),
    ).toBe(true);
    expect(providers.messages('site')).toEqual([]);
  });

  it('gives guards the header environment', async () => {
    const target = await startApp({ header: 'x-environment' });

    const answer = await request(target.getHttpServer())
      .post('/login')
      .set('X-Environment', 'tenant-b')
      .send({ message: 'hello b' });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      environment: 'tenant-b',
      source: 'environment',
    });
    expect(target.get(GuardRecord).environments).toEqual(['tenant-b']);
    expect(providers.messages('tenant-b')).toEqual(['hello b']);
  });

  it('answers a bad name with 400 before any guard runs, sending nothing', async () => {
    const target = await startApp(undefined);

    const answer = await post(target, '/environments/ACME..x/login', 'never');

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [
        'environment: The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
      ],
    });
    expect(target.get(GuardRecord).environments).toEqual([]);
    expect(providers.requestCount).toBe(0);
  });

  it('lets a request that names no environment through, with the site settings', async () => {
    const target = await startApp({ header: 'x-environment' });

    const answer = await post(target, '/login', 'site message');

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ source: 'site', environment: null });
    expect(target.get(GuardRecord).environments).toEqual([undefined]);
    expect(providers.messages('site')).toEqual(['site message']);
  });
});

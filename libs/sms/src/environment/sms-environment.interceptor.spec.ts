import {
  Body,
  Controller,
  Injectable,
  Module,
  Post,
  UseInterceptors,
  type INestApplication,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CapturedLogs } from '../../../../test/support/captured-logs.js';
import {
  TenantProviders,
  type TenantProvider,
} from '../../../../test/support/tenant-providers.fixture.js';
import { SmsExceptionFilter } from '../http/sms-exception.filter.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsModule } from '../sms.module.js';
import { SmsService } from '../sms.service.js';
import { SmsEnvironmentInterceptor } from './sms-environment.interceptor.js';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

const PHONE = '+4512345678';
const RULE =
  'The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.';

/** Counts the handler runs, so a test can tell that a refused request never reached one. */
@Injectable()
class HandlerRuns {
  count = 0;
}

/** A host's routes that send in the environment the interceptor sets; the body says what to send. */
@Controller()
@UseInterceptors(SmsEnvironmentInterceptor)
class LoginController {
  constructor(
    private readonly sms: SmsService,
    private readonly runs: HandlerRuns,
  ) {}

  @Post('environments/:environment/login')
  byEnvironmentParam(@Body() body: { message: string }) {
    return this.send(body.message);
  }

  @Post('tenants/:tenant/login')
  byTenantParam(@Body() body: { message: string }) {
    return this.send(body.message);
  }

  @Post('login')
  login(@Body() body: { message: string }) {
    return this.send(body.message);
  }

  private send(message: string) {
    this.runs.count += 1;
    return this.sms.send({ phone: PHONE, message });
  }
}

/** The same route with the interceptor registered for the whole app instead. */
@Controller('global')
class GlobalLoginController {
  constructor(private readonly sms: SmsService) {}

  @Post('login')
  login(@Body() body: { message: string }) {
    return this.sms.send({ phone: PHONE, message: body.message });
  }
}

/** A directory of the host's own: which environment an API client belongs to. */
@Injectable()
class ClientDirectory {
  private readonly tenants = new Map([
    ['client-1', 'tenant-a'],
    ['client-2', 'tenant-b'],
    ['client-9', 'Not A Name'],
  ]);

  tenantOf(clientId: string): string | undefined {
    return this.tenants.get(clientId);
  }
}

@Module({ providers: [ClientDirectory], exports: [ClientDirectory] })
class ClientDirectoryModule {}

/** A resolver of the host's own, with a dependency Nest injects. */
@Injectable()
class ClientIdEnvironmentResolver extends SmsEnvironmentResolver {
  constructor(private readonly directory: ClientDirectory) {
    super();
  }

  override get source(): string {
    return 'x-client-id';
  }

  find(request: SmsEnvironmentRequest): string | undefined {
    const clientId = request.headers['x-client-id'];
    return typeof clientId === 'string'
      ? this.directory.tenantOf(clientId)
      : undefined;
  }
}

/** How each kind of resolver is told the environment, for one request. */
interface ResolverCase {
  name: string;
  option: SmsModuleOptions['environmentResolver'];
  /** The path and headers of a request for `environment`. */
  request(environment: string): {
    path: string;
    headers: Record<string, string>;
  };
  /** A request that names a bad environment, and the 400's line. */
  bad: { path: string; headers: Record<string, string>; line: string };
}

const CASES: ResolverCase[] = [
  {
    name: 'the route parameter (default)',
    option: undefined,
    request: (environment) => ({
      path: `/environments/${environment}/login`,
      headers: {},
    }),
    bad: {
      path: '/environments/ACME..x/login',
      headers: {},
      line: `environment: ${RULE}`,
    },
  },
  {
    name: 'a route parameter of another name',
    option: { routeParam: 'tenant' },
    request: (environment) => ({
      path: `/tenants/${environment}/login`,
      headers: {},
    }),
    bad: { path: '/tenants/-x/login', headers: {}, line: `tenant: ${RULE}` },
  },
  {
    name: 'a header',
    option: { header: 'X-Environment' },
    request: (environment) => ({
      path: '/login',
      headers: { 'X-Environment': environment },
    }),
    bad: {
      path: '/login',
      headers: { 'X-Environment': 'ACME..x' },
      line: `x-environment: ${RULE}`,
    },
  },
  {
    name: "the host's first label",
    option: { hostLabel: true },
    request: (environment) => ({
      path: '/login',
      headers: { Host: `${environment}.sms.example.com` },
    }),
    bad: {
      path: '/login',
      headers: { Host: '-acme.sms.example.com' },
      line: `host: ${RULE}`,
    },
  },
  {
    name: 'a resolver class of the host, built with its dependencies',
    option: ClientIdEnvironmentResolver,
    request: (environment) => ({
      path: '/login',
      headers: {
        'X-Client-Id': environment === 'tenant-a' ? 'client-1' : 'client-2',
      },
    }),
    bad: {
      path: '/login',
      headers: { 'X-Client-Id': 'client-9' },
      line: `x-client-id: ${RULE}`,
    },
  },
];

describe('SmsEnvironmentInterceptor', () => {
  let providers: TenantProviders;
  let app: INestApplication | undefined;
  let logs: CapturedLogs;

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

  async function startApp(options: {
    resolver: SmsModuleOptions['environmentResolver'];
    extraProviders?: Provider[];
  }): Promise<INestApplication> {
    logs = new CapturedLogs();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRootAsync({
          imports: [ClientDirectoryModule],
          useFactory: () => ({
            ...providers.moduleOptions(),
            environmentResolver: options.resolver,
          }),
        }),
      ],
      controllers: [LoginController, GlobalLoginController],
      providers: [HandlerRuns, ...(options.extraProviders ?? [])],
    }).compile();
    app = moduleRef.createNestApplication({ logger: logs });
    await app.init();
    return app;
  }

  const post = (
    target: INestApplication,
    call: { path: string; headers: Record<string, string> },
    message: string,
  ) =>
    request(target.getHttpServer())
      .post(call.path)
      .set(call.headers)
      .send({ message });

  describe.each(CASES)('by $name', (resolverCase) => {
    it("sends with each environment's own settings, A then B then A", async () => {
      const target = await startApp({ resolver: resolverCase.option });

      const answers = [];
      for (const [index, tenant] of [
        'tenant-a',
        'tenant-b',
        'tenant-a',
      ].entries())
        answers.push(
          await post(
            target,
            resolverCase.request(tenant),
            `${tenant} #${index}`,
          ),
        );

      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
      expect(answers.map((answer) => answer.body.environment)).toEqual([
        'tenant-a',
        'tenant-b',
        'tenant-a',
      ]);
      expect(answers.map((answer) => answer.body.source)).toEqual([
        'environment',
        'environment',
        'environment',
      ]);
      expect(providers.messages('tenant-a')).toEqual([
        'tenant-a #0',
        'tenant-a #2',
      ]);
      expect(providers.messages('tenant-b')).toEqual(['tenant-b #1']);
      expect(providers.messages('site')).toEqual([]);
    });

    it('keeps 20 concurrent requests for different environments apart', async () => {
      const target = await startApp({ resolver: resolverCase.option });
      const tenants = Array.from({ length: 20 }, (_, index) =>
        index % 3 === 1 ? 'tenant-b' : 'tenant-a',
      );

      const answers = await Promise.all(
        tenants.map((tenant, index) =>
          post(target, resolverCase.request(tenant), `${tenant} #${index}`),
        ),
      );

      expect(answers.every((answer) => answer.status === 201)).toBe(true);
      expect(answers.map((answer) => answer.body.environment)).toEqual(tenants);
      for (const tenant of ['tenant-a', 'tenant-b'] as TenantProvider[]) {
        const expected = tenants
          .map((name, index) => (name === tenant ? `${name} #${index}` : ''))
          .filter(Boolean);
        expect(providers.messages(tenant).toSorted()).toEqual(
          expected.toSorted(),
        );
      }
      expect(providers.messages('site')).toEqual([]);
    });

    it('answers a bad environment name with 400 before the handler, sending nothing', async () => {
      const target = await startApp({ resolver: resolverCase.option });

      const answer = await post(target, resolverCase.bad, 'never sent');

      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: [resolverCase.bad.line],
      });
      expect(target.get(HandlerRuns).count).toBe(0);
      expect(providers.requestCount).toBe(0);
    });
  });

  it('answers a bad name the same through SmsExceptionFilter', async () => {
    const target = await startApp({
      resolver: undefined,
      extraProviders: [{ provide: APP_FILTER, useClass: SmsExceptionFilter }],
    });

    const answer = await post(
      target,
      { path: '/environments/ACME..x/login', headers: {} },
      'never sent',
    );

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [`environment: ${RULE}`],
    });
    expect(providers.requestCount).toBe(0);
  });

  it('warns once per route that names no environment, and sends with the site settings', async () => {
    const target = await startApp({ resolver: undefined });

    const first = await post(target, { path: '/login', headers: {} }, 'one');
    const second = await post(target, { path: '/login', headers: {} }, 'two');
    const tenantRoute = await post(
      target,
      { path: '/tenants/tenant-a/login', headers: {} },
      'three',
    );

    expect([first.status, second.status, tenantRoute.status]).toEqual([
      201, 201, 201,
    ]);
    expect(first.body).toMatchObject({ source: 'site', environment: null });
    expect(providers.messages('site')).toEqual(['one', 'two', 'three']);
    const warnings = logs.lines.filter((line) =>
      line.startsWith('WARN [SmsEnvironmentInterceptor]'),
    );
    expect(warnings).toEqual([
      "WARN [SmsEnvironmentInterceptor] LoginController.login: the request named no SMS environment (environment), so SMS sent there use the site's settings. Logged once per route.",
      "WARN [SmsEnvironmentInterceptor] LoginController.byTenantParam: the request named no SMS environment (environment), so SMS sent there use the site's settings. Logged once per route.",
    ]);
  });

  it('works registered globally as APP_INTERCEPTOR', async () => {
    const target = await startApp({
      resolver: { header: 'x-environment' },
      extraProviders: [
        { provide: APP_INTERCEPTOR, useClass: SmsEnvironmentInterceptor },
      ],
    });

    const answers = await Promise.all(
      ['tenant-a', 'tenant-b', 'tenant-a'].map((tenant, index) =>
        post(
          target,
          { path: '/global/login', headers: { 'x-environment': tenant } },
          `${tenant} #${index}`,
        ),
      ),
    );

    expect(answers.map((answer) => answer.body.environment)).toEqual([
      'tenant-a',
      'tenant-b',
      'tenant-a',
    ]);
    expect(providers.messages('tenant-a').toSorted()).toEqual([
      'tenant-a #0',
      'tenant-a #2',
    ]);
    expect(providers.messages('tenant-b')).toEqual(['tenant-b #1']);
  });
});

import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { SmsEnvironmentNameError } from '../errors/sms-environment-name.error.js';
import { SmsSettingsError } from '../errors/sms-settings.error.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsModule } from '../sms.module.js';
import { HeaderSmsEnvironmentResolver } from './header.sms-environment-resolver.js';
import { HostLabelSmsEnvironmentResolver } from './host-label.sms-environment-resolver.js';
import { RouteParamSmsEnvironmentResolver } from './route-param.sms-environment-resolver.js';
import { environmentResolverProblems } from './sms-environment-resolver-option.validator.js';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

const requestOf = (
  parts: Partial<SmsEnvironmentRequest>,
): SmsEnvironmentRequest => ({ headers: {}, ...parts });

@Injectable()
class FixedResolver extends SmsEnvironmentResolver {
  find(): string {
    return 'fixed';
  }
}

describe('the built-in environment resolvers', () => {
  it.each(['a', '0', 'tenant-a', 'tenant_b', `a${'b'.repeat(62)}`])(
    'accepts the name %s',
    (name) => {
      const resolver = new RouteParamSmsEnvironmentResolver();
      expect(
        resolver.resolve(requestOf({ params: { environment: name } })),
      ).toBe(name);
    },
  );

  it.each([
    '',
    'Acme',
    '-acme',
    '_acme',
    'ac.me',
    'ACME..x',
    'é',
    'a'.repeat(64),
  ])('refuses the name "%s" without repeating it', (name) => {
    const resolver = new RouteParamSmsEnvironmentResolver();
    let error: unknown;
    try {
      resolver.resolve(requestOf({ params: { environment: name } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmsEnvironmentNameError);
    expect((error as SmsEnvironmentNameError).source).toBe('environment');
    if (name) expect((error as Error).message).not.toContain(name);
  });

  it('reads a route parameter of another name, and none on a route without it', () => {
    const resolver = new RouteParamSmsEnvironmentResolver('tenant');
    expect(resolver.resolve(requestOf({ params: { tenant: 'acme' } }))).toBe(
      'acme',
    );
    expect(resolver.resolve(requestOf({ params: {} }))).toBeUndefined();
    expect(resolver.resolve(requestOf({}))).toBeUndefined();
    expect(resolver.source).toBe('tenant');
  });

  it('reads a header by its name in any case, and refuses one sent twice', () => {
    const resolver = new HeaderSmsEnvironmentResolver('X-Environment');
    expect(
      resolver.resolve(requestOf({ headers: { 'x-environment': 'acme' } })),
    ).toBe('acme');
    expect(resolver.resolve(requestOf({}))).toBeUndefined();
    expect(() =>
      resolver.resolve(
        requestOf({ headers: { 'x-environment': ['acme', 'beta'] } }),
      ),
    ).toThrow(SmsEnvironmentNameError);
    expect(resolver.source).toBe('x-environment');
  });

  it("takes the host's first label in lower case; an IP address or a single label names none", () => {
    const resolver = new HostLabelSmsEnvironmentResolver();
    const of = (hostname?: string) => resolver.resolve(requestOf({ hostname }));
    expect(of('acme.sms.example.com')).toBe('acme');
    expect(of('ACME.sms.example.com')).toBe('acme');
    expect(of('127.0.0.1')).toBeUndefined();
    expect(of('[::1]')).toBeUndefined();
    expect(of('localhost')).toBeUndefined();
    expect(of(undefined)).toBeUndefined();
    expect(() => of('-acme.example.com')).toThrow(SmsEnvironmentNameError);
  });
});

describe('the environmentResolver option', () => {
  it.each([
    undefined,
    { routeParam: 'tenant' },
    { header: 'X-Environment' },
    { hostLabel: true },
    FixedResolver,
    new FixedResolver(),
  ])('accepts %o', (option) => {
    expect(environmentResolverProblems(option)).toEqual([]);
  });

  it.each([
    [{ routeParam: 'ten ant' }, 'environmentResolver.routeParam'],
    [{ routeParam: 7 }, 'environmentResolver.routeParam'],
    [{ header: 'X Environment' }, 'environmentResolver.header'],
    [{ header: '' }, 'environmentResolver.header'],
    [{ hostLabel: false }, 'environmentResolver'],
    [{ cookie: 'tenant' }, 'environmentResolver'],
    [{ header: 'x-a', hostLabel: true }, 'environmentResolver'],
    [class NotAResolver {}, 'environmentResolver'],
    ['environment', 'environmentResolver'],
  ])('refuses %o at %s', (option, path) => {
    const problems = environmentResolverProblems(option);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(path);
  });

  it('stops bootstrap with one error naming every bad option', async () => {
    const options = {
      environmentResolver: { header: 'X Environment' },
      timeoutMs: -1,
    } as unknown as SmsModuleOptions;

    const compiling = Test.createTestingModule({
      imports: [SmsModule.forRoot(options)],
    }).compile();

    const error = await compiling.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsSettingsError);
    expect((error as SmsSettingsError).problems.map((p) => p.path)).toEqual([
      'timeoutMs',
      'environmentResolver.header',
    ]);
  });

  it('builds a class with Nest and injects the result as SmsEnvironmentResolver', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot({ environmentResolver: FixedResolver })],
    }).compile();

    const resolver = moduleRef.get(SmsEnvironmentResolver);

    expect(resolver).toBeInstanceOf(FixedResolver);
    expect(resolver.resolve(requestOf({}))).toBe('fixed');
    await moduleRef.close();
  });

  it('uses the route parameter environment by default', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsModule.forRoot({})],
    }).compile();

    expect(moduleRef.get(SmsEnvironmentResolver)).toBeInstanceOf(
      RouteParamSmsEnvironmentResolver,
    );
    await moduleRef.close();
  });
});

import { randomBytes } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingSmsService, SmsTestingModule } from '../testing/index.js';
import { InMemorySmsCodeStore } from './store/in-memory-sms-code.store.js';
import { ManualSmsCodeClock } from './sms-code.clock.js';
import { SmsCodeOptionsError } from '../errors/codes/sms-code-options.error.js';
import { SmsCodeModule } from './sms-code.module.js';
import { SmsCodeService } from './sms-code.service.js';

/** A store that remembers what the module did with it. */
class WatchedStore extends InMemorySmsCodeStore {
  closed = false;
  readonly purges: Date[] = [];

  override async close(): Promise<void> {
    this.closed = true;
    await super.close();
  }

  override async purge(before: Date): Promise<void> {
    this.purges.push(before);
    await super.purge(before);
  }
}

@Injectable()
class LoginFlow {
  constructor(private readonly codes: SmsCodeService) {}

  start(phone: string) {
    return this.codes.send({ phone, purpose: 'passwordless-login' });
  }
}

const hashKey = () => randomBytes(32).toString('base64');

describe('SmsCodeModule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops bootstrap on a template that cannot fit, naming it and every other problem', async () => {
    const compile = Test.createTestingModule({
      imports: [
        SmsCodeModule.forRootAsync({
          imports: [SmsTestingModule],
          useFactory: () => ({
            hashKey: 'c2hvcnQ=',
            companyName: 'Acme',
            templates: {
              en: {
                'set-password': `{code} ${'This text is far too long. '.repeat(6)}`,
              },
            },
          }),
        }),
      ],
    }).compile();

    const error = await compile.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsCodeOptionsError);
    expect((error as SmsCodeOptionsError).problems.map((p) => p.path)).toEqual([
      'hashKey',
      'templates.en.set-password',
    ]);
  });

  it('builds from forRootAsync with injected configuration, serves consumers, and closes the store at shutdown', async () => {
    const store = new WatchedStore();
    @Module({
      providers: [
        { provide: 'CODE_CONFIG', useValue: { company: 'Acme Bank' } },
      ],
      exports: ['CODE_CONFIG'],
    })
    class ConfigForTests {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsCodeModule.forRootAsync({
          imports: [SmsTestingModule, ConfigForTests],
          inject: ['CODE_CONFIG'],
          useFactory: (config: { company: string }) => ({
            hashKey: hashKey(),
            companyName: config.company,
            store,
          }),
        }),
      ],
      providers: [LoginFlow],
    }).compile();
    await moduleRef.init();

    const result = await moduleRef.get(LoginFlow).start('+4512345678');
    const sms = moduleRef.get(RecordingSmsService);

    expect(result.segments).toBe(1);
    expect(sms.lastTo('+4512345678')?.message).toMatch(
      /^\d{6} is your Acme Bank login code\. Valid for 10 min\. Do not share it\.$/,
    );
    expect(store.closed).toBe(false);
    await moduleRef.close();
    expect(store.closed).toBe(true);
  });

  it('deletes codes expired for an hour on its interval, by the configured clock', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = new WatchedStore();
    const clock = new ManualSmsCodeClock(new Date('2030-01-01T12:00:00.000Z'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsCodeModule.forRootAsync({
          imports: [SmsTestingModule],
          useFactory: () => ({
            hashKey: hashKey(),
            companyName: 'Acme',
            store,
            clock,
            purgeIntervalMs: 5000,
          }),
        }),
      ],
    }).compile();
    await moduleRef.init();

    vi.advanceTimersByTime(4999);
    expect(store.purges).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(store.purges).toEqual([new Date('2030-01-01T11:00:00.000Z')]);
    await moduleRef.close();
    vi.advanceTimersByTime(10_000);
    expect(store.purges).toHaveLength(1);
  });
});

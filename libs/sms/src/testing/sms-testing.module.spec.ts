import { randomBytes } from 'node:crypto';
import {
  Controller,
  Injectable,
  Module,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  InMemorySmsSettingsSource,
  SmsCodeModule,
  SmsCodeService,
  SmsEnvironmentContext,
  SmsEnvironmentInterceptor,
  SmsProviderError,
  SmsService,
  SmsSettingsSource,
  SmsValidationError,
} from '@app/sms';
import { RecordingSmsService, SmsTestingModule } from '@app/sms/testing';

@Injectable()
class LoginCodeSender {
  constructor(private readonly sms: SmsService) {}

  sendCode(phone: string, code: string) {
    return this.sms.send({ phone, message: `Your code is ${code}` });
  }
}

/** A feature module of the application's own, which expects `SmsService` to be visible. */
@Module({ providers: [LoginCodeSender], exports: [LoginCodeSender] })
class LoginModule {}

/** A host's route that sends in the environment the interceptor sets. */
@Controller('environments/:environment')
@UseInterceptors(SmsEnvironmentInterceptor)
class LoginController {
  constructor(private readonly sender: LoginCodeSender) {}

  @Post('login')
  login() {
    return this.sender.sendCode('+4512345678', '7');
  }
}

describe('SmsTestingModule', () => {
  async function setup() {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule],
      providers: [LoginCodeSender],
    }).compile();
    return {
      sender: moduleRef.get(LoginCodeSender),
      recorder: moduleRef.get(RecordingSmsService),
    };
  }

  it('records what a consumer of SmsService sends, without sending', async () => {
    const { sender, recorder } = await setup();
    const result = await sender.sendCode('+45 12 34 56 78', '123456');
    expect(result).toMatchObject({
      provider: 'Recording',
      source: 'site',
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(recorder.lastTo('+4512345678')?.message).toBe('Your code is 123456');
    expect(recorder.messages).toHaveLength(1);
  });

  it('takes the environment from the context', async () => {
    const { sender, recorder } = await setup();
    await SmsEnvironmentContext.run('acme', () =>
      sender.sendCode('+4512345678', '1'),
    );
    expect(recorder.messages[0].environment).toBe('acme');
  });

  it("serves a controller with SmsEnvironmentInterceptor, recording the route's environment", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot(), LoginModule],
      controllers: [LoginController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const ok = await request(app.getHttpServer()).post(
        '/environments/acme/login',
      );
      const bad = await request(app.getHttpServer()).post(
        '/environments/ACME/login',
      );

      expect(ok.status).toBe(201);
      expect(bad.status).toBe(400);
      const recorder = moduleRef.get(RecordingSmsService);
      expect(recorder.messages.map((m) => m.environment)).toEqual(['acme']);
    } finally {
      await app.close();
    }
  });

  it('refuses what the real service refuses', async () => {
    const { sender, recorder } = await setup();
    await expect(sender.sendCode('12345678', '1')).rejects.toBeInstanceOf(
      SmsValidationError,
    );
    expect(recorder.messages).toHaveLength(0);
  });

  it('serves a feature module imported beside forRoot(), and records its send once', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot(), LoginModule],
    }).compile();

    await moduleRef.get(LoginCodeSender).sendCode('+4512345678', '42');

    const recorder = moduleRef.get(RecordingSmsService);
    expect(recorder.messages.map((m) => m.message)).toEqual([
      'Your code is 42',
    ]);
    expect(moduleRef.get(SmsService)).toBe(recorder);
  });

  it('is not global with isGlobal: false', async () => {
    const compile = Test.createTestingModule({
      imports: [SmsTestingModule.forRoot({ isGlobal: false }), LoginModule],
    }).compile();

    await expect(compile).rejects.toThrow(/SmsService/);
  });

  it('keeps one recorder when a module imports it again', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsTestingModule.forRoot(),
        SmsTestingModule.forRoot({ isGlobal: false }),
        SmsTestingModule,
        LoginModule,
      ],
    }).compile();

    await moduleRef.get(LoginCodeSender).sendCode('+4512345678', '7');

    expect(moduleRef.get(RecordingSmsService).messages).toHaveLength(1);
  });

  it('gives the same in-memory settings source under both tokens', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot()],
    }).compile();

    const source = moduleRef.get(InMemorySmsSettingsSource);
    expect(source).toBeInstanceOf(InMemorySmsSettingsSource);
    expect(moduleRef.get(SmsSettingsSource)).toBe(source);
  });

  describe('with SmsCodeModule, as in the codes README', () => {
    const hashKey = randomBytes(32).toString('base64');

    async function sendOneCode(codeModuleImports: unknown[]) {
      const moduleRef = await Test.createTestingModule({
        imports: [
          SmsTestingModule.forRoot(),
          SmsCodeModule.forRootAsync({
            imports: codeModuleImports as [],
            useFactory: () => ({ hashKey, companyName: 'Acme' }),
          }),
        ],
      }).compile();
      await moduleRef.get(SmsCodeService).send({
        phone: '+4512345678',
        purpose: 'two-factor',
      });
      return moduleRef.get(RecordingSmsService);
    }

    it('sends one code, seen once, with the testing module imported at the root only', async () => {
      const recorder = await sendOneCode([]);
      expect(recorder.messages).toHaveLength(1);
      expect(recorder.lastTo('+4512345678')?.message).toMatch(/^\d{6} /);
    });

    it('sends one code, seen once, when the code module imports forRoot() too', async () => {
      const recorder = await sendOneCode([SmsTestingModule.forRoot()]);
      expect(recorder.messages).toHaveLength(1);
    });

    it.each([
      [false, 'no-code'],
      [true, 'invalid'],
    ])(
      'voids a code whose send failed with maybeSent %s only when it was certainly not sent',
      async (maybeSent, afterWrongGuess) => {
        const moduleRef = await Test.createTestingModule({
          imports: [
            SmsTestingModule.forRoot(),
            SmsCodeModule.forRootAsync({
              useFactory: () => ({ hashKey, companyName: 'Acme' }),
            }),
          ],
        }).compile();
        const failure = new SmsProviderError('Failed', {
          provider: 'GatewayApi',
          maybeSent,
        });
        moduleRef.get(RecordingSmsService).failNext(failure);
        const codes = moduleRef.get(SmsCodeService);
        const request = {
          phone: '+4512345678',
          purpose: 'two-factor',
        } as const;

        const error = await codes.send(request).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SmsProviderError);
        expect(error).toMatchObject({ maybeSent });
        // A wrong guess tells a live code (invalid) from a void one (no-code).
        const { result } = await codes.verify({ ...request, code: 'x' });

        expect(result).toBe(afterWrongGuess);
      },
    );
  });
});

import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsService } from '../sms.service.js';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';
import { RecordingSmsService, SmsTestingModule } from './index.js';

@Injectable()
class LoginCodeSender {
  constructor(private readonly sms: SmsService) {}

  sendCode(phone: string, code: string) {
    return this.sms.send({ phone, message: `Your code is ${code}` });
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

  it('refuses what the real service refuses', async () => {
    const { sender, recorder } = await setup();
    await expect(sender.sendCode('12345678', '1')).rejects.toBeInstanceOf(
      SmsValidationError,
    );
    expect(recorder.messages).toHaveLength(0);
  });
});

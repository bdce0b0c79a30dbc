import { Injectable } from '@nestjs/common';
import { measureSmsText } from '../message/message-encoding.js';
import { normalizePhoneNumber } from '../message/phone-number.js';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import type { SmsSendRequest, SmsSendResult } from '../sms-send.interface.js';
import type { SmsService } from '../sms.service.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';

/** A message recorded by {@link RecordingSmsService}. */
export interface RecordedSms {
  /** E.164 destination. */
  phone: string;
  message: string;
  environment: string | null;
  sentAt: Date;
}

/**
 * Stands in for `SmsService` in tests: checks the phone number and text as the real service does,
 * records the message and sends nothing.
 */
@Injectable()
export class RecordingSmsService implements Pick<SmsService, 'send'> {
  private readonly recorded: RecordedSms[] = [];

  /** Every message recorded so far, oldest first. */
  get messages(): readonly RecordedSms[] {
    return this.recorded;
  }

  /** The last message sent to `phone` (any format the real service accepts), if any. */
  lastTo(phone: string): RecordedSms | undefined {
    const e164 = normalizePhoneNumber(phone).e164;
    return this.recorded.findLast((m) => m.phone === e164);
  }

  /** Forgets every recorded message. */
  clear(): void {
    this.recorded.length = 0;
  }

  /** Records the message; throws `SmsValidationError` for what the real service would refuse. */
  async send(request: SmsSendRequest): Promise<SmsSendResult> {
    const phone = normalizePhoneNumber(request.phone);
    if (typeof request.message !== 'string' || request.message.length === 0) {
      throw new SmsValidationError('message', 'The message text is required.');
    }
    const { encoding, segments } = measureSmsText(request.message);
    const environment =
      request.environment === undefined
        ? (SmsEnvironmentContext.current() ?? null)
        : request.environment;
    this.recorded.push({
      phone: phone.e164,
      message: request.message,
      environment,
      sentAt: new Date(),
    });
    return {
      provider: 'Recording',
      source: environment ? 'environment' : 'site',
      environment,
      messageId: String(this.recorded.length),
      encoding,
      segments,
    };
  }
}

import { measureSmsText } from '@app/sms/message/message-encoding.js';
import { normalizePhoneNumber } from '@app/sms/message/phone-number.js';
import type { SmsSendContext } from '@app/sms/providers/sms-provider.interface.js';
import type { SmsSettings } from '@app/sms/settings/sms-settings.interface.js';

/**
 * The context `SmsService` would hand a provider strategy for one send: the phone number normalised
 * and the text measured as the service does it.
 */
export function sendContext(
  settings: SmsSettings,
  phone = '+4512345678',
  message = 'Your code is 123456',
  correlationId = '7d0c7f5e-1f0a-4b1e-9a8e-3f2b6c1d2e4f',
): SmsSendContext {
  const { encoding, segments } = measureSmsText(message);
  return {
    settings,
    phone: normalizePhoneNumber(phone),
    message,
    encoding,
    segments,
    correlationId,
  };
}

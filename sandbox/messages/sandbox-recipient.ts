import { normalizePhoneNumber } from '@app/sms/message/phone-number.js';
import type { SmsPhoneNumber } from '@app/sms';

/**
 * Reads a destination number the way a provider does: E.164 digits with or without the leading
 * `+`. Returns undefined when the digits cannot be a phone number.
 */
export function readRecipient(value: string): SmsPhoneNumber | undefined {
  if (!/^\+?\d+$/.test(value)) return undefined;
  try {
    return normalizePhoneNumber(value.startsWith('+') ? value : `+${value}`);
  } catch {
    return undefined;
  }
}

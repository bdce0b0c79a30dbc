import type { SmsEncoding } from '../message/message-encoding.js';
import type { SmsPhoneNumber } from '../message/phone-number.js';
import type { ResolvedSmsSettings } from '../settings/sms-settings.resolver.js';
import type { SmsSendRequest } from '../sms-send.interface.js';

/**
 * A checked send with its settings resolved: what the primary's and the fallback's tries share,
 * and what the send's record is written from.
 */
export interface SendBasis {
  /** The send's one id: its result, record, log lines, delivery report and Telia correlator. */
  id: string;
  request: SmsSendRequest;
  phone: SmsPhoneNumber;
  encoding: SmsEncoding;
  segments: number;
  /** The settings the send resolved to: the primary's, with its fallback if any. */
  resolved: ResolvedSmsSettings;
  /** When the send began, a `performance.now()` reading: one time budget for both providers. */
  started: number;
}

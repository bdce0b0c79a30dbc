import { Injectable } from '@nestjs/common';
import { normalizePhoneNumber } from '../message/phone-number.js';
import type { SmsMessageRecord } from './sms-message-record.interface.js';
import { SmsMessageRecordSource } from './sms-message-record.source.js';
import { SmsMessageKeys } from './sms-message.keys.js';

/** The most records one lookup by number returns. */
export const MAX_SMS_MESSAGE_RECORDS_LISTED = 100;

/**
 * Reads message records for a host's API: one by id within an environment (or the site), or the
 * latest of one number, which is normalised as a send normalises it and looked up by its HMAC.
 */
@Injectable()
export class SmsMessageRecords {
  constructor(
    private readonly source: SmsMessageRecordSource,
    private readonly keys: SmsMessageKeys,
  ) {}

  /** The record, or undefined when there is none with that id in that environment (null: site). */
  async get(
    id: string,
    environment: string | null,
  ): Promise<SmsMessageRecord | undefined> {
    const record = await this.source.get(id);
    return record?.environment === environment ? record : undefined;
  }

  /**
   * The latest records of a number, newest first.
   *
   * @throws SmsValidationError when `phone` is not a number a send would take
   */
  async listByPhone(query: {
    phone: string;
    environment: string | null;
    limit: number;
  }): Promise<SmsMessageRecord[]> {
    const phone = normalizePhoneNumber(query.phone);
    return this.source.findByPhone({
      phoneHash: this.keys.phoneHash(phone.e164),
      environment: query.environment,
      limit: Math.min(Math.max(1, query.limit), MAX_SMS_MESSAGE_RECORDS_LISTED),
    });
  }
}

import type { SmsMessageRecord, SmsMessageStatus } from '@app/sms';

/** A record as both stores keep it; times are a number (SQLite) or a Date (PostgreSQL). */
export interface MessageRecordRow {
  id: string;
  environment: string;
  provider: string;
  message_id: string | null;
  phone_hint: string;
  phone_hash: string;
  encoding: string;
  segments: number;
  status: string;
  provider_status: string | null;
  error_code: string | null;
  created_at: number | Date;
  updated_at: number | Date;
  failover_from: string | null;
  events: string;
}

/** The row of a record; `time` turns a Date into the store's time type. */
export function toMessageRecordRow<T extends number | Date>(
  record: SmsMessageRecord,
  time: (date: Date) => T,
): MessageRecordRow & { created_at: T; updated_at: T } {
  return {
    id: record.id,
    environment: record.environment ?? '',
    provider: record.provider,
    message_id: record.messageId,
    phone_hint: record.phone,
    phone_hash: record.phoneHash,
    encoding: record.encoding,
    segments: record.segments,
    status: record.status,
    provider_status: record.providerStatus,
    error_code: record.errorCode,
    created_at: time(record.createdAt),
    updated_at: time(record.updatedAt),
    failover_from: record.failoverFrom,
    events: JSON.stringify(record.events),
  };
}

/** The record of a row. */
export function fromMessageRecordRow(row: MessageRecordRow): SmsMessageRecord {
  const events = JSON.parse(row.events) as {
    status: SmsMessageStatus;
    providerStatus: string | null;
    at: string;
  }[];
  return {
    id: row.id,
    environment: row.environment === '' ? null : row.environment,
    provider: row.provider,
    messageId: row.message_id,
    phone: row.phone_hint,
    phoneHash: row.phone_hash,
    encoding: row.encoding,
    segments: row.segments,
    status: row.status as SmsMessageStatus,
    providerStatus: row.provider_status,
    errorCode: row.error_code,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    failoverFrom: row.failover_from,
    events: events.map((event) => ({ ...event, at: new Date(event.at) })),
  };
}

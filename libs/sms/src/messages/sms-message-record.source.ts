import type { SmsMessageRecord } from './sms-message-record.interface.js';

/** Which records {@link SmsMessageRecordSource.findByPhone} lists. */
export interface SmsMessageRecordQuery {
  /** The HMAC of the number, as the record's `phoneHash`. */
  phoneHash: string;
  /** The environment, or null for site sends. */
  environment: string | null;
  /** The most records returned, newest first. */
  limit: number;
}

/**
 * Where message records are kept. The library ships {@link InMemorySmsMessageRecordSource}; a host
 * brings a persistent one (a database) through the module option `messages.source`.
 */
export abstract class SmsMessageRecordSource {
  /** Stores a new record. */
  abstract create(record: SmsMessageRecord): Promise<void>;

  /**
   * Replaces a record's status fields, `updatedAt` and events, provided that it is still as
   * `previous` was read (as many events): false, and nothing changed, when another update came
   * first. Two instances taking two reports of one message at once must not lose either.
   */
  abstract update(
    record: SmsMessageRecord,
    previous: SmsMessageRecord,
  ): Promise<boolean>;

  /** The record, or undefined when there is none with that id. */
  abstract get(id: string): Promise<SmsMessageRecord | undefined>;

  /** The records of one number in one environment (or the site), newest first. */
  abstract findByPhone(
    query: SmsMessageRecordQuery,
  ): Promise<SmsMessageRecord[]>;
}

/** The most records {@link InMemorySmsMessageRecordSource} keeps by default. */
export const DEFAULT_IN_MEMORY_SMS_MESSAGE_RECORDS = 10_000;

/**
 * Records kept in memory, for tests and single-process hosts; lost at restart. Bounded: past
 * `maxRecords`, the oldest record is dropped for each new one, so that a host that never reads
 * them does not grow without end.
 */
export class InMemorySmsMessageRecordSource extends SmsMessageRecordSource {
  private readonly records = new Map<string, SmsMessageRecord>();

  /** @param maxRecords the most records kept (default {@link DEFAULT_IN_MEMORY_SMS_MESSAGE_RECORDS}) */
  constructor(
    private readonly maxRecords = DEFAULT_IN_MEMORY_SMS_MESSAGE_RECORDS,
  ) {
    super();
  }

  /** The number of records kept. */
  get size(): number {
    return this.records.size;
  }

  override async create(record: SmsMessageRecord): Promise<void> {
    if (this.records.size >= this.maxRecords) {
      // A Map iterates in insertion order: the first key is the oldest record.
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    this.records.set(record.id, copyRecord(record));
  }

  override async update(
    record: SmsMessageRecord,
    previous: SmsMessageRecord,
  ): Promise<boolean> {
    const stored = this.records.get(record.id);
    if (stored?.events.length !== previous.events.length) return false;
    this.records.set(record.id, copyRecord(record));
    return true;
  }

  override async get(id: string): Promise<SmsMessageRecord | undefined> {
    const record = this.records.get(id);
    return record && copyRecord(record);
  }

  override async findByPhone(
    query: SmsMessageRecordQuery,
  ): Promise<SmsMessageRecord[]> {
    return [...this.records.values()]
      .filter(
        (record) =>
          record.phoneHash === query.phoneHash &&
          record.environment === query.environment,
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, query.limit)
      .map((record) => copyRecord(record));
  }
}

/**
 * A copy of the record that shares nothing with it: its dates and events are new objects. Every
 * other field is a string, a number or null. Built by hand: `structuredClone` costs about ten
 * times as much, on every send.
 */
function copyRecord(record: SmsMessageRecord): SmsMessageRecord {
  return {
    ...record,
    createdAt: new Date(record.createdAt.getTime()),
    updatedAt: new Date(record.updatedAt.getTime()),
    events: record.events.map((event) => ({
      ...event,
      at: new Date(event.at.getTime()),
    })),
  };
}

import {
  SmsCodeStore,
  type SmsCodeCounter,
  type SmsCodeKey,
  type SmsCodeRecord,
} from './sms-code.store.js';

/**
 * Codes and counters in this process's memory: for tests and single-instance hosts. Limits do not
 * hold across instances, and everything is lost on restart.
 */
export class InMemorySmsCodeStore extends SmsCodeStore {
  private readonly codes = new Map<string, SmsCodeRecord>();
  private readonly counters = new Map<string, SmsCodeCounter>();

  override async save(record: SmsCodeRecord): Promise<void> {
    this.codes.set(keyOf(record), { ...record });
  }

  override async find(key: SmsCodeKey): Promise<SmsCodeRecord | undefined> {
    const record = this.codes.get(keyOf(key));
    return record && { ...record };
  }

  override async addAttempt(
    key: SmsCodeKey,
    id: string,
  ): Promise<number | undefined> {
    const record = this.codes.get(keyOf(key));
    if (record?.id !== id) return undefined;
    record.attempts += 1;
    return record.attempts;
  }

  override async consume(key: SmsCodeKey, id: string): Promise<boolean> {
    const k = keyOf(key);
    if (this.codes.get(k)?.id !== id) return false;
    return this.codes.delete(k);
  }

  override async hit(
    counter: string,
    windowMs: number,
    now: Date,
  ): Promise<SmsCodeCounter> {
    const current = this.counters.get(counter);
    const next =
      current && current.windowEndsAt > now
        ? { count: current.count + 1, windowEndsAt: current.windowEndsAt }
        : { count: 1, windowEndsAt: new Date(now.getTime() + windowMs) };
    this.counters.set(counter, next);
    return { ...next };
  }

  override async purge(before: Date): Promise<void> {
    for (const [key, record] of this.codes) {
      if (record.expiresAt < before) this.codes.delete(key);
    }
    for (const [key, counter] of this.counters) {
      if (counter.windowEndsAt < before) this.counters.delete(key);
    }
  }

  override async close(): Promise<void> {
    this.codes.clear();
    this.counters.clear();
  }
}

function keyOf(key: SmsCodeKey): string {
  return JSON.stringify([key.environment, key.phone, key.purpose]);
}

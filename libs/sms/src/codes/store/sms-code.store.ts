import type { SmsCodePurpose } from '../sms-code-purpose.js';

/** What one code is for: at most one code is live per environment, phone number and purpose. */
export interface SmsCodeKey {
  /** The environment, or null for the site. */
  environment: string | null;
  /** E.164, e.g. `+4512345678`. */
  phone: string;
  purpose: SmsCodePurpose;
}

/** A stored code: its keyed hash, never the code itself. */
export interface SmsCodeRecord extends SmsCodeKey {
  /** Unique per code; a new code for the same key gets a new id. */
  id: string;
  /** HMAC-SHA256 of the code and its key, base64url. */
  hash: string;
  /** Verification attempts so far, right or wrong. */
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
}

/** A send counter after a hit. */
export interface SmsCodeCounter {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends and the count starts again from zero. */
  windowEndsAt: Date;
}

/**
 * Where codes and send counters live. Every method is one atomic step, so that several instances
 * of the service sharing one store (PostgreSQL) count every attempt and every send exactly once.
 * The library ships {@link InMemorySmsCodeStore}; the service adds SQLite and PostgreSQL stores.
 * `SmsCodeModule` closes the store when the application shuts down.
 */
export abstract class SmsCodeStore {
  /** Stores a code, replacing any code of the same key (which then no longer verifies). */
  abstract save(record: SmsCodeRecord): Promise<void>;

  /** The live or expired code of the key, or undefined when there is none. */
  abstract find(key: SmsCodeKey): Promise<SmsCodeRecord | undefined>;

  /**
   * Counts one verification attempt of the code `id`.
   *
   * @returns the attempts after this one, or undefined when that code is no longer stored
   */
  abstract addAttempt(key: SmsCodeKey, id: string): Promise<number | undefined>;

  /**
   * Removes the code `id`, so that it cannot be used again.
   *
   * @returns true when this call removed it; false when it was already gone or replaced
   */
  abstract consume(key: SmsCodeKey, id: string): Promise<boolean>;

  /**
   * Counts one hit of a fixed-window counter and returns the count: a window of `windowMs` starts
   * at the first hit after the previous window ended.
   */
  abstract hit(
    counter: string,
    windowMs: number,
    now: Date,
  ): Promise<SmsCodeCounter>;

  /** Deletes codes that expired before `before` and counters whose window ended before it. */
  abstract purge(before: Date): Promise<void>;

  /** Releases connections. */
  abstract close(): Promise<void>;
}

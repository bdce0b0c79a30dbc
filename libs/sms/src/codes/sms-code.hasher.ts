import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SmsCodeKey } from './store/sms-code.store.js';

// Changing what is hashed needs a new version, or every live code stops verifying.
const HASH_VERSION = 'sms-code-v1';

/**
 * The keyed hash that codes are stored as: HMAC-SHA256 over the environment, the E.164 number, the
 * purpose and the code, so that a hash copied to another number or purpose matches nothing, and a
 * stolen database gives no code without the key.
 */
export class SmsCodeHasher {
  constructor(private readonly key: Buffer) {}

  /** The hash of `code` for `key`, base64url. */
  hash(key: SmsCodeKey, code: string): string {
    return this.digest(key, code).toString('base64url');
  }

  /** Whether `code` hashes to `stored`, compared in constant time. */
  matches(key: SmsCodeKey, code: string, stored: string): boolean {
    const expected = Buffer.from(stored, 'base64url');
    const actual = this.digest(key, code);
    return (
      expected.length === actual.length && timingSafeEqual(expected, actual)
    );
  }

  private digest(key: SmsCodeKey, code: string): Buffer {
    // A JSON array keeps the fields apart: no environment and phone can be shifted into each other.
    const message = JSON.stringify([
      HASH_VERSION,
      key.environment,
      key.phone,
      key.purpose,
      code,
    ]);
    return createHmac('sha256', this.key).update(message, 'utf8').digest();
  }
}

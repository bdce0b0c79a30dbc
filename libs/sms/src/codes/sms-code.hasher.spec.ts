import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SmsCodeHasher } from './sms-code.hasher.js';
import type { SmsCodeKey } from './store/sms-code.store.js';

const key: SmsCodeKey = {
  environment: 'tenant-a',
  phone: '+4512345678',
  purpose: 'two-factor',
};

describe('SmsCodeHasher', () => {
  const hasher = new SmsCodeHasher(randomBytes(32));

  it('stores a 256-bit keyed hash that does not contain the code', () => {
    const hash = hasher.hash(key, '482913');

    expect(Buffer.from(hash, 'base64url')).toHaveLength(32);
    expect(hash).not.toContain('482913');
    expect(hasher.matches(key, '482913', hash)).toBe(true);
  });

  it('binds the code to its environment, number and purpose', () => {
    const hash = hasher.hash(key, '482913');
    const others: SmsCodeKey[] = [
      { ...key, environment: null },
      { ...key, environment: 'tenant-b' },
      { ...key, phone: '+4512345679' },
      { ...key, purpose: 'passwordless-login' },
    ];

    for (const other of others)
      expect(hasher.matches(other, '482913', hash)).toBe(false);
    expect(hasher.matches(key, '482914', hash)).toBe(false);
  });

  it('depends on the key: the same code under another key does not match', () => {
    const hash = hasher.hash(key, '482913');

    expect(
      new SmsCodeHasher(randomBytes(32)).matches(key, '482913', hash),
    ).toBe(false);
  });

  it('answers false, without throwing, for a stored value that is not a hash', () => {
    expect(hasher.matches(key, '482913', '')).toBe(false);
    expect(hasher.matches(key, '482913', 'not-a-hash')).toBe(false);
  });
});

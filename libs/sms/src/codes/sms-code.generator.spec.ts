import { describe, expect, it } from 'vitest';
import { SMS_CODE_UNAMBIGUOUS_ALPHABET } from './options/sms-code.defaults.js';
import { generateSmsCode } from './sms-code.generator.js';

describe('generateSmsCode', () => {
  it('draws codes of the given length from the alphabet only, and uses all of it', () => {
    const codes = Array.from({ length: 500 }, () =>
      generateSmsCode(SMS_CODE_UNAMBIGUOUS_ALPHABET, 8),
    );

    for (const code of codes)
      expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
    expect(new Set(codes.join(''))).toEqual(
      new Set(SMS_CODE_UNAMBIGUOUS_ALPHABET),
    );
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keeps leading zeros of digit codes', () => {
    const codes = Array.from({ length: 2000 }, () =>
      generateSmsCode('0123456789', 6),
    );

    expect(codes.every((code) => /^\d{6}$/.test(code))).toBe(true);
    expect(codes.some((code) => code.startsWith('0'))).toBe(true);
  });

  it('has no look-alike characters in the unambiguous alphabet', () => {
    expect(SMS_CODE_UNAMBIGUOUS_ALPHABET).not.toMatch(/[0O1IL5S8B2Z]/);
  });
});

import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random lower-case alphanumeric id, like the message ids Smstools gives. */
export function randomAlphanumericId(length: number): string {
  // 252 is the largest multiple of 36 below 256: skipping bytes from 252 up keeps the characters
  // equally likely.
  let id = '';
  while (id.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 252 && id.length < length)
        id += ALPHABET[byte % ALPHABET.length];
    }
  }
  return id;
}

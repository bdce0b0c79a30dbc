import { randomBytes } from 'node:crypto';

/** The number of random bytes in a generated API key. */
const API_KEY_BYTES = 32;

/** A new random API key: 32 random bytes, base64url (43 characters). */
export function generateApiKey(): string {
  return randomBytes(API_KEY_BYTES).toString('base64url');
}

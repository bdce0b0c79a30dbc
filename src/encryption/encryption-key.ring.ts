import { createHash } from 'node:crypto';
import { StoreConfigurationError } from '../database/store.errors.js';

/** AES-256 needs 32 bytes of key. */
export const ENCRYPTION_KEY_BYTES = 32;

/** One AES-256 key and its id. */
export interface EncryptionKey {
  /** The first 8 hex digits of the key's SHA-256: stored beside each record, never secret. */
  id: string;
  key: Buffer;
}

/**
 * The keys that protect environment secrets at rest: one encrypts, every one decrypts. Rotating a
 * key means configuring the new one as current and keeping the old one among the previous keys
 * until every record has been written again.
 */
export interface EncryptionKeyRing {
  current: EncryptionKey;
  /** Keys that are only used to decrypt records written before a rotation. */
  previous: EncryptionKey[];
}

/** The key id: the first 8 hex digits of the key's SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Reads a base64 key of 32 bytes.
 *
 * @param configKey the configuration key the value came from, named in the error
 * @throws StoreConfigurationError when the value is not base64 of exactly 32 bytes (the value itself is never shown)
 */
export function parseEncryptionKey(
  value: string,
  configKey: string,
): EncryptionKey {
  const text = value.trim();
  const key = Buffer.from(text, 'base64');
  // Buffer.from ignores characters that are not base64; a round trip catches them.
  const canonical = (s: string) =>
    s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (
    key.length !== ENCRYPTION_KEY_BYTES ||
    canonical(key.toString('base64')) !== canonical(text)
  ) {
    throw new StoreConfigurationError(
      configKey,
      `The value must be base64 of ${ENCRYPTION_KEY_BYTES} random bytes (for example the output of "openssl rand -base64 32").`,
    );
  }
  return { id: keyIdOf(key), key };
}

/** Builds a key ring, leaving out previous keys that repeat the current one or each other. */
export function createEncryptionKeyRing(
  current: EncryptionKey,
  previous: EncryptionKey[] = [],
): EncryptionKeyRing {
  const seen = new Set([current.id]);
  const unique = previous.filter(
    (key) => !seen.has(key.id) && seen.add(key.id),
  );
  return { current, previous: unique };
}

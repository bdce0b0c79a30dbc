import { hkdfSync } from 'node:crypto';

/**
 * A 32-byte key for one purpose, derived from the service's encryption key with HKDF-SHA256 under
 * `label`: instances sharing the encryption key share it too, and the encryption key itself never
 * serves two purposes. A new label gives a new key.
 */
export function derivePurposeKey(encryptionKey: Buffer, label: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', encryptionKey, Buffer.alloc(0), label, 32),
  );
}

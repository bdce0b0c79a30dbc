import { derivePurposeKey } from '../encryption/purpose-key.js';

const LABEL = 'nest-sms/messages/v1';

/**
 * The key of message records (the phone-number HMAC and the delivery report tokens), derived from
 * the service's encryption key with HKDF-SHA256, so that instances sharing the encryption key share
 * it too. Rotating the encryption key voids the tokens of reports still to come, and lookups by
 * number of older records.
 */
export function deriveMessageKey(encryptionKey: Buffer): Buffer {
  return derivePurposeKey(encryptionKey, LABEL);
}

import { derivePurposeKey } from '../encryption/purpose-key.js';

// A new label gives a new key: codes live for minutes, so changing it only voids the live ones.
const LABEL = 'nest-sms/sms-code-hash/v1';

/**
 * The key of the codes' HMAC, derived from the service's encryption key with HKDF-SHA256, so that
 * instances sharing the encryption key share it too and the encryption key itself is never used for
 * two purposes. Rotating the encryption key voids the codes that are live at that moment.
 *
 * @returns base64 of 32 bytes, as `SmsCodeModuleOptions.hashKey` takes it
 */
export function deriveSmsCodeHashKey(encryptionKey: Buffer): string {
  return derivePurposeKey(encryptionKey, LABEL).toString('base64');
}

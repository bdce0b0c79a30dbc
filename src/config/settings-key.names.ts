import { SMS_CODES_SETTINGS_KEY_NAMES } from '../codes/sms-codes.settings.js';
import { MESSAGES_SETTINGS_KEY_NAMES } from '../messages/messages.settings.js';
/**
 * Every key the service knows under `Settings`, spelled as documented. Keys are matched without
 * regard to case, and a key given in another case is read as its documented spelling.
 */
export const SETTINGS_KEY_NAMES = [
  'Settings',
  // Settings:Sms, as in the user's document
  'Sms',
  'Type',
  'FromName',
  'ApiUrl',
  'Parameters',
  'Name',
  'Value',
  'ClientId',
  'ClientSecret',
  'Label',
  'CertificatePemCrt',
  'CertificatePemKey',
  'Fallback',
  // Settings:Api
  'Api',
  'Keys',
  'Key',
  'Scopes',
  'Environments',
  'TestSendLimitPerPhone',
  'TestSendLimitPerKey',
  'TestSendWindowSeconds',
  // Settings:Store
  'Store',
  'Url',
  // Settings:Security
  'Security',
  'EncryptionKey',
  'PreviousEncryptionKeys',
  'AllowPrivateNetworkUrls',
  // Settings:Http
  'Http',
  'TimeoutSeconds',
  'Retries',
  'ExtraCaCertificatesFile',
  // Settings:Sandbox
  'Sandbox',
  'Enabled',
  'Host',
  'Port',
  'DataDir',
  // Settings:Logging
  'Logging',
  'Format',
  'Level',
  // Settings:Metrics
  'Metrics',
  // Settings:Codes
  ...SMS_CODES_SETTINGS_KEY_NAMES,
  // Settings:DeliveryReports, Settings:Messages
  ...MESSAGES_SETTINGS_KEY_NAMES,
] as const;

const BY_LOWER_CASE = new Map<string, string>(
  SETTINGS_KEY_NAMES.map((name) => [name.toLowerCase(), name]),
);

/** Why a key under `Settings` is refused when the service does not know it. */
export const UNKNOWN_SETTINGS_KEY_MESSAGE =
  'This key is not known; check its spelling against the documented keys.';

/** The documented spelling of a key, or the key as given when the service does not know it. */
export function canonicalSettingsKey(key: string): string {
  return BY_LOWER_CASE.get(key.toLowerCase()) ?? key;
}

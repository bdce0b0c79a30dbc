import { readFile } from 'node:fs/promises';
import type { SmsModuleOptions, SmsSettingsSource } from '@app/sms';
import type { HttpConfig, ServiceConfig } from './service-config.interface.js';

/**
 * The SMS module's options from the configuration: `Settings:Sms` as the site settings, the timeout
 * in milliseconds, the content of the extra CA file, and where environments' own settings come from.
 */
export async function createSmsModuleOptions(
  sms: ServiceConfig['sms'],
  http: HttpConfig,
  settingsSource?: SmsSettingsSource,
): Promise<SmsModuleOptions> {
  const caFile = http.extraCaCertificatesFile;
  return {
    settings: sms,
    settingsSource,
    timeoutMs: Math.round(http.timeoutSeconds * 1000),
    extraCaCertificates: caFile ? await readFile(caFile, 'utf8') : undefined,
  };
}

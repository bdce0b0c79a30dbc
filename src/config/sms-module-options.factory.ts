import { readFile } from 'node:fs/promises';
import type { SmsModuleOptions } from '@app/sms';
import type { HttpConfig, ServiceConfig } from './service-config.interface.js';

/**
 * The SMS module's options from the configuration: `Settings:Sms` as the site settings, the timeout
 * in milliseconds, and the content of the extra CA file.
 */
export async function createSmsModuleOptions(
  sms: ServiceConfig['sms'],
  http: HttpConfig,
): Promise<SmsModuleOptions> {
  const caFile = http.extraCaCertificatesFile;
  return {
    settings: sms,
    timeoutMs: Math.round(http.timeoutSeconds * 1000),
    extraCaCertificates: caFile ? await readFile(caFile, 'utf8') : undefined,
  };
}

import type { ConfigService } from '@nestjs/config';
import { SmsNotConfiguredError, type SmsSettingsSource } from '@app/sms';
import type { SmsCodeModuleOptions } from '@app/sms/codes/index.js';
import type { StoreConfig } from '../config/service-config.interface.js';
import {
  resolveEncryptionKeyRing,
  type StoreSecurityConfig,
} from '../encryption/encryption-key.provider.js';
import { deriveSmsCodeHashKey } from './sms-code-hash-key.js';
import { createSmsCodeStore } from './store/sms-code-store.factory.js';
import type { SmsCodesConfig } from './sms-codes.settings.js';

/**
 * The code module's options from the configuration: the store beside the environment settings
 * (`Settings:Store:Url`), a hash key derived from `Settings:Security:EncryptionKey`, and
 * `Settings:Codes` when the configuration has that section.
 */
export async function createSmsCodeModuleOptions(
  config: ConfigService,
  environments: SmsSettingsSource,
): Promise<SmsCodeModuleOptions> {
  const store = config.getOrThrow<StoreConfig>('store');
  const keyRing = resolveEncryptionKeyRing(
    store,
    config.get<StoreSecurityConfig>('security') ?? {},
  );
  const { companyName, ...codes } = config.get<SmsCodesConfig>('codes') ?? {};
  const site = config.get<{ FromName?: unknown }>('sms');
  return {
    ...codes,
    hashKey: deriveSmsCodeHashKey(keyRing.current.key),
    companyName:
      companyName ??
      companyNameFromSettings(
        environments,
        typeof site?.FromName === 'string' ? site.FromName : undefined,
      ),
    store: await createSmsCodeStore(store.url),
  };
}

/**
 * The sender name as the company name: the environment's own settings' `fromName`, else the site's
 * `FromName`, as a send would pick the settings.
 */
export function companyNameFromSettings(
  environments: SmsSettingsSource,
  siteFromName: string | undefined,
): (environment: string | null) => Promise<string> {
  return async (environment) => {
    const own =
      environment === null ? undefined : await environments.get(environment);
    const name = own?.fromName ?? siteFromName;
    if (name === undefined) throw new SmsNotConfiguredError(environment);
    return name;
  };
}

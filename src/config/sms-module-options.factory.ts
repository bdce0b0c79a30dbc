import { readFile } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import type {
  SmsMessagesOptions,
  SmsModuleOptions,
  SmsOptionsFactory,
  SmsSettingsSource,
} from '@app/sms';
import { isPrivateNetworkAddress } from '../environments/private-network.block-list.js';
import { EnvironmentSettingsStore } from '../environments/store/environment-settings.store.js';
import { SMS_MESSAGES_OPTIONS } from '../messages/store/message-record-store.module.js';
import { serviceConfigToken } from './service-config.namespaces.js';
import type {
  HttpConfig,
  SecurityConfig,
  ServiceConfig,
} from './service-config.interface.js';

/** What the SMS module's options are built from. */
export interface SmsModuleOptionsSources {
  /** `Settings:Sms`, the site settings. */
  sms: ServiceConfig['sms'];
  /** `Settings:Http`: timeout, retries, transport and the extra CA file. */
  http: HttpConfig;
  /** `Settings:Security`: whether environments may reach private network addresses. */
  security: SecurityConfig;
  /** Where environments' own settings come from. */
  settingsSource?: SmsSettingsSource;
  /** Where message records go and how delivery reports are asked for. */
  messages?: SmsMessagesOptions;
}

/**
 * The SMS module's options from the configuration: `Settings:Sms` as the site settings, the timeout
 * in milliseconds, the content of the extra CA file, where environments' own settings come from, and,
 * unless `Settings:Security:AllowPrivateNetworkUrls`, a policy that keeps environments' sends off
 * loopback, private and link-local addresses (checked on every connection, not only when the
 * settings are stored), and where message records go and delivery reports are asked for.
 */
export async function createSmsModuleOptions({
  sms,
  http,
  security,
  settingsSource,
  messages,
}: SmsModuleOptionsSources): Promise<SmsModuleOptions> {
  const caFile = http.extraCaCertificatesFile;
  return {
    settings: sms,
    settingsSource,
    messages,
    timeoutMs: Math.round(http.timeoutSeconds * 1000),
    retries: http.retries,
    transport: http.transport,
    extraCaCertificates: caFile ? await readFile(caFile, 'utf8') : undefined,
    environmentAddressPolicy: security.allowPrivateNetworkUrls
      ? undefined
      : (address) => !isPrivateNetworkAddress(address),
  };
}

/**
 * The service's `SmsModule.forRootAsync({ useClass })` factory: the configuration sections, the
 * store of environment settings and the message options, handed to {@link createSmsModuleOptions}.
 */
@Injectable()
export class ServiceSmsOptionsFactory implements SmsOptionsFactory {
  constructor(
    @Inject(serviceConfigToken('sms'))
    private readonly sms: ServiceConfig['sms'],
    @Inject(serviceConfigToken('http')) private readonly http: HttpConfig,
    @Inject(serviceConfigToken('security'))
    private readonly security: SecurityConfig,
    private readonly settingsSource: EnvironmentSettingsStore,
    @Inject(SMS_MESSAGES_OPTIONS)
    private readonly messages: SmsMessagesOptions,
  ) {}

  /** The SMS module's options from the injected sources. */
  createSmsOptions(): Promise<SmsModuleOptions> {
    return createSmsModuleOptions({
      sms: this.sms,
      http: this.http,
      security: this.security,
      settingsSource: this.settingsSource,
      messages: this.messages,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { SMS_SITE_SETTINGS } from '../sms.constants.js';
import { SmsSettingsSource } from './sms-settings.source.js';
import type {
  SmsSettings,
  SmsSettingsOrigin,
} from './sms-settings.interface.js';
import type { ValidatedSmsSettings } from './sms-settings.validator.js';
import { SmsNotConfiguredError } from '../errors/sms-not-configured.error.js';

/** The settings that apply to one send, and where they came from. */
export interface ResolvedSmsSettings {
  settings: SmsSettings;
  source: SmsSettingsOrigin;
  environment: string | null;
}

/**
 * Picks the settings of a send: the environment's own settings as a whole when it has them, else the
 * site's. Fields are never merged across the two levels.
 */
@Injectable()
export class SmsSettingsResolver {
  constructor(
    @Inject(SMS_SITE_SETTINGS)
    private readonly site: ValidatedSmsSettings | undefined,
    private readonly source: SmsSettingsSource,
  ) {}

  /** @throws SmsNotConfiguredError when neither the environment nor the site has settings. */
  async resolve(environment: string | null): Promise<ResolvedSmsSettings> {
    if (environment) {
      const own = await this.source.get(environment);
      if (own) return { settings: own, source: 'environment', environment };
    }
    if (this.site)
      return { settings: this.site.settings, source: 'site', environment };
    throw new SmsNotConfiguredError(environment);
  }
}

/** The API URL without its query string or fragment: query parameters are never logged. */
export function urlForLog(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '[invalid url]';
  }
}

/** `source=site` or `source=environment:<name>`, as log lines name the settings in use. */
export function sourceForLog(resolved: ResolvedSmsSettings): string {
  return resolved.source === 'environment'
    ? `source=environment:${resolved.environment}`
    : 'source=site';
}

import type { SmsSettings } from './sms-settings.interface.js';
import type { ValidatedSmsSettings } from './sms-settings.validator.js';

/**
 * Where environments' own SMS settings come from. The library ships {@link InMemorySmsSettingsSource};
 * a host brings a persistent one (a database) through the module option `settingsSource`.
 *
 * Implementations return settings that were validated when they were stored, and may cache them;
 * returning the same object until the settings change lets the library reuse what it prepared for
 * them (parsed certificates, HTTPS agents).
 */
export abstract class SmsSettingsSource {
  /** The environment's own settings, or undefined when it has none. */
  abstract get(environment: string): Promise<SmsSettings | undefined>;
}

/** Environment settings kept in memory: for tests, single-instance hosts and settings set in code. */
export class InMemorySmsSettingsSource extends SmsSettingsSource {
  private readonly settings = new Map<string, SmsSettings>();

  override async get(environment: string): Promise<SmsSettings | undefined> {
    return this.settings.get(environment);
  }

  /**
   * Sets (replaces) an environment's settings. Validate them first with `parseEnvironmentSmsSettings`,
   * whose result it takes as it is: `source.set('acme', parseEnvironmentSmsSettings(body))`.
   */
  set(environment: string, settings: SmsSettings | ValidatedSmsSettings): void {
    const own = isValidated(settings) ? settings.settings : settings;
    this.settings.set(environment, Object.freeze({ ...own }));
  }

  /** Removes an environment's settings; true when it had some. */
  delete(environment: string): boolean {
    return this.settings.delete(environment);
  }
}

function isValidated(
  settings: SmsSettings | ValidatedSmsSettings,
): settings is ValidatedSmsSettings {
  return 'warnings' in settings && 'settings' in settings;
}

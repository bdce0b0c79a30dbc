import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  BUILT_IN_SMS_PROVIDER_TYPES,
  maskSmsSettings,
  parseEnvironmentSmsSettings,
  REDACTED,
  SmsProviderRegistry,
  SmsSettingsError,
  unmaskSmsSettings,
  type MaskedSmsSettings,
  type SmsProvider,
  type SmsSettingsProblem,
  type ValidatedSmsSettings,
} from '@app/sms';
import { EnvironmentSettingsStore } from './store/environment-settings.store.js';
import { OutboundUrlPolicy } from './outbound-url.policy.js';

/** What putting an environment's settings did. */
export interface PutEnvironmentSmsSettingsResult {
  /** True when the environment had no settings before. */
  created: boolean;
  /** The settings as stored, masked. */
  settings: MaskedSmsSettings;
}

/**
 * Sets, reads and removes environments' own SMS settings: validates them as `providers.md` says,
 * keeps their provider URL off the service's own network, stores them, and shows them masked.
 */
@Injectable()
export class EnvironmentSettingsService {
  private readonly logger = new Logger('EnvironmentSettings');

  constructor(
    private readonly store: EnvironmentSettingsStore,
    private readonly urlPolicy: OutboundUrlPolicy,
    // Present when the SmsModule is global: custom provider types become valid settings types.
    @Optional() private readonly registry?: SmsProviderRegistry,
  ) {}

  /**
   * Validates and stores the environment's settings, replacing any it had as a whole. A masked
   * value of the masked view sent back (an `apiUrl` query or a parameter value with `[redacted]`)
   * keeps the stored value it stands for. The log line names the API key that made the change
   * (`changedBy`, its configured `Name`).
   *
   * @throws SmsSettingsError listing every failing field (paths such as `clientSecret`, `parameters[0].name`)
   */
  async put(
    environment: string,
    input: unknown,
    changedBy?: string,
  ): Promise<PutEnvironmentSmsSettingsResult> {
    // The stored settings are read only for a body that sends masked values back.
    const stored = JSON.stringify(input ?? null).includes(REDACTED)
      ? await this.store.get(environment)
      : undefined;
    const unmasked = unmaskSmsSettings(input, stored);
    const problems: SmsSettingsProblem[] = [...unmasked.problems];
    let validated: ValidatedSmsSettings | undefined;
    try {
      validated = parseEnvironmentSmsSettings(unmasked.input, {
        customProviders: this.customProviders(),
      });
    } catch (error) {
      if (!(error instanceof SmsSettingsError)) throw error;
      problems.push(...error.problems);
    }
    problems.push(...(await this.urlProblems(unmasked.input, problems)));
    if (problems.length > 0 || !validated) throw new SmsSettingsError(problems);

    const { settings } = validated;
    const { created } = await this.store.put(environment, settings);
    this.logger.log(
      `SMS settings of environment ${environment} ${created ? 'created' : 'replaced'}${byKey(changedBy)}: provider=${settings.type} url=${urlForLog(settings.apiUrl)}${settings.fallback ? ` fallback=${settings.fallback.type} fallbackUrl=${urlForLog(settings.fallback.apiUrl)}` : ''}`,
    );
    return { created, settings: maskSmsSettings(settings) };
  }

  /** The environment's settings, masked, or undefined when it has none. */
  async get(environment: string): Promise<MaskedSmsSettings | undefined> {
    const settings = await this.store.get(environment);
    return settings && maskSmsSettings(settings);
  }

  /**
   * Removes the environment's settings (the site's apply again); true when it had some. The log
   * line names the API key that removed them (`changedBy`, its configured `Name`).
   */
  async delete(environment: string, changedBy?: string): Promise<boolean> {
    const deleted = await this.store.delete(environment);
    if (deleted)
      this.logger.log(
        `SMS settings of environment ${environment} deleted${byKey(changedBy)}`,
      );
    return deleted;
  }

  /**
   * The outbound URL policy's problems with the API URLs of the primary and of its fallback, each
   * checked unless the validation already found its URL at fault.
   */
  private async urlProblems(
    input: unknown,
    found: readonly SmsSettingsProblem[],
  ): Promise<SmsSettingsProblem[]> {
    const fallback = (input as { fallback?: unknown } | null)?.fallback;
    const urls = [
      { path: 'apiUrl', url: readApiUrl(input) },
      { path: 'fallback.apiUrl', url: readApiUrl(fallback) },
    ];
    const problems: SmsSettingsProblem[] = [];
    for (const { path, url } of urls) {
      if (url === undefined || found.some((problem) => problem.path === path))
        continue;
      const problem = await this.urlPolicy.check(url, path);
      if (problem) problems.push(problem);
    }
    return problems;
  }

  private customProviders(): SmsProvider[] {
    if (!this.registry) return [];
    const builtIn: readonly string[] = BUILT_IN_SMS_PROVIDER_TYPES;
    return this.registry
      .types()
      .filter((type) => !builtIn.includes(type))
      .map((type) => this.registry!.get(type));
  }
}

/** Who made a change, for its log line: the API key's `Name`, never the key. */
function byKey(changedBy: string | undefined): string {
  return changedBy === undefined ? '' : ` by API key ${changedBy}`;
}

function readApiUrl(input: unknown): string | undefined {
  const value = (input as { apiUrl?: unknown } | null)?.apiUrl;
  return typeof value === 'string' ? value.trim() : undefined;
}

/** The URL without query string or fragment: a query may carry a credential. */
function urlForLog(apiUrl: string): string {
  const url = new URL(apiUrl);
  return `${url.origin}${url.pathname}`;
}

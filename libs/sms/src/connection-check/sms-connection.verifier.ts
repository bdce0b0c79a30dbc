import type { SecureContext } from 'node:tls';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SmsEnvironmentContext } from '../environment/sms-environment.context.js';
import {
  sourceForLog,
  urlForLog,
  SmsSettingsResolver,
  type ResolvedSmsSettings,
} from '../settings/sms-settings.resolver.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { DEFAULT_SMS_TIMEOUT_MS } from '../sms.constants.js';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import { elapsedMs } from '../sms.timing.js';
import {
  hostOf,
  type SmsAddressPolicy,
} from '../transport/address-policy.lookup.js';
import {
  createTlsContext,
  trustedCertificateAuthorities,
} from '../transport/tls-context.factory.js';
import { ConnectionCheckRun } from './connection-check.run.js';
import type { SmsConnectionReport } from './sms-connection-report.interface.js';

/**
 * Checks the effective SMS settings of the site or an environment without sending an SMS: resolves
 * the provider's host (held to the environment address policy for environment settings), opens a
 * TCP connection, completes the TLS handshake with the same trust and, for Telia, the same client
 * certificate as a send, and checks the server's and the client's certificates. No HTTP request is
 * written. Each step reports its result and duration; the whole check takes at most the module's
 * `timeoutMs`, and its connection is closed before it returns. Settings with a fallback provider
 * have it checked too, at the same time, and reported under `fallback`.
 */
@Injectable()
export class SmsConnectionVerifier {
  private readonly logger = new Logger('SmsConnectionVerifier');
  private readonly timeoutMs: number;
  private readonly ca: string[] | undefined;
  private readonly addressPolicy?: SmsAddressPolicy;
  private serverTrust?: SecureContext;

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly resolver: SmsSettingsResolver,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
    this.ca = trustedCertificateAuthorities(options.extraCaCertificates);
    this.addressPolicy = options.environmentAddressPolicy;
  }

  /**
   * Checks the settings that a send for `environment` would use.
   *
   * @param environment the environment; by default the current one of `SmsEnvironmentContext`,
   *   else the site
   * @throws SmsNotConfiguredError when neither the environment nor the site has settings
   */
  async verify(
    environment: string | null = SmsEnvironmentContext.current() ?? null,
  ): Promise<SmsConnectionReport> {
    const resolved = await this.resolver.resolve(environment);
    const deadline = performance.now() + this.timeoutMs;
    const { fallback } = resolved.settings;
    // Both checks run at once, so that the whole verify stays within one timeout.
    const [report, fallbackReport] = await Promise.all([
      this.check(resolved, deadline),
      fallback && this.check({ ...resolved, settings: fallback }, deadline),
    ]);
    return fallbackReport ? { ...report, fallback: fallbackReport } : report;
  }

  /** Checks one provider of the settings (the primary, or the fallback) and logs the outcome. */
  private async check(
    resolved: ResolvedSmsSettings,
    deadline: number,
  ): Promise<SmsConnectionReport> {
    const { settings } = resolved;
    const started = performance.now();
    const url = new URL(settings.apiUrl);
    const port = Number(url.port || 443);
    const run = new ConnectionCheckRun({
      settings,
      target: { ...hostOf(url), port },
      policy:
        resolved.source === 'environment' ? this.addressPolicy : undefined,
      deadline,
      secureContext: () => this.contextFor(settings),
    });
    await run.runSteps();
    const report: SmsConnectionReport = {
      ok: run.ok,
      provider: settings.type,
      source: resolved.source,
      environment: resolved.environment,
      target: `${url.hostname}:${port}`,
      steps: run.steps,
      durationMs: elapsedMs(started),
    };
    this.logger.log(
      `SMS connection verified: provider=${settings.type} url=${urlForLog(settings.apiUrl)} ${sourceForLog(resolved)} ok=${report.ok} steps=${report.steps.map((step) => `${step.name}:${step.result}`).join(',')} durationMs=${report.durationMs}`,
    );
    return report;
  }

  /** The TLS context of a send with these settings: the same trust, and Telia's certificate. */
  private contextFor(settings: SmsSettings): SecureContext {
    if (settings.certificatePemCrt !== undefined) {
      return createTlsContext({
        ca: this.ca,
        clientCertificate: {
          certificatePem: settings.certificatePemCrt,
          privateKeyPem: settings.certificatePemKey ?? '',
        },
      });
    }
    this.serverTrust ??= createTlsContext({ ca: this.ca });
    return this.serverTrust;
  }
}

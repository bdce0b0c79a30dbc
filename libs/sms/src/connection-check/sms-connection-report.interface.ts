import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type { SmsSettingsOrigin } from '../settings/sms-settings.interface.js';

/** The steps of a connection check, in the order they run. */
export type SmsConnectionStepName =
  'dns' | 'tcp' | 'tls' | 'serverCertificate' | 'clientCertificate';

/** One step of a connection check and what came of it. */
export interface SmsConnectionStep {
  /** The step: `dns`, `tcp`, `tls`, `serverCertificate` or `clientCertificate`. */
  name: SmsConnectionStepName;
  /** `skipped` when an earlier step failed, or when the step does not apply to the provider. */
  result: 'ok' | 'failed' | 'skipped';
  /** How long the step took, in milliseconds; 0 when skipped. */
  durationMs: number;
  /** What the step found, or why it failed, in one sentence. */
  detail: string;
  /** `dns`: the addresses the host resolved to; `tcp`: the address connected to. */
  addresses?: string[];
  /** `tls`: the protocol agreed, e.g. `TLSv1.3`. */
  protocol?: string;
  /** `serverCertificate` and `clientCertificate`: the certificate checked. */
  certificate?: SmsCertificateInfo;
}

/** The outcome of `SmsConnectionVerifier.verify`: nothing was sent to the provider. */
export interface SmsConnectionReport {
  /** True when no step failed. */
  ok: boolean;
  /** The provider type of the settings checked. */
  provider: string;
  /** Whether the environment's own settings or the site's were checked. */
  source: SmsSettingsOrigin;
  /** The environment the check was made for, or null. */
  environment: string | null;
  /** The provider's host and port, e.g. `gatewayapi.eu:443`. */
  target: string;
  /** Every step, in order. */
  steps: SmsConnectionStep[];
  /** How long the whole check took, in milliseconds. */
  durationMs: number;
  /**
   * The same check of the settings' fallback provider; absent when they have none. `ok` above
   * speaks of the primary only.
   */
  fallback?: SmsConnectionReport;
}

import { Inject, Injectable } from '@nestjs/common';
import { parseSiteSmsSettings, type SmsCertificateInfo } from '@app/sms';
import type { ServiceConfig } from '../config/service-config.interface.js';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import {
  HealthIndicator,
  type HealthIndicatorResult,
} from './health-indicator.js';

/** A client certificate this close to its end makes the service degraded. */
export const CERTIFICATE_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** One provider of the site settings: its type and its client certificate, if any. */
interface SiteProvider {
  provider: string;
  certificate?: SmsCertificateInfo;
}

/**
 * Reports the site's SMS provider type and, for Telia, when its client certificate expires:
 * degraded within {@link CERTIFICATE_EXPIRY_WARNING_DAYS} days of the end, or after it. A site
 * fallback provider is reported the same way under `fallback`.
 */
@Injectable()
export class SmsHealthIndicator extends HealthIndicator {
  readonly name = 'sms';
  private readonly primary?: SiteProvider;
  private readonly fallback?: SiteProvider;

  constructor(@Inject(serviceConfigToken('sms')) sms: ServiceConfig['sms']) {
    super();
    // The configuration was validated at start-up: this only reads what it holds.
    const site = sms ? parseSiteSmsSettings(sms) : undefined;
    if (!site) return;
    this.primary = {
      provider: site.settings.type,
      certificate: site.certificate,
    };
    if (site.settings.fallback) {
      this.fallback = {
        provider: site.settings.fallback.type,
        certificate: site.fallbackCertificate,
      };
    }
  }

  /** The site providers' state at this moment. */
  async check(): Promise<HealthIndicatorResult> {
    if (!this.primary) return { status: 'ok', provider: null };
    const primary = providerReport(
      this.primary,
      'sends with the site settings',
    );
    const fallback =
      this.fallback &&
      providerReport(this.fallback, "sends through the site's fallback");
    const degraded = primary.degraded || fallback?.degraded === true;
    return {
      status: degraded ? 'degraded' : 'ok',
      ...primary.report,
      ...(fallback ? { fallback: fallback.report } : {}),
    };
  }
}

/** What health says of one provider, and whether its certificate makes the service degraded. */
function providerReport(
  { provider, certificate }: SiteProvider,
  failing: string,
): {
  degraded: boolean;
  report: Record<string, unknown>;
} {
  if (!certificate) return { degraded: false, report: { provider } };
  const { subject, validTo } = certificate;
  const daysLeft = Math.floor((Date.parse(validTo) - Date.now()) / DAY_MS);
  const expired = daysLeft < 0;
  const degraded = daysLeft < CERTIFICATE_EXPIRY_WARNING_DAYS;
  return {
    degraded,
    report: {
      provider,
      certificate: {
        subject,
        validTo,
        daysLeft,
        ...(degraded
          ? {
              problem: expired
                ? `The client certificate expired on ${validTo}; ${failing} fail until it is replaced.`
                : `The client certificate expires on ${validTo}; replace it within ${daysLeft} days.`,
            }
          : {}),
      },
    },
  };
}

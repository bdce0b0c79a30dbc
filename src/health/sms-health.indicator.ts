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

/**
 * Reports the site's SMS provider type and, for Telia, when its client certificate expires:
 * degraded within {@link CERTIFICATE_EXPIRY_WARNING_DAYS} days of the end, or after it.
 */
@Injectable()
export class SmsHealthIndicator extends HealthIndicator {
  readonly name = 'sms';
  private readonly provider: string | null;
  private readonly certificate?: SmsCertificateInfo;

  constructor(@Inject(serviceConfigToken('sms')) sms: ServiceConfig['sms']) {
    super();
    // The configuration was validated at start-up: this only reads what it holds.
    const site = sms ? parseSiteSmsSettings(sms) : undefined;
    this.provider = site?.settings.type ?? null;
    this.certificate = site?.certificate;
  }

  /** The site provider's state at this moment. */
  async check(): Promise<HealthIndicatorResult> {
    if (!this.certificate) return { status: 'ok', provider: this.provider };
    const { subject, validTo } = this.certificate;
    const daysLeft = Math.floor((Date.parse(validTo) - Date.now()) / DAY_MS);
    const expired = daysLeft < 0;
    const degraded = daysLeft < CERTIFICATE_EXPIRY_WARNING_DAYS;
    return {
      status: degraded ? 'degraded' : 'ok',
      provider: this.provider,
      certificate: {
        subject,
        validTo,
        daysLeft,
        ...(degraded
          ? {
              problem: expired
                ? `The client certificate expired on ${validTo}; sends with the site settings fail until it is replaced.`
                : `The client certificate expires on ${validTo}; replace it within ${daysLeft} days.`,
            }
          : {}),
      },
    };
  }
}

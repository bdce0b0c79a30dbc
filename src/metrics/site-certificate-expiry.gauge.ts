import {
  Inject,
  Injectable,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { parseSiteSmsSettings } from '@app/sms';
import { Gauge, register } from 'prom-client';
import type { ServiceConfig } from '../config/service-config.interface.js';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import { SMS_METRIC_NAMES } from './sms.metrics.js';

/**
 * `sms_site_client_certificate_expiry_timestamp_seconds`: when the site's Telia client certificate
 * expires, as Unix seconds. Registered only when the site's provider has a client certificate, so
 * that no other service shows a meaningless zero.
 */
@Injectable()
export class SiteCertificateExpiryGauge
  implements OnModuleInit, OnModuleDestroy
{
  private gauge?: Gauge;

  constructor(
    @Inject(serviceConfigToken('sms'))
    private readonly sms: ServiceConfig['sms'],
  ) {}

  /** Registers the gauge with the certificate's end, when there is a certificate. */
  onModuleInit(): void {
    // The configuration was validated at start-up: this only reads what it holds.
    const certificate = this.sms
      ? parseSiteSmsSettings(this.sms).certificate
      : undefined;
    if (!certificate) return;
    const name = SMS_METRIC_NAMES.siteCertificateExpiry;
    register.removeSingleMetric(name);
    this.gauge = new Gauge({
      name,
      help: "When the site provider's client certificate expires, in Unix seconds.",
    });
    this.gauge.set(Date.parse(certificate.validTo) / 1000);
  }

  /** Unregisters the gauge: another application of the process may use the registry. */
  onModuleDestroy(): void {
    if (this.gauge)
      register.removeSingleMetric(SMS_METRIC_NAMES.siteCertificateExpiry);
  }
}

import { Global, Module } from '@nestjs/common';
import { getToken, PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetricsOnce } from './default-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { SiteCertificateExpiryGauge } from './site-certificate-expiry.gauge.js';
import { SmsEventsMetricsRecorder } from './sms-events.metrics-recorder.js';
import { SMS_METRIC_NAMES, smsMetricProviders } from './sms.metrics.js';

/** The injection token of `sms_test_sends_refused_total`, for the checks that refuse test sends. */
export const TEST_SENDS_REFUSED_METRIC = getToken(
  SMS_METRIC_NAMES.testSendsRefused,
);

/**
 * `GET /metrics` (`Settings:Metrics:Enabled`) and what it counts: the library's events, the
 * refused test sends, the site's client certificate expiry and prom-client's default metrics.
 * Global, so that the test-send guards find the refusal counter; absent when metrics are off.
 */
@Global()
@Module({
  imports: [
    PrometheusModule.register({
      controller: MetricsController,
      // Started once per process by collectDefaultMetricsOnce instead.
      defaultMetrics: { enabled: false },
    }),
  ],
  providers: [
    ...smsMetricProviders(),
    SmsEventsMetricsRecorder,
    SiteCertificateExpiryGauge,
  ],
  exports: [TEST_SENDS_REFUSED_METRIC],
})
export class MetricsModule {
  constructor() {
    collectDefaultMetricsOnce();
  }
}

import type { Provider } from '@nestjs/common';
import {
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';

/** The names of the service's metrics (fixed by the operations contract). */
export const SMS_METRIC_NAMES = {
  sends: 'sms_sends_total',
  sendDuration: 'sms_send_duration_seconds',
  providerRequests: 'sms_provider_requests_total',
  failovers: 'sms_failovers_total',
  deliveryReports: 'sms_delivery_reports_total',
  codesSent: 'sms_codes_sent_total',
  codesVerified: 'sms_codes_verified_total',
  testSendsRefused: 'sms_test_sends_refused_total',
  siteCertificateExpiry: 'sms_site_client_certificate_expiry_timestamp_seconds',
} as const;

/** Why a test send was refused before it reached the library. */
export type TestSendRefusalReason =
  'unauthorized' | 'limit_phone' | 'limit_key';

// From a fast answer to the longest exchange timeout's neighbourhood: sends wait on the network.
const SEND_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The counters and the histogram, as Nest providers (inject one with `@InjectMetric(name)`). Their
 * labels hold only bounded values: provider types, sources, outcomes, status classes, purposes.
 */
export function smsMetricProviders(): Provider[] {
  const n = SMS_METRIC_NAMES;
  return [
    makeCounterProvider({
      name: n.sends,
      help: 'SMS sends, by provider type, settings source (site or environment) and outcome.',
      labelNames: ['provider', 'source', 'outcome'],
    }),
    makeHistogramProvider({
      name: n.sendDuration,
      help: 'How long SMS sends took, retries included, in seconds.',
      labelNames: ['provider', 'outcome'],
      buckets: SEND_DURATION_BUCKETS,
    }),
    makeCounterProvider({
      name: n.providerRequests,
      help: 'Exchanges with SMS providers (each attempt), by provider type and result.',
      labelNames: ['provider', 'result'],
    }),
    makeCounterProvider({
      name: n.failovers,
      help: 'Sends that went to the fallback provider, by provider types and reason.',
      labelNames: ['from', 'to', 'reason'],
    }),
    makeCounterProvider({
      name: n.deliveryReports,
      help: 'Delivery reports applied to message records, by provider type and status.',
      labelNames: ['provider', 'status'],
    }),
    makeCounterProvider({
      name: n.codesSent,
      help: 'One-time codes sent, by purpose.',
      labelNames: ['purpose'],
    }),
    makeCounterProvider({
      name: n.codesVerified,
      help: 'One-time code checks, by purpose and result.',
      labelNames: ['purpose', 'result'],
    }),
    makeCounterProvider({
      name: n.testSendsRefused,
      help: 'Test sends refused before sending: no valid API key, or a test-send limit.',
      labelNames: ['reason'],
    }),
  ];
}

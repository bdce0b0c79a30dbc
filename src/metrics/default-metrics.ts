import { collectDefaultMetrics, register } from 'prom-client';

// One of the metrics prom-client's default collectors register.
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total';

/**
 * Gauges of prom-client's defaults whose names end in `_total`, which `promtool check metrics`
 * refuses for anything but a counter. Their per-type forms (`nodejs_active_handles{type}`...) stay,
 * and add up to the same figure.
 */
const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * Starts prom-client's default process and Node.js metrics, once per process: several
 * applications of one process (tests) share the default registry, which refuses a second set.
 */
export function collectDefaultMetricsOnce(): void {
  if (register.getSingleMetric(DEFAULT_METRIC_PROBE) !== undefined) return;
  collectDefaultMetrics();
  for (const name of MISNAMED_DEFAULT_GAUGES) register.removeSingleMetric(name);
}

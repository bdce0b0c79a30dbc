import { collectDefaultMetrics, register } from 'prom-client';

// One of the metrics prom-client's default collectors register.
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total';

/**
 * Starts prom-client's default process and Node.js metrics, once per process: several
 * applications of one process (tests) share the default registry, which refuses a second set.
 */
export function collectDefaultMetricsOnce(): void {
  if (register.getSingleMetric(DEFAULT_METRIC_PROBE) === undefined) {
    collectDefaultMetrics();
  }
}

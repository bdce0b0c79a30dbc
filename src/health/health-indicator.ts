/** Injection token of the list of {@link HealthIndicator}s that `GET /health` asks. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/** The state of one part of the service. */
export interface HealthIndicatorResult {
  /** `ok`, or `degraded` when the part works badly or will soon stop working. */
  status: 'ok' | 'degraded';
  /** Details that help an operator; never a secret or a phone number. */
  [detail: string]: unknown;
}

/**
 * One part of the service that `GET /health` reports on. Register more with
 * `HealthModule.forRoot({ indicators: [...] })`.
 */
export abstract class HealthIndicator {
  /** The key of this part in the health answer, e.g. `sms` or `store`. */
  abstract readonly name: string;

  /** Checks the part; a check that throws is reported as degraded. */
  abstract check(): Promise<HealthIndicatorResult>;
}

/** Injection token of the list of {@link HealthIndicator}s that `GET /health` asks. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

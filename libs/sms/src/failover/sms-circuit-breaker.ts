/** Default number of failover-eligible failures in a row that open a primary's circuit. */
export const DEFAULT_SMS_CIRCUIT_BREAKER_THRESHOLD = 5;

/** Default time a primary's circuit stays open before one send tries it again, in milliseconds. */
export const DEFAULT_SMS_CIRCUIT_BREAKER_COOLDOWN_MS = 30_000;

/** Options of {@link SmsCircuitBreaker}. */
export interface SmsCircuitBreakerOptions {
  /** Failover-eligible failures in a row that open the circuit. @default 5 */
  threshold?: number;
  /** How long the circuit stays open, in milliseconds. @default 30000 */
  cooldownMs?: number;
  /** The clock, in milliseconds. @default performance.now */
  now?: () => number;
}

/** One primary's circuit: its run of eligible failures, and since when it is open. */
interface CircuitState {
  failures: number;
  openedAt?: number;
  /** A send is trying the primary after the cool-off; the others still go to the fallback. */
  trial: boolean;
}

/**
 * The circuit of each primary provider that has a fallback, keyed by its settings object (an
 * environment's new settings are a new object, with a closed circuit) and held by this instance
 * only. `threshold` failover-eligible failures in a row open it; while open, sends skip the
 * primary; after `cooldownMs` one send tries the primary: a success closes the circuit, anything
 * else opens it again. A failure that does not fail over (it may have sent the message, or the
 * message was malformed) ends a run of eligible failures.
 */
export class SmsCircuitBreaker {
  private readonly states = new WeakMap<object, CircuitState>();
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: SmsCircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_SMS_CIRCUIT_BREAKER_THRESHOLD;
    this.cooldownMs =
      options.cooldownMs ?? DEFAULT_SMS_CIRCUIT_BREAKER_COOLDOWN_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** How long an open circuit stays open, in milliseconds. */
  get cooldown(): number {
    return this.cooldownMs;
  }

  /**
   * True when a send may try the primary: its circuit is closed, or open past its cool-off with no
   * trial under way (this send becomes the trial).
   */
  allows(primary: object): boolean {
    const state = this.states.get(primary);
    if (state?.openedAt === undefined) return true;
    if (state.trial || this.now() - state.openedAt < this.cooldownMs) {
      return false;
    }
    state.trial = true;
    return true;
  }

  /** The primary took a message: its circuit closes. True when it was open. */
  succeeded(primary: object): boolean {
    const wasOpen = this.states.get(primary)?.openedAt !== undefined;
    this.states.delete(primary);
    return wasOpen;
  }

  /**
   * The primary failed; `eligible` when the failure lets the send fail over. True when this
   * failure opened the circuit (again, after a failed trial).
   */
  failed(primary: object, eligible: boolean): boolean {
    let state = this.states.get(primary);
    if (!state) {
      state = { failures: 0, trial: false };
      this.states.set(primary, state);
    }
    if (state.trial || (eligible && state.failures + 1 >= this.threshold)) {
      Object.assign(state, { failures: 0, trial: false, openedAt: this.now() });
      return true;
    }
    state.failures = eligible ? state.failures + 1 : 0;
    return false;
  }
}

import type { SmsTransportFailureKind } from '../transport/sms-transport.error.js';

/** How many more times a send is tried by default. */
export const DEFAULT_SMS_RETRIES = 2;

/** The most retries that can be configured: each one waits, and all must fit in the timeout. */
export const MAX_SMS_RETRIES = 10;

// Telia's gateway recognises a repeated clientCorrelator, so a repeat of a message it may already
// have taken is not sent twice.
const IDEMPOTENT_PROVIDERS = new Set(['TeliaSmsGateway']);

// Telia's policy exception for "too many requests": the request was refused, nothing was sent.
const TELIA_RATE_LIMIT = 'POL3003';

/** One failed attempt of a send, as the retry policy judges it. */
export interface SmsAttemptFailure {
  /** The provider type, e.g. `GatewayApi`. */
  provider: string;
  /**
   * How the attempt failed: a transport failure kind, `refused` when the provider answered with a
   * failure, or `address-refused` when the environment address policy stopped it.
   */
  kind: SmsTransportFailureKind | 'refused' | 'address-refused';
  /** The provider's HTTP status, when it answered. */
  status?: number;
  /** The provider's own error code, when its answer could be read. */
  providerCode?: string;
  /** Whether the message may have reached the provider. */
  maybeSent: boolean;
  /** The provider's `Retry-After`, in seconds. */
  retryAfterSeconds?: number;
}

/** Whether to try again, and after how long; or why not. */
export type SmsRetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not-safe' | 'no-attempts-left' | 'no-time-left' };

/** Options of {@link SmsRetryPolicy}. */
export interface SmsRetryPolicyOptions {
  /** How many more attempts after the first. @default 2 */
  retries?: number;
  /** The backoff before the first retry; it doubles for each further one. @default 100 */
  baseDelayMs?: number;
  /** The longest backoff (a `Retry-After` may ask for longer). @default 2000 */
  maxDelayMs?: number;
  /** The least time an attempt must have left after the wait, else the send gives up. @default 100 */
  minAttemptMs?: number;
  /** A number in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
}

/**
 * Decides whether a failed send is tried again. Only a failure that certainly left nothing at the
 * provider and may pass later is retried: no connection (DNS, refused, TLS handshake), a 429, a
 * 503 with `Retry-After`, Telia's `POL3003`. A provider that refused the message for good (400,
 * 401, 403, 422) would refuse it again, and a failure that may have sent it (a timeout, a cut
 * connection, another 5xx) is never retried: the recipient would get a code twice. Telia SMS Gateway
 * is the exception: a repeat carries the same `clientCorrelator`, which its gateway deduplicates.
 *
 * The wait is an exponential backoff with jitter (half fixed, half random), at least the provider's
 * `Retry-After`, and it must leave time for another attempt within the send's budget.
 */
export class SmsRetryPolicy {
  /** How many more attempts after the first. */
  readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly minAttemptMs: number;
  private readonly random: () => number;

  constructor(options: SmsRetryPolicyOptions = {}) {
    this.retries = options.retries ?? DEFAULT_SMS_RETRIES;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 2_000;
    this.minAttemptMs = options.minAttemptMs ?? 100;
    this.random = options.random ?? Math.random;
  }

  /** True when trying the failed attempt again can neither send the message twice nor be futile. */
  isSafeToRetry(failure: SmsAttemptFailure): boolean {
    const idempotent = IDEMPOTENT_PROVIDERS.has(failure.provider);
    switch (failure.kind) {
      case 'dns':
      case 'connect':
      case 'tls':
        return !failure.maybeSent;
      case 'reset':
      case 'timeout':
        return !failure.maybeSent || idempotent;
      case 'refused':
        return refusalMayPass(failure, idempotent);
      default:
        // A redirect or an oversized answer comes back the same; a refused address stays refused.
        return false;
    }
  }

  /**
   * Whether to try again after the given failed attempt.
   *
   * @param attempt how many attempts were made, this one included (1 after the first)
   * @param remainingMs what is left of the send's time budget
   */
  decide(
    failure: SmsAttemptFailure,
    attempt: number,
    remainingMs: number,
  ): SmsRetryDecision {
    if (!this.isSafeToRetry(failure))
      return { retry: false, reason: 'not-safe' };
    if (attempt > this.retries) {
      return { retry: false, reason: 'no-attempts-left' };
    }
    const ceiling = Math.min(
      this.maxDelayMs,
      this.baseDelayMs * 2 ** (attempt - 1),
    );
    const backoff = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    const delayMs = Math.max(backoff, (failure.retryAfterSeconds ?? 0) * 1000);
    if (delayMs + this.minAttemptMs > remainingMs) {
      return { retry: false, reason: 'no-time-left' };
    }
    return { retry: true, delayMs };
  }
}

function refusalMayPass(
  failure: SmsAttemptFailure,
  idempotent: boolean,
): boolean {
  const { status, providerCode, retryAfterSeconds } = failure;
  if (status === 429) return true;
  if (status === 503 && retryAfterSeconds !== undefined) return true;
  if (idempotent && status === 403 && providerCode === TELIA_RATE_LIMIT) {
    return true;
  }
  return idempotent && failure.maybeSent;
}

import type { BuiltInSmsProviderType } from '@app/sms/sms.constants.js';

/** A failure that a magic destination number makes a provider endpoint answer with. */
export type SandboxMagicFailure =
  'server-error' | 'unavailable' | 'rate-limited';

/**
 * Destination numbers ending in these digits make every provider endpoint fail, so that operators
 * can try their error handling. Documented in `sandbox/README.md`.
 */
export const SANDBOX_MAGIC_NUMBER_SUFFIXES: Readonly<
  Record<string, SandboxMagicFailure>
> = {
  '0500': 'server-error',
  '0503': 'unavailable',
  '0429': 'rate-limited',
};

/** The HTTP status of each failure (Telia answers a rate limit with 403 POL3003 instead). */
export const SANDBOX_MAGIC_STATUS: Readonly<
  Record<SandboxMagicFailure, number>
> = {
  'server-error': 500,
  unavailable: 503,
  'rate-limited': 429,
};

/** Seconds in the `Retry-After` header of the failures that carry one. */
export const SANDBOX_RETRY_AFTER_SECONDS = 30;

/**
 * Destination numbers ending in these digits play an outage of one provider type: its endpoint
 * answers 503 with `Retry-After` (certainly not sent), the others take the message. With that type
 * as the primary and another as the fallback, a send fails over. Documented in `sandbox/README.md`.
 */
export const SANDBOX_OUTAGE_NUMBER_SUFFIXES: Readonly<
  Record<string, BuiltInSmsProviderType>
> = {
  '0601': 'GatewayApi',
  '0602': 'Smstools',
  '0603': 'TeliaSmsGateway',
  '0604': 'AccessUrl',
};

/**
 * The failure the first magic number among the destinations asks of this provider's endpoint, if
 * any: a failure of every endpoint, or the outage of this provider type.
 */
export function magicFailureOf(
  destinations: readonly string[],
  provider: BuiltInSmsProviderType,
): SandboxMagicFailure | undefined {
  for (const destination of destinations) {
    const suffix = destination.slice(-4);
    const failure = SANDBOX_MAGIC_NUMBER_SUFFIXES[suffix];
    if (failure) return failure;
    if (SANDBOX_OUTAGE_NUMBER_SUFFIXES[suffix] === provider)
      return 'unavailable';
  }
  return undefined;
}

/** `Retry-After` for the failures after which a retry is welcome; none for a server error. */
export function magicFailureHeaders(
  failure: SandboxMagicFailure,
): Record<string, string> {
  return failure === 'server-error'
    ? {}
    : { 'retry-after': String(SANDBOX_RETRY_AFTER_SECONDS) };
}

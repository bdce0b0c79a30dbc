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

/** The failure the first magic number among the destinations asks for, if any. */
export function magicFailureOf(
  destinations: readonly string[],
): SandboxMagicFailure | undefined {
  for (const destination of destinations) {
    const failure = SANDBOX_MAGIC_NUMBER_SUFFIXES[destination.slice(-4)];
    if (failure) return failure;
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

/**
 * The seconds a provider's `Retry-After` asks to wait: a number of seconds or an HTTP date.
 * Undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(text);
  return Number.isNaN(date)
    ? undefined
    : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** True when a provider's failure answer leaves open whether the message went out. */
export function maybeSentAfter(
  status: number,
  retryAfterSeconds: number | undefined,
): boolean {
  if (status >= 500)
    return !(status === 503 && retryAfterSeconds !== undefined);
  // A 2xx with an error body, a 3xx we do not follow, or a 4xx: the provider did not take it.
  return false;
}

/** The longest delay Node's timers accept, in milliseconds; a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Whole milliseconds since `started`, a `performance.now()` reading. */
export function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

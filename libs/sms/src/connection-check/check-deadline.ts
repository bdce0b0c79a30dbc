/** A step of a connection check ran out of time. */
export class StepTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Settles with the promise, or fails with a {@link StepTimeout} when the deadline passes first. */
export async function within<T>(
  promise: Promise<T>,
  deadline: number,
): Promise<T> {
  const ms = Math.max(0, Math.round(deadline - performance.now()));
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

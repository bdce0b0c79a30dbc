import { ServiceUnavailableException } from '@nestjs/common';
import {
  DRAIN_SETTLE_MS,
  DRAIN_TIMEOUT_MS,
  InFlightDrain,
} from './in-flight.drain.js';

/** A promise and the function that resolves it. */
function pending<T>(): { promise: Promise<T>; resolve(value: T): void } {
  const handle = {} as { promise: Promise<T>; resolve(value: T): void };
  handle.promise = new Promise<T>((resolve) => (handle.resolve = resolve));
  return handle;
}

describe('InFlightDrain', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for work in flight', async () => {
    const drain = new InFlightDrain();
    const send = pending<string>();
    const answer = drain.track(() => send.promise);
    let drained = false;
    const draining = drain.drain().then(() => (drained = true));

    await vi.advanceTimersByTimeAsync(DRAIN_TIMEOUT_MS - 1);
    expect(drained).toBe(false);
    send.resolve('sent');
    await draining;
    await expect(answer).resolves.toBe('sent');
  });

  it('refuses new work with 503 once draining has begun', async () => {
    const drain = new InFlightDrain();
    await drain.drain();

    expect(() => drain.track(() => Promise.resolve('late'))).toThrow(
      ServiceUnavailableException,
    );
  });

  it('stops waiting at the bound, then answers what is still running with 503', async () => {
    const drain = new InFlightDrain();
    const never = pending<string>();
    const answer = drain.track(() => never.promise);
    const outcome = answer.catch((error: unknown) => error);

    const draining = drain.drain();
    await vi.advanceTimersByTimeAsync(DRAIN_TIMEOUT_MS);
    await draining;
    const givingUp = drain.beforeApplicationShutdown();
    await vi.advanceTimersByTimeAsync(DRAIN_SETTLE_MS);
    await givingUp;

    expect(await outcome).toBeInstanceOf(ServiceUnavailableException);
  });

  it('lets work that ends while connections close answer for itself', async () => {
    const drain = new InFlightDrain();
    const cut = pending<string>();
    const answer = drain.track(() => cut.promise);

    const givingUp = drain.beforeApplicationShutdown();
    cut.resolve('maybe sent');
    await givingUp;

    await expect(answer).resolves.toBe('maybe sent');
  });
});

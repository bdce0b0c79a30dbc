import {
  Injectable,
  Logger,
  ServiceUnavailableException,
  type OnModuleDestroy,
} from '@nestjs/common';

/** How long shutdown waits for test sends that are still running. */
export const TEST_SEND_DRAIN_TIMEOUT_MS = 10_000;

/**
 * Keeps track of the test sends in flight, so that shutdown lets them finish (up to
 * {@link TEST_SEND_DRAIN_TIMEOUT_MS}) before the SMS module closes its connections: a message half
 * sent when the process stops may or may not reach the phone. Once shutdown has begun, new test
 * sends are refused with 503.
 */
@Injectable()
export class TestSendDrain implements OnModuleDestroy {
  private readonly logger = new Logger('TestSendDrain');
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;

  /**
   * Runs a send and tracks it until it settles.
   *
   * @throws ServiceUnavailableException when shutdown has begun
   */
  track<T>(send: () => Promise<T>): Promise<T> {
    if (this.closing) {
      throw new ServiceUnavailableException(
        'The service is shutting down; send again later.',
      );
    }
    const running = send();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    void running.then(forget, forget);
    return running;
  }

  /** Waits for the sends in flight, at most {@link TEST_SEND_DRAIN_TIMEOUT_MS}. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.inFlight.size === 0) return;
    this.logger.log(
      `Waiting for ${this.inFlight.size} test send(s) to finish before shutting down.`,
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TEST_SEND_DRAIN_TIMEOUT_MS);
    });
    const outcome = await Promise.race([
      Promise.allSettled(this.inFlight),
      timedOut,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(
        `${this.inFlight.size} test send(s) still running after ${TEST_SEND_DRAIN_TIMEOUT_MS} ms; shutting down anyway.`,
      );
    }
  }
}

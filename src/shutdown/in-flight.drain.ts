import {
  Injectable,
  Logger,
  ServiceUnavailableException,
  type BeforeApplicationShutdown,
} from '@nestjs/common';

/** How long shutdown waits for the requests in flight (sends, code sends and checks, connection checks). */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * How long shutdown then waits for the requests that closing the provider connections and the store
 * ended (a send cut this way answers that it may have been sent), before it answers the rest.
 */
export const DRAIN_SETTLE_MS = 1_000;

/** One piece of work in flight. */
interface TrackedWork {
  /** Settles when the work does. */
  settled: Promise<unknown>;
  /** Answers the work's caller with an error, whether or not the work goes on. */
  giveUp(error: Error): void;
}

/**
 * Keeps track of the requests in flight (see `InFlightInterceptor`), so that shutdown lets them
 * finish, for up to {@link DRAIN_TIMEOUT_MS}, before the provider connections and the store are
 * closed: a message half sent when the process stops may or may not reach the phone. Whatever is
 * still running once they are closed (a connection check, which holds no pooled connection) is
 * answered 503, so that it does not hold the exit. Once shutdown has begun, new work is refused
 * with 503.
 */
@Injectable()
export class InFlightDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('InFlightDrain');
  private readonly inFlight = new Set<TrackedWork>();
  private closing = false;

  /**
   * Runs `work` and tracks it until it settles.
   *
   * @throws ServiceUnavailableException when shutdown has begun, or (from the promise) when
   *   shutdown gave up on the work
   */
  track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) {
      throw new ServiceUnavailableException(
        'The service is shutting down; send again later.',
      );
    }
    return new Promise<T>((resolve, reject) => {
      const entry: TrackedWork = {
        settled: work().then(resolve, reject),
        giveUp: reject,
      };
      this.inFlight.add(entry);
      void entry.settled.finally(() => this.inFlight.delete(entry));
    });
  }

  /**
   * Refuses new work and waits for the work in flight, at most {@link DRAIN_TIMEOUT_MS}. Called
   * before any module closes what the work uses (see `AppModule`).
   */
  async drain(): Promise<void> {
    this.closing = true;
    if (this.inFlight.size === 0) return;
    this.logger.log(
      `Waiting for ${this.inFlight.size} request(s) in flight to finish before shutting down.`,
    );
    if (await this.settledWithin(DRAIN_TIMEOUT_MS)) return;
    this.logger.warn(
      `${this.inFlight.size} request(s) still running after ${DRAIN_TIMEOUT_MS} ms; closing the provider connections and the store anyway.`,
    );
  }

  /**
   * Runs once every module has closed its connections: what they ended gets
   * {@link DRAIN_SETTLE_MS} to answer, and what is still running then is answered 503.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    if (await this.settledWithin(DRAIN_SETTLE_MS)) return;
    this.logger.warn(
      `Answering ${this.inFlight.size} request(s) that did not finish with 503.`,
    );
    for (const entry of this.inFlight) {
      entry.giveUp(
        new ServiceUnavailableException(
          'The service shut down before this request finished; send it again.',
        ),
      );
    }
  }

  /** True when every work in flight settled within `ms`. */
  private async settledWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const settled = Promise.all(
      [...this.inFlight].map((entry) => entry.settled),
    ).then(() => true);
    const outcome = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    return outcome;
  }
}

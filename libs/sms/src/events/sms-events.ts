import { Injectable, Logger } from '@nestjs/common';
import type { SmsEvent, SmsEventListener } from './sms-event.interface.js';

/**
 * The library's events, for hosts that count them (Prometheus, say) without the library depending
 * on any metrics client. Inject it and subscribe:
 *
 * ```ts
 * constructor(events: SmsEvents) {
 *   events.subscribe((event) => { if (event.type === 'send') sends.inc({ outcome: event.outcome }); });
 * }
 * ```
 */
@Injectable()
export class SmsEvents {
  private readonly logger = new Logger('SmsEvents');
  private readonly listeners = new Set<SmsEventListener>();

  /** Calls `listener` with every event from now on; returns the function that stops it. */
  subscribe(listener: SmsEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells every listener, synchronously. A listener that throws is logged and skipped: counting
   * never fails a send.
   */
  emit(event: SmsEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(
          `A listener failed on the ${event.type} event: ${(error as Error).message}`,
        );
      }
    }
  }
}

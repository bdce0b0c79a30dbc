import type { SandboxDeliveryReportRequest } from './sandbox-message.interface.js';
import type { SandboxMessageStore } from './sandbox-message.store.js';

/** How long after a message its delivery report is posted. */
export const SANDBOX_DELIVERY_REPORT_DELAY_MS = 1000;

/** How long one post may take. */
const POST_TIMEOUT_MS = 10_000;

/**
 * Posts delivery reports about a second after their message, as a provider would, and shows in
 * the inbox what came of each: posted (with the answer's status), refused or unreachable.
 */
export class SandboxDeliveryReportPoster {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closing = new AbortController();

  constructor(
    private readonly store: SandboxMessageStore,
    private readonly delayMs = SANDBOX_DELIVERY_REPORT_DELAY_MS,
  ) {}

  /** Posts the report of message `id` after the delay. */
  schedule(id: string, report: SandboxDeliveryReportRequest): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.post(id, report);
    }, this.delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Drops the reports still waiting and cuts the posts under way. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.closing.abort();
  }

  private async post(
    id: string,
    report: SandboxDeliveryReportRequest,
  ): Promise<void> {
    let answer: number | null = null;
    try {
      const response = await fetch(report.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(report.body),
        signal: AbortSignal.any([
          this.closing.signal,
          AbortSignal.timeout(POST_TIMEOUT_MS),
        ]),
      });
      answer = response.status;
      await response.body?.cancel();
    } catch {
      if (this.closing.signal.aborted) return;
    }
    this.store.update(id, (message) => ({
      ...message,
      deliveryReport: message.deliveryReport && {
        ...message.deliveryReport,
        state:
          answer === null ? 'unreachable' : answer < 300 ? 'posted' : 'refused',
        answer,
      },
    }));
  }
}

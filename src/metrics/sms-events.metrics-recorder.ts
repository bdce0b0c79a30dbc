import {
  Injectable,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { SmsEvents, type SmsEvent } from '@app/sms';
import type { Counter, Histogram } from 'prom-client';
import { SMS_METRIC_NAMES as N } from './sms.metrics.js';

// A send that failed before its settings were resolved has no provider or source.
const NONE = 'none';

/** Counts the library's events (see `SmsEvents`) into the Prometheus metrics. */
@Injectable()
export class SmsEventsMetricsRecorder implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    private readonly events: SmsEvents,
    @InjectMetric(N.sends) private readonly sends: Counter,
    @InjectMetric(N.sendDuration) private readonly durations: Histogram,
    @InjectMetric(N.providerRequests) private readonly requests: Counter,
    @InjectMetric(N.failovers) private readonly failovers: Counter,
    @InjectMetric(N.deliveryReports) private readonly reports: Counter,
    @InjectMetric(N.codesSent) private readonly codesSent: Counter,
    @InjectMetric(N.codesVerified) private readonly codesVerified: Counter,
  ) {}

  /** Starts counting. */
  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.record(event));
  }

  /** Stops counting: another application of the process may share the metrics. */
  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private record(event: SmsEvent): void {
    switch (event.type) {
      case 'send': {
        const provider = event.provider ?? NONE;
        const { outcome } = event;
        this.sends.inc({ provider, source: event.source ?? NONE, outcome });
        this.durations.observe({ provider, outcome }, event.durationSeconds);
        return;
      }
      case 'attempt':
        this.requests.inc({ provider: event.provider, result: event.result });
        return;
      case 'failover':
        this.failovers.inc({
          from: event.from,
          to: event.to,
          reason: event.reason,
        });
        return;
      case 'delivery-report':
        this.reports.inc({ provider: event.provider, status: event.status });
        return;
      case 'code-sent':
        this.codesSent.inc({ purpose: event.purpose });
        return;
      case 'code-verified':
        this.codesVerified.inc({
          purpose: event.purpose,
          result: event.result,
        });
        return;
    }
  }
}

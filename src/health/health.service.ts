import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  HEALTH_INDICATORS,
  HealthIndicator,
  type HealthIndicatorResult,
} from './health-indicator.js';

/** The answer of `GET /health`: the overall status and each part's. */
export interface HealthReport {
  /** `degraded` when any part is. */
  status: 'ok' | 'degraded';
  [part: string]: unknown;
}

/** Asks every registered {@link HealthIndicator} and sums up. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger('HealthService');

  constructor(
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[],
  ) {}

  /** Checks every part at once. */
  async check(): Promise<HealthReport> {
    const results = await Promise.all(
      this.indicators.map((indicator) => this.checkOne(indicator)),
    );
    const report: HealthReport = {
      status: results.some((r) => r.status === 'degraded') ? 'degraded' : 'ok',
    };
    this.indicators.forEach(
      (indicator, index) => (report[indicator.name] = results[index]),
    );
    return report;
  }

  private async checkOne(
    indicator: HealthIndicator,
  ): Promise<HealthIndicatorResult> {
    try {
      return await indicator.check();
    } catch (error) {
      // The error's text may name hosts or credentials: it goes to the log, not the answer.
      this.logger.warn(
        `Health check "${indicator.name}" failed: ${(error as Error).message}`,
      );
      return {
        status: 'degraded',
        problem: 'The check failed; see the service log.',
      };
    }
  }
}

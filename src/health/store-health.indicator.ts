import { Injectable } from '@nestjs/common';
import {
  HealthIndicator,
  type HealthIndicatorResult,
} from './health-indicator.js';
import { EnvironmentSettingsStore } from '../environments/store/environment-settings.store.js';

/** Reports whether the environment settings store answers: `GET /health` under `store`. */
@Injectable()
export class StoreHealthIndicator extends HealthIndicator {
  readonly name = 'store';

  constructor(private readonly store: EnvironmentSettingsStore) {
    super();
  }

  /** `ok` when the database answers; `degraded` otherwise (the reason holds no connection details). */
  async check(): Promise<HealthIndicatorResult> {
    try {
      await this.store.ping();
      return { status: 'ok' };
    } catch {
      return {
        status: 'degraded',
        reason: 'The environment settings store does not answer.',
      };
    }
  }
}

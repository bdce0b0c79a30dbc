import {
  ThrottlerStorageService,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { StoreConfig } from '../config/service-config.interface.js';
import { parseStoreUrl } from '../database/store-url.js';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

/**
 * The storage of the test-send and connection-check counters that fits the store: PostgreSQL when the environment
 * settings live there, so that every instance sharing the database shares the limits; in memory
 * otherwise (SQLite serves one instance).
 */
export function createThrottlerStorage(store: StoreConfig): ThrottlerStorage {
  const location = parseStoreUrl(store.url);
  return location.kind === 'postgres'
    ? new PostgresThrottlerStorage({
        connectionString: location.connectionString,
      })
    : new ThrottlerStorageService();
}

import { createHash } from 'node:crypto';
import type {
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { ApiConfig } from '../config/service-config.interface.js';
import {
  apiKeyTracker,
  hasNoValidDestination,
  phoneTracker,
} from './test-send.trackers.js';

/**
 * Injection token of the storage of the test-send and connection-check counters (a
 * `ThrottlerStorage` of `@nestjs/throttler`). The default keeps them in memory, per instance; a
 * shared storage (such as PostgreSQL) makes the limits hold across instances.
 */
export const API_LIMITS_THROTTLER_STORAGE = Symbol(
  'API_LIMITS_THROTTLER_STORAGE',
);

/** The names of the two test-send limits. */
export const TEST_SEND_THROTTLERS = {
  perKey: 'test-send-per-key',
  perPhone: 'test-send-per-phone',
} as const;

/** The name of the connection-check limit. */
export const VERIFY_THROTTLERS = { perKey: 'verify-per-key' } as const;

/**
 * The limits from `Settings:Api`: test sends per API key and per destination number, and connection
 * checks per API key, over one sliding window (`TestSendWindowSeconds`). Each guard applies its own
 * (`TestSendThrottlerGuard`, `VerifyThrottlerGuard`). Counters are keyed by a hash of limit and
 * tracker, so the storage never holds a phone number, and one number is counted across every
 * test-send route.
 */
export function createApiLimitsThrottlerOptions(
  api: ApiConfig,
  storage: ThrottlerStorage,
): ThrottlerModuleOptions {
  const ttl = api.testSendWindowSeconds * 1000;
  return {
    storage,
    // The guards set the one standard Retry-After header themselves, whichever limit was hit.
    setHeaders: false,
    generateKey: (_context, tracker, name) =>
      createHash('sha256').update(`${name}\n${tracker}`).digest('hex'),
    throttlers: [
      {
        name: TEST_SEND_THROTTLERS.perKey,
        limit: api.testSendLimitPerKey,
        ttl,
        // A sliding window: a send is allowed again as soon as the oldest counted one leaves the window.
        blockDuration: 0,
        getTracker: apiKeyTracker,
      },
      {
        name: TEST_SEND_THROTTLERS.perPhone,
        limit: api.testSendLimitPerPhone,
        ttl,
        blockDuration: 0,
        getTracker: phoneTracker,
        skipIf: hasNoValidDestination,
      },
      {
        name: VERIFY_THROTTLERS.perKey,
        limit: api.verifyLimitPerKey,
        ttl,
        blockDuration: 0,
        getTracker: apiKeyTracker,
      },
    ],
  };
}

/**
 * Injection token of the storage of the test-send counters (a `ThrottlerStorage` of
 * `@nestjs/throttler`). The default keeps them in memory, per instance; a shared storage (such as
 * PostgreSQL) makes the limits hold across instances.
 */
export const TEST_SEND_THROTTLER_STORAGE = Symbol(
  'TEST_SEND_THROTTLER_STORAGE',
);

import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ environment: string }>();

/**
 * The environment of the current unit of work (an HTTP request, a queue job, a cron run), held in
 * AsyncLocalStorage so that nothing has to be request-scoped. `SmsService.send` reads it when no
 * environment is passed explicitly.
 */
export const SmsEnvironmentContext = {
  /** Runs `work` with `environment` as the current environment. */
  run<T>(environment: string, work: () => T): T {
    return storage.run({ environment }, work);
  },

  /** The current environment, or undefined outside {@link SmsEnvironmentContext.run}. */
  current(): string | undefined {
    return storage.getStore()?.environment;
  },
};

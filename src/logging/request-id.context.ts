import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/**
 * The id of the request being handled, carried through its asynchronous work with
 * AsyncLocalStorage (not request-scoped providers), so that every log line it causes can name it.
 */
export const RequestIdContext = {
  /** Runs `work` with `id` as the current request's id. */
  run<T>(id: string, work: () => T): T {
    return storage.run(id, work);
  },

  /** The current request's id; undefined outside a request. */
  current(): string | undefined {
    return storage.getStore();
  },
};

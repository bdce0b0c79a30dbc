import { StoreConfigurationError } from './store.errors.js';

/** Where the environment settings live, as parsed from `Settings:Store:Url`. */
export type StoreLocation =
  | { kind: 'sqlite'; /** A file path, or `:memory:`. */ path: string }
  | { kind: 'postgres'; connectionString: string };

/** The in-memory SQLite database: gone when the process ends. */
export const SQLITE_MEMORY_PATH = ':memory:';

/**
 * Parses a store URL: `sqlite:<path>` (relative to the working directory, or `sqlite:///abs/path`),
 * `sqlite::memory:`, or a `postgres://` / `postgresql://` connection string.
 *
 * @throws StoreConfigurationError naming `Settings:Store:Url` for anything else
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return { kind: 'postgres', connectionString: url };
  }
  if (/^sqlite:/i.test(url)) {
    const rest = url.slice('sqlite:'.length);
    if (rest === SQLITE_MEMORY_PATH)
      return { kind: 'sqlite', path: SQLITE_MEMORY_PATH };
    // `sqlite:///var/lib/sms.db` is the URL form of an absolute path.
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path.length > 0) return { kind: 'sqlite', path };
  }
  throw new StoreConfigurationError(
    'Settings:Store:Url',
    'The field Url must be sqlite:<path>, sqlite::memory: or a postgres:// URL.',
  );
}

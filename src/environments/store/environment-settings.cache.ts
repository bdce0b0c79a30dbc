import type { SmsSettings } from '@app/sms';

/** How many environments' settings are kept decrypted in memory by default. */
export const DEFAULT_ENVIRONMENT_SETTINGS_CACHE_SIZE = 10_000;

/** A stored record as the cache needs it: the settings and the revision that identifies this write. */
export interface RevisedSettings {
  settings: SmsSettings;
  /** Changes with every write of the environment's settings. */
  revision: string;
}

/** How the cache reads the database on a miss. */
export interface EnvironmentSettingsLoader {
  /** The revision of the environment's settings, or undefined when it has none. Cheap: no decryption. */
  revision(environment: string): Promise<string | undefined>;
  /** The environment's decrypted settings and their revision, or undefined when it has none. */
  load(environment: string): Promise<RevisedSettings | undefined>;
}

// No generation is ever this, so an entry marked with it is checked on its next read.
const STALE = -1;

interface Entry {
  settings: SmsSettings | undefined;
  revision: string | undefined;
  /** The {@link EnvironmentSettingsCache.generation} in which the entry was last known current. */
  generation: number;
}

/**
 * A bounded, least-recently-used cache of decrypted environment settings, absent ones included (most
 * sends of an environment without settings would otherwise query the database).
 *
 * Three ways to invalidate: {@link forget} drops one environment (a write made here);
 * {@link invalidate} marks one as possibly out of date (a change notice); {@link invalidateAll}
 * marks every entry so (another process changed the database, or change notices may have been
 * missed). An entry marked out of date has its revision checked on its next read: when unchanged,
 * the same object is kept, so that what the library prepared for it (parsed certificates, HTTPS
 * agents) stays in use.
 */
export class EnvironmentSettingsCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  // Bumped by every invalidation: what a read saw across a bump may be old, so it is kept as stale.
  private changes = 0;

  constructor(
    private readonly capacity = DEFAULT_ENVIRONMENT_SETTINGS_CACHE_SIZE,
  ) {}

  /** The number of environments held. */
  get size(): number {
    return this.entries.size;
  }

  /** The environment's settings, from memory when known current, else through the loader. */
  async get(
    environment: string,
    loader: EnvironmentSettingsLoader,
  ): Promise<SmsSettings | undefined> {
    const entry = this.entries.get(environment);
    if (entry && entry.generation === this.generation) {
      this.touch(environment, entry);
      return entry.settings;
    }
    const changes = this.changes;
    const generation = this.generation;
    if (entry) {
      const revision = await loader.revision(environment);
      if (revision === entry.revision) {
        this.keep(environment, {
          ...entry,
          generation: this.changes === changes ? generation : STALE,
        });
        return entry.settings;
      }
    }
    const loaded = await loader.load(environment);
    const settings =
      loaded && entry && loaded.revision === entry.revision
        ? entry.settings
        : loaded && deepFreeze(loaded.settings);
    this.keep(environment, {
      settings,
      revision: loaded?.revision,
      // An invalidation during the read may concern what was read: keep it, but check it next time.
      generation: this.changes === changes ? generation : STALE,
    });
    return settings;
  }

  /** Drops one environment: its settings were just written here. */
  forget(environment: string): void {
    this.changes++;
    this.entries.delete(environment);
  }

  /**
   * Marks one environment as possibly out of date: its revision is checked on its next read. For
   * change notices, which also echo this instance's own writes.
   */
  invalidate(environment: string): void {
    this.changes++;
    const entry = this.entries.get(environment);
    if (entry) entry.generation = STALE;
  }

  /** Marks every entry as possibly out of date: its revision is checked on its next read. */
  invalidateAll(): void {
    this.changes++;
    this.generation++;
  }

  /** Empties the cache. */
  clear(): void {
    this.changes++;
    this.entries.clear();
  }

  private touch(environment: string, entry: Entry): void {
    // A Map iterates in insertion order: re-inserting makes this the most recently used.
    this.entries.delete(environment);
    this.entries.set(environment, entry);
  }

  private keep(environment: string, entry: Entry): void {
    this.touch(environment, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

function deepFreeze(settings: SmsSettings): SmsSettings {
  settings.parameters?.forEach((parameter) => Object.freeze(parameter));
  if (settings.parameters) Object.freeze(settings.parameters);
  return Object.freeze(settings);
}

import { describe, expect, it } from 'vitest';
import type { SmsSettings } from '@app/sms';
import {
  EnvironmentSettingsCache,
  type EnvironmentSettingsLoader,
} from './environment-settings.cache.js';

/** A database stand-in that counts how it is read. */
function fakeDatabase() {
  const rows = new Map<string, { fromName: string; revision: string }>();
  const reads = { revision: 0, load: 0 };
  let pause: Promise<void> | undefined;
  const loader: EnvironmentSettingsLoader = {
    async revision(environment) {
      reads.revision++;
      return rows.get(environment)?.revision;
    },
    async load(environment) {
      reads.load++;
      const row = rows.get(environment);
      await pause;
      if (!row) return undefined;
      const settings: SmsSettings = {
        type: 'GatewayApi',
        fromName: row.fromName,
        apiUrl: 'https://gatewayapi.example',
      };
      return { settings, revision: row.revision };
    },
  };
  return {
    loader,
    reads,
    write(environment: string, fromName: string, revision: string) {
      rows.set(environment, { fromName, revision });
    },
    /** Holds every load until the returned function is called. */
    holdLoads(): () => void {
      let release!: () => void;
      pause = new Promise((resolve) => (release = resolve));
      return () => {
        pause = undefined;
        release();
      };
    },
  };
}

describe('EnvironmentSettingsCache', () => {
  it('loads once and then answers from memory with the same frozen object', async () => {
    const db = fakeDatabase();
    db.write('a', 'A', 'r1');
    const cache = new EnvironmentSettingsCache();
    const first = await cache.get('a', db.loader);
    expect(await cache.get('a', db.loader)).toBe(first);
    expect(db.reads).toEqual({ revision: 0, load: 1 });
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('remembers that an environment has no settings', async () => {
    const db = fakeDatabase();
    const cache = new EnvironmentSettingsCache();
    expect(await cache.get('none', db.loader)).toBeUndefined();
    expect(await cache.get('none', db.loader)).toBeUndefined();
    expect(db.reads.load).toBe(1);
  });

  it('reloads an environment it was told to forget', async () => {
    const db = fakeDatabase();
    db.write('a', 'A', 'r1');
    const cache = new EnvironmentSettingsCache();
    await cache.get('a', db.loader);
    db.write('a', 'B', 'r2');
    cache.forget('a');
    expect((await cache.get('a', db.loader))?.fromName).toBe('B');
  });

  it('after invalidateAll, checks revisions and keeps the objects whose revision did not change', async () => {
    const db = fakeDatabase();
    db.write('same', 'Same', 'r1');
    db.write('changed', 'Old', 'r1');
    const cache = new EnvironmentSettingsCache();
    const same = await cache.get('same', db.loader);
    const old = await cache.get('changed', db.loader);
    db.write('changed', 'New', 'r2');
    cache.invalidateAll();

    expect(await cache.get('same', db.loader)).toBe(same);
    const changed = await cache.get('changed', db.loader);
    expect(changed).not.toBe(old);
    expect(changed?.fromName).toBe('New');
    expect(db.reads).toEqual({ revision: 2, load: 3 });
    // Checked once: current again until the next invalidation.
    await cache.get('same', db.loader);
    expect(db.reads.revision).toBe(2);
  });

  it('after invalidate, checks the revision of that one environment', async () => {
    const db = fakeDatabase();
    db.write('a', 'A', 'r1');
    db.write('b', 'B', 'r1');
    const cache = new EnvironmentSettingsCache();
    const a = await cache.get('a', db.loader);
    await cache.get('b', db.loader);
    cache.invalidate('a');
    expect(await cache.get('a', db.loader)).toBe(a);
    await cache.get('b', db.loader);
    expect(db.reads.revision).toBe(1);
  });

  it('does not trust a read that an invalidation overtook', async () => {
    const db = fakeDatabase();
    db.write('a', 'Old', 'r1');
    const cache = new EnvironmentSettingsCache();
    const release = db.holdLoads();
    const reading = cache.get('a', db.loader);
    // The load has read the old row; the write and its notice land before it returns.
    db.write('a', 'New', 'r2');
    cache.invalidate('a');
    release();
    expect((await reading)?.fromName).toBe('Old');
    expect((await cache.get('a', db.loader))?.fromName).toBe('New');
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const db = fakeDatabase();
    for (const name of ['a', 'b', 'c']) db.write(name, name, 'r1');
    const cache = new EnvironmentSettingsCache(2);
    const a = await cache.get('a', db.loader);
    const b = await cache.get('b', db.loader);
    expect(await cache.get('a', db.loader)).toBe(a);
    await cache.get('c', db.loader);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', db.loader)).toBe(a);
    const reloaded = await cache.get('b', db.loader);
    expect(reloaded).not.toBe(b);
    expect(reloaded).toEqual(b);
  });
});

import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GENERATED_KEY_FILE_NAME,
  resolveEncryptionKeyRing,
} from './encryption-key.provider.js';
import { keyIdOf, parseEncryptionKey } from './encryption-key.ring.js';
import { StoreConfigurationError } from '../database/store.errors.js';

describe('resolveEncryptionKeyRing', () => {
  let folder: string;
  let logger: Logger;
  let warnings: string[];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sms-key-'));
    warnings = [];
    logger = new Logger('test');
    vi.spyOn(logger, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const sqlite = () => ({ url: `sqlite:${join(folder, 'data', 'sms.db')}` });
  const keyFile = () => join(folder, 'data', GENERATED_KEY_FILE_NAME);
  const base64Key = () => randomBytes(32).toString('base64');

  it('generates a key once next to a SQLite database, readable by its owner only, with a warning', () => {
    const first = resolveEncryptionKeyRing(sqlite(), {}, logger);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(keyFile());
    expect(warnings[0]).not.toContain(first.current.key.toString('base64'));

    const second = resolveEncryptionKeyRing(sqlite(), {}, logger);
    expect(second.current.id).toBe(first.current.id);
    expect(warnings).toHaveLength(1);
    expect(readFileSync(keyFile(), 'utf8').trim()).toBe(
      first.current.key.toString('base64'),
    );
  });

  it('uses the configured key, keeping a generated one for decryption', () => {
    const generated = resolveEncryptionKeyRing(sqlite(), {}, logger).current;
    const configured = base64Key();
    const ring = resolveEncryptionKeyRing(
      sqlite(),
      { encryptionKey: configured },
      logger,
    );
    expect(ring.current.id).toBe(keyIdOf(Buffer.from(configured, 'base64')));
    expect(ring.previous.map((key) => key.id)).toEqual([generated.id]);
  });

  it('adds previous keys for decryption, without repeating the current one', () => {
    const current = base64Key();
    const old = base64Key();
    const ring = resolveEncryptionKeyRing(
      { url: 'postgres://u:p@127.0.0.1/db' },
      { encryptionKey: current, previousEncryptionKeys: [old, current, old] },
      logger,
    );
    expect(ring.previous.map((key) => key.id)).toEqual([
      keyIdOf(Buffer.from(old, 'base64')),
    ]);
  });

  it('requires a key for PostgreSQL', () => {
    expect(() =>
      resolveEncryptionKeyRing(
        { url: 'postgres://u:p@127.0.0.1/db' },
        {},
        logger,
      ),
    ).toThrow(
      /^Settings:Security:EncryptionKey: The field EncryptionKey is required/,
    );
  });

  it('makes a key that lives as long as an in-memory database, without a file or warning', () => {
    const ring = resolveEncryptionKeyRing(
      { url: 'sqlite::memory:' },
      {},
      logger,
    );
    expect(ring.current.key).toHaveLength(32);
    expect(warnings).toEqual([]);
  });

  it('names the bad key without showing its value', () => {
    const bad = 'c2hvcnQta2V5LXZhbHVl';
    const error = (() => {
      try {
        resolveEncryptionKeyRing(
          sqlite(),
          { previousEncryptionKeys: [base64Key(), bad] },
          logger,
        );
      } catch (caught) {
        return caught as StoreConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(StoreConfigurationError);
    expect(error?.key).toBe('Settings:Security:PreviousEncryptionKeys:1');
    expect(error?.message).not.toContain(bad);
  });

  it('refuses a damaged key file, naming it', () => {
    resolveEncryptionKeyRing(sqlite(), {}, logger);
    writeFileSync(keyFile(), 'not a key\n');
    expect(() => resolveEncryptionKeyRing(sqlite(), {}, logger)).toThrow(
      keyFile(),
    );
  });
});

describe('parseEncryptionKey', () => {
  it('accepts base64 of 32 bytes, with or without padding and surrounding space', () => {
    const bytes = randomBytes(32);
    const key = parseEncryptionKey(` ${bytes.toString('base64')}\n`, 'k');
    expect(key.key.equals(bytes)).toBe(true);
    expect(key.id).toMatch(/^[0-9a-f]{8}$/);
    expect(
      parseEncryptionKey(bytes.toString('base64').replace(/=+$/, ''), 'k').id,
    ).toBe(key.id);
  });

  it('refuses other lengths and text that is not base64', () => {
    expect(() =>
      parseEncryptionKey(randomBytes(16).toString('base64'), 'k'),
    ).toThrow(/^k: The value must be base64 of 32/);
    expect(() =>
      parseEncryptionKey(`${randomBytes(32).toString('base64')}!!`, 'k'),
    ).toThrow();
    expect(() => parseEncryptionKey('', 'k')).toThrow();
  });
});

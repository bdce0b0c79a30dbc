import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from './store-url.js';

describe('parseStoreUrl', () => {
  it('reads SQLite paths, relative, absolute and in memory', () => {
    expect(parseStoreUrl('sqlite:./data/sms.db')).toEqual({
      kind: 'sqlite',
      path: './data/sms.db',
    });
    expect(parseStoreUrl('sqlite:///var/lib/sms.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/sms.db',
    });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({
      kind: 'sqlite',
      path: ':memory:',
    });
  });

  it('reads PostgreSQL URLs', () => {
    for (const url of ['postgres://u:p@db:5432/sms', 'postgresql://db/sms']) {
      expect(parseStoreUrl(url)).toEqual({
        kind: 'postgres',
        connectionString: url,
      });
    }
  });

  it('refuses anything else, naming the setting and not echoing the value', () => {
    for (const url of ['mysql://u:secret@db/sms', 'sqlite:', './sms.db', '']) {
      expect(() => parseStoreUrl(url)).toThrow(/^Settings:Store:Url: /);
    }
    expect(() => parseStoreUrl('mysql://u:secret@db/sms')).not.toThrow(
      /secret/,
    );
  });
});

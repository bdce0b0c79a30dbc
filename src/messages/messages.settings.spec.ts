import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceConfigError } from '../config/service-config.error.js';
import { loadServiceConfig } from '../config/service-config.loader.js';

describe('Settings:DeliveryReports and Settings:Messages', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nest-sms-messages-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: NodeJS.ProcessEnv) =>
    loadServiceConfig({ Settings__Store__Url: 'sqlite::memory:', ...env }, dir)
      .config.messages;
  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ServiceConfigError);
      return (error as ServiceConfigError).problems.map(
        (p) => `${p.key}: ${p.message}`,
      );
    }
    throw new Error('The configuration was accepted.');
  };

  it('defaults to no public URL and 30 days', () => {
    expect(load({})).toEqual({ publicUrl: undefined, retentionDays: 30 });
  });

  it('takes an https URL, or http on a loopback host, without the trailing slash', () => {
    expect(
      load({
        Settings__DeliveryReports__PublicUrl: 'https://sms.example.com/base/',
        Settings__Messages__RetentionDays: '7',
      }),
    ).toEqual({ publicUrl: 'https://sms.example.com/base', retentionDays: 7 });
    expect(
      load({ Settings__DeliveryReports__PublicUrl: 'http://localhost:3000' })
        .publicUrl,
    ).toBe('http://localhost:3000');
  });

  it('names every bad field in one error', () => {
    expect(
      problemsOf({
        Settings__DeliveryReports__PublicUrl: 'http://sms.example.com',
        Settings__Messages__RetentionDays: '0',
      }),
    ).toEqual([
      'Settings:DeliveryReports:PublicUrl: The field PublicUrl must be the https URL at which providers reach the service (http only for localhost), without query or fragment.',
      'Settings:Messages:RetentionDays: The field RetentionDays must be at least 1.',
    ]);
  });
});

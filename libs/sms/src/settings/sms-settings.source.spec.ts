import { Test } from '@nestjs/testing';
import { SmsModule } from '../sms.module.js';
import {
  InMemorySmsSettingsSource,
  SmsSettingsSource,
} from './sms-settings.source.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { parseEnvironmentSmsSettings } from './sms-settings.validator.js';

const body = {
  type: 'GatewayApi',
  fromName: ' Acme ',
  apiUrl: 'https://gatewayapi.eu/rest/mtsms',
  clientSecret: 'acme-token',
};

describe('InMemorySmsSettingsSource', () => {
  it("stores parseEnvironmentSmsSettings()'s result in one step, as its settings", async () => {
    const source = new InMemorySmsSettingsSource();

    source.set('acme', parseEnvironmentSmsSettings(body));

    expect(await source.get('acme')).toEqual({
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gatewayapi.eu/rest/mtsms',
      clientSecret: 'acme-token',
    });
  });

  it('stores settings given as they are', async () => {
    const source = new InMemorySmsSettingsSource();
    const settings: SmsSettings = { ...body, fromName: 'Acme' };

    source.set('acme', settings);

    expect(await source.get('acme')).toEqual(settings);
    expect(source.delete('acme')).toBe(true);
    expect(await source.get('acme')).toBeUndefined();
  });

  describe('in SmsModule', () => {
    it('is injectable as itself and as SmsSettingsSource, the same instance', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [SmsModule.forRoot({})],
      }).compile();

      const source = moduleRef.get(InMemorySmsSettingsSource);
      expect(source).toBeInstanceOf(InMemorySmsSettingsSource);
      expect(moduleRef.get(SmsSettingsSource)).toBe(source);
    });

    it('is the in-memory source the host passed', async () => {
      const settingsSource = new InMemorySmsSettingsSource();
      const moduleRef = await Test.createTestingModule({
        imports: [SmsModule.forRoot({ settingsSource })],
      }).compile();

      expect(moduleRef.get(InMemorySmsSettingsSource)).toBe(settingsSource);
    });

    it('is undefined when the host passed another kind of source', async () => {
      class DatabaseSource extends SmsSettingsSource {
        override async get(): Promise<SmsSettings | undefined> {
          return undefined;
        }
      }
      const moduleRef = await Test.createTestingModule({
        imports: [SmsModule.forRoot({ settingsSource: new DatabaseSource() })],
      }).compile();

      expect(moduleRef.get(InMemorySmsSettingsSource)).toBeUndefined();
      expect(moduleRef.get(SmsSettingsSource)).toBeInstanceOf(DatabaseSource);
    });
  });
});

import { Test } from '@nestjs/testing';
import {
  InMemorySmsSettingsSource,
  parseEnvironmentSmsSettings,
  SmsFallbackNotConfiguredError,
  SmsNotConfiguredError,
  SmsProviderError,
  SmsTimeoutError,
  SmsValidationError,
} from '@app/sms';
import { RecordingSmsService, SmsTestingModule } from '@app/sms/testing';

const PHONE = '+4512345678';

describe('RecordingSmsService', () => {
  async function setup() {
    const moduleRef = await Test.createTestingModule({
      imports: [SmsTestingModule.forRoot()],
    }).compile();
    return {
      sms: moduleRef.get(RecordingSmsService),
      environments: moduleRef.get(InMemorySmsSettingsSource),
    };
  }

  const acmeSettings = () =>
    parseEnvironmentSmsSettings({
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gatewayapi.eu/rest/mtsms',
      clientSecret: 'acme-token',
    });

  describe('the settings source it reports', () => {
    it('reports the environment only when the environment has settings of its own', async () => {
      const { sms, environments } = await setup();
      environments.set('acme', acmeSettings());

      const own = await sms.send({
        phone: PHONE,
        message: 'a',
        environment: 'acme',
      });
      const none = await sms.send({
        phone: PHONE,
        message: 'b',
        environment: 'beta',
      });
      const site = await sms.send({
        phone: PHONE,
        message: 'c',
        environment: null,
      });

      expect([own, none, site].map((r) => [r.source, r.environment])).toEqual([
        ['environment', 'acme'],
        ['site', 'beta'],
        ['site', null],
      ]);
    });

    it('throws SmsNotConfiguredError when neither the environment nor the site has settings', async () => {
      const { sms, environments } = await setup();
      environments.set('acme', acmeSettings());
      sms.siteHasSettings = false;

      const error = await sms
        .send({ phone: PHONE, message: 'b', environment: 'beta' })
        .catch((e: unknown) => e);
      const result = await sms.send({
        phone: PHONE,
        message: 'a',
        environment: 'acme',
      });

      expect(error).toBeInstanceOf(SmsNotConfiguredError);
      expect((error as SmsNotConfiguredError).environment).toBe('beta');
      expect(result.source).toBe('environment');
      expect(sms.messages.map((m) => m.message)).toEqual(['a']);
    });
  });

  describe('the result', () => {
    it('has the shape of SmsService’s: a new id for each send, and failoverFrom null', async () => {
      const { sms } = await setup();

      const first = await sms.send({ phone: PHONE, message: 'a' });
      const second = await sms.send({ phone: PHONE, message: 'b' });

      expect(first).toEqual({
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        provider: 'Recording',
        failoverFrom: null,
        source: 'site',
        environment: null,
        messageId: '1',
        encoding: 'GSM-7',
        segments: 1,
      });
      expect(second.id).not.toBe(first.id);
    });
  });

  describe("use: 'fallback'", () => {
    const withFallback = () =>
      parseEnvironmentSmsSettings({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: 'https://gatewayapi.eu/rest/mtsms',
        clientSecret: 'acme-token',
        fallback: {
          type: 'GatewayApi',
          fromName: 'Acme',
          apiUrl: 'https://gatewayapi.com/rest/mtsms',
          clientSecret: 'acme-fallback-token',
        },
      });

    it('records the send as asked for the fallback when the settings in use have one', async () => {
      const { sms, environments } = await setup();
      environments.set('acme', withFallback());
      sms.siteHasFallback = true;

      const own = await sms.send({
        phone: PHONE,
        message: 'a',
        environment: 'acme',
        use: 'fallback',
      });
      await sms.send({ phone: PHONE, message: 'b', use: 'fallback' });
      await sms.send({ phone: PHONE, message: 'c' });

      expect(own).toMatchObject({ source: 'environment', failoverFrom: null });
      expect(sms.messages.map((m) => [m.message, m.use])).toEqual([
        ['a', 'fallback'],
        ['b', 'fallback'],
        ['c', 'primary'],
      ]);
    });

    it('throws SmsFallbackNotConfiguredError when the settings in use have none, using up no planned failure', async () => {
      const { sms, environments } = await setup();
      environments.set('acme', acmeSettings());
      const refusal = new SmsProviderError('Refused', {
        provider: 'GatewayApi',
        maybeSent: false,
      });
      sms.failNext(refusal);

      const own = await sms
        .send({
          phone: PHONE,
          message: 'a',
          environment: 'acme',
          use: 'fallback',
        })
        .catch((e: unknown) => e);
      const site = await sms
        .send({ phone: PHONE, message: 'b', use: 'fallback' })
        .catch((e: unknown) => e);

      expect(own).toBeInstanceOf(SmsFallbackNotConfiguredError);
      expect(own).toMatchObject({ environment: 'acme', source: 'environment' });
      expect(site).toBeInstanceOf(SmsFallbackNotConfiguredError);
      expect(site).toMatchObject({ environment: null, source: 'site' });
      await expect(sms.send({ phone: PHONE, message: 'c' })).rejects.toBe(
        refusal,
      );
      expect(sms.messages).toHaveLength(0);
    });
  });

  describe('failNext', () => {
    it('fails the next send with a provider refusal that certainly did not send', async () => {
      const { sms } = await setup();
      const refusal = new SmsProviderError('Refused', {
        provider: 'GatewayApi',
        status: 400,
        maybeSent: false,
      });
      sms.failNext(refusal);

      await expect(sms.send({ phone: PHONE, message: '1' })).rejects.toBe(
        refusal,
      );
      await sms.send({ phone: PHONE, message: '2' });

      expect(refusal.maybeSent).toBe(false);
      expect(sms.messages.map((m) => m.message)).toEqual(['2']);
    });

    it('fails the next sends with a provider failure that may have sent, as many times as asked', async () => {
      const { sms } = await setup();
      const failure = new SmsProviderError('Bad gateway', {
        provider: 'GatewayApi',
        status: 502,
        maybeSent: true,
      });
      sms.failNext(failure, { times: 2 });

      const outcomes = [];
      for (const message of ['1', '2', '3']) {
        outcomes.push(
          await sms.send({ phone: PHONE, message }).then(
            (r) => r.messageId,
            (e: SmsProviderError) => e.maybeSent,
          ),
        );
      }

      expect(outcomes).toEqual([true, true, '1']);
    });

    it('fails with a timeout, then with not-configured, in the order they were planned', async () => {
      const { sms } = await setup();
      const timeout = new SmsTimeoutError('No answer', {
        provider: 'Smstools',
        maybeSent: true,
      });
      const notConfigured = new SmsNotConfiguredError('acme');
      sms.failNext(timeout);
      sms.failNext(notConfigured);

      await expect(sms.send({ phone: PHONE, message: '1' })).rejects.toBe(
        timeout,
      );
      await expect(sms.send({ phone: PHONE, message: '2' })).rejects.toBe(
        notConfigured,
      );
      await expect(
        sms.send({ phone: PHONE, message: '3' }),
      ).resolves.toMatchObject({
        source: 'site',
      });
    });

    it('is not used up by a send the real service refuses before any provider', async () => {
      const { sms } = await setup();
      const refusal = new SmsProviderError('Refused', {
        provider: 'GatewayApi',
        maybeSent: false,
      });
      sms.failNext(refusal);

      await expect(
        sms.send({ phone: '12', message: '1' }),
      ).rejects.toBeInstanceOf(SmsValidationError);
      await expect(sms.send({ phone: PHONE, message: '2' })).rejects.toBe(
        refusal,
      );
    });

    it('refuses a count that is not a whole number of sends', async () => {
      const { sms } = await setup();
      const refusal = new SmsProviderError('Refused', {
        provider: 'GatewayApi',
        maybeSent: false,
      });

      expect(() => sms.failNext(refusal, { times: 0 })).toThrow(RangeError);
      await expect(
        sms.send({ phone: PHONE, message: '1' }),
      ).resolves.toBeDefined();
    });
  });
});

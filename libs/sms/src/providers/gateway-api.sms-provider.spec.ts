import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { createTransport } from '../../../../test/support/sms-http-transport.fixture.js';
import { sendContext } from '../../../../test/support/sms-send-context.fixture.js';
import { GatewayApiSmsProvider } from './gateway-api.sms-provider.js';
import type { SmsProvider } from './sms-provider.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';

const settings: SmsSettings = {
  type: 'GatewayApi',
  fromName: 'My-sender',
  apiUrl: 'https://gatewayapi.eu/rest/mtsms',
  clientSecret: 'gateway-api-token',
  label: 'FoxIDs',
};

describe('GatewayApiSmsProvider', () => {
  const provider: SmsProvider = new GatewayApiSmsProvider();

  describe('buildRequest', () => {
    it('builds the POST with the token, JSON headers and the documented body', () => {
      expect(provider.buildRequest(sendContext(settings))).toEqual({
        method: 'POST',
        url: 'https://gatewayapi.eu/rest/mtsms',
        headers: {
          Authorization: 'Token gateway-api-token',
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: '{"sender":"My-sender","message":"Your code is 123456","recipients":[{"msisdn":4512345678}],"label":"FoxIDs"}',
      });
    });

    it.each([
      ['https://gatewayapi.eu', 'https://gatewayapi.eu/rest/mtsms'],
      ['https://gatewayapi.eu/', 'https://gatewayapi.eu/rest/mtsms'],
      ['https://gatewayapi.com:8443', 'https://gatewayapi.com:8443/rest/mtsms'],
      ['https://gatewayapi.eu/rest/mtsms', 'https://gatewayapi.eu/rest/mtsms'],
      ['https://proxy.example/gw/send', 'https://proxy.example/gw/send'],
    ])('posts to %s as %s', (apiUrl, url) => {
      expect(
        provider.buildRequest(sendContext({ ...settings, apiUrl })).url,
      ).toBe(url);
    });

    it('sends msisdn as a JSON number of the E.164 digits', () => {
      const body = JSON.parse(
        provider.buildRequest(sendContext(settings, '+1 (415) 555-2671')).body!,
      );
      expect(body.recipients).toEqual([{ msisdn: 14155552671 }]);
      expect(typeof body.recipients[0].msisdn).toBe('number');
    });

    it('leaves out the label when none is set', () => {
      const body = provider.buildRequest(
        sendContext({ ...settings, label: undefined }),
      ).body;
      expect(body).toBe(
        '{"sender":"My-sender","message":"Your code is 123456","recipients":[{"msisdn":4512345678}]}',
      );
    });

    it('asks for UCS2 when the text needs it, and only then', () => {
      const ucs2 = JSON.parse(
        provider.buildRequest(sendContext(settings, '+4512345678', 'Код 🙂'))
          .body!,
      );
      expect(ucs2.encoding).toBe('UCS2');
      expect(ucs2.message).toBe('Код 🙂');
      const gsm = JSON.parse(
        provider.buildRequest(
          sendContext(settings, '+4512345678', 'Kode æøå €'),
        ).body!,
      );
      expect(gsm).not.toHaveProperty('encoding');
    });
  });

  describe('readResponse', () => {
    const context = sendContext(settings);

    it('reads ids[0] as the message id of a 2xx', () => {
      expect(
        provider.readResponse(
          {
            status: 200,
            headers: {},
            body: '{"ids":[421332671],"usage":{"countries":{"DK":1},"currency":"DKK","total_cost":0.2}}',
          },
          context,
        ),
      ).toEqual({ ok: true, messageId: '421332671' });
    });

    it('takes a 2xx without ids or with a body that is not JSON as a success without an id', () => {
      for (const body of ['{}', 'OK', '', '[1]', '{"ids":[]}']) {
        expect(
          provider.readResponse({ status: 200, headers: {}, body }, context),
        ).toEqual({ ok: true, messageId: undefined });
      }
    });

    it('reads code and message of an error', () => {
      expect(
        provider.readResponse(
          {
            status: 401,
            headers: {},
            body: '{"code":"0x0216","message":"Invalid token","incident_uuid":"d8127429-fa0c-4316-b1f2-e610c3958f17","variables":[]}',
          },
          context,
        ),
      ).toEqual({
        ok: false,
        providerCode: '0x0216',
        providerText: 'Invalid token',
      });
    });

    it('reads an error without a code', () => {
      expect(
        provider.readResponse(
          {
            status: 403,
            headers: {},
            body: '{"message":"Insufficient credit","incident_uuid":"x"}',
          },
          context,
        ),
      ).toEqual({
        ok: false,
        providerCode: undefined,
        providerText: 'Insufficient credit',
      });
    });

    it('keeps the raw text of an error that is not JSON', () => {
      const html = `<html><body>${'Bad gateway '.repeat(100)}</body></html>`;
      expect(
        provider.readResponse(
          { status: 502, headers: {}, body: html },
          context,
        ),
      ).toEqual({
        ok: false,
        providerCode: undefined,
        providerText: html,
      });
      expect(
        provider.readResponse(
          { status: 422, headers: {}, body: '{"code":' },
          context,
        ),
      ).toEqual({
        ok: false,
        providerCode: undefined,
        providerText: '{"code":',
      });
    });
  });

  describe('on the wire', () => {
    let server: HttpsTestServer;

    beforeAll(async () => {
      server = await HttpsTestServer.start();
    });
    afterAll(() => server.close());

    it('posts the exact bytes to /rest/mtsms and reads the id', async () => {
      const { transport, close } = await createTransport({
        extraCaCertificates: server.caPem,
      });
      server.answer({ status: 200, body: { ids: [421332671] } });
      const context = sendContext(
        { ...settings, apiUrl: server.url },
        '+4512345678',
        'Kode æøå 🙂',
      );
      try {
        const response = await transport.send(provider.buildRequest(context));
        expect(provider.readResponse(response, context)).toEqual({
          ok: true,
          messageId: '421332671',
        });
      } finally {
        await close();
      }

      const [received] = server.requests;
      const body = Buffer.from(
        '{"sender":"My-sender","message":"Kode æøå 🙂","recipients":[{"msisdn":4512345678}],"label":"FoxIDs","encoding":"UCS2"}',
        'utf8',
      );
      expect(received.method).toBe('POST');
      expect(received.url).toBe('/rest/mtsms');
      expect(received.headers.authorization).toBe('Token gateway-api-token');
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers.accept).toBe('application/json');
      expect(received.headers['content-length']).toBe(String(body.length));
      expect(received.body.equals(body)).toBe(true);
    });
  });
});

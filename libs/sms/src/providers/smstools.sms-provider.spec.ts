import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { createTransport } from '../../../../test/support/sms-http-transport.fixture.js';
import { sendContext } from '../../../../test/support/sms-send-context.fixture.js';
import type { SmsProvider } from './sms-provider.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmstoolsSmsProvider } from './smstools.sms-provider.js';

const settings: SmsSettings = {
  type: 'Smstools',
  fromName: 'My-sender',
  apiUrl: 'https://api.smsgatewayapi.com',
  clientId: 'client-id',
  clientSecret: 'client-secret',
};

describe('SmstoolsSmsProvider', () => {
  const provider: SmsProvider = new SmstoolsSmsProvider();

  describe('buildRequest', () => {
    it('builds the POST with the client id and secret headers and the documented body', () => {
      expect(provider.buildRequest(sendContext(settings))).toEqual({
        method: 'POST',
        url: 'https://api.smsgatewayapi.com/v1/message/send',
        headers: {
          'X-Client-Id': 'client-id',
          'X-Client-Secret': 'client-secret',
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: '{"message":"Your code is 123456","to":"4512345678","sender":"My-sender"}',
      });
    });

    it.each([
      ['https://app.smstools.com/', 'https://app.smstools.com/v1/message/send'],
      [
        'https://api.smsgatewayapi.com/v1/message/send',
        'https://api.smsgatewayapi.com/v1/message/send',
      ],
      ['https://proxy.example/smstools', 'https://proxy.example/smstools'],
    ])('posts to %s as %s', (apiUrl, url) => {
      expect(
        provider.buildRequest(sendContext({ ...settings, apiUrl })).url,
      ).toBe(url);
    });

    it('sends `to` as a string of the E.164 digits', () => {
      const body = JSON.parse(
        provider.buildRequest(sendContext(settings, '+44 20 7946 0958')).body!,
      );
      expect(body.to).toBe('442079460958');
    });
  });

  describe('readResponse', () => {
    const context = sendContext(settings);
    const read = (status: number, body: string) =>
      provider.readResponse({ status, headers: {}, body }, context);

    it('reads messageid of a 2xx', () => {
      expect(read(200, '{"messageid":"9b1c2d3e"}')).toEqual({
        ok: true,
        messageId: '9b1c2d3e',
      });
      expect(read(200, '{"messageid":12345}')).toEqual({
        ok: true,
        messageId: '12345',
      });
    });

    it('takes a 2xx that carries an error as a failure', () => {
      expect(
        read(200, '{"error":"104","errorMsg":"Invalid credentials"}'),
      ).toEqual({
        ok: false,
        providerCode: '104',
        providerText: 'Invalid credentials',
      });
    });

    it('reads error and errorMsg of a 4xx', () => {
      expect(
        read(401, '{"error":"104","errorMsg":"Invalid credentials"}'),
      ).toEqual({
        ok: false,
        providerCode: '104',
        providerText: 'Invalid credentials',
      });
    });

    it('takes an error sentence without errorMsg as the text, and a bare code as the code', () => {
      expect(read(400, '{"error":"error parsing json"}')).toEqual({
        ok: false,
        providerText: 'error parsing json',
      });
      expect(read(400, '{"error":"105"}')).toEqual({
        ok: false,
        providerCode: '105',
      });
    });

    it('keeps the raw text of an error that is not JSON', () => {
      expect(read(500, 'Internal Server Error')).toEqual({
        ok: false,
        providerText: 'Internal Server Error',
      });
    });

    it('takes a 2xx without an error but without JSON as a success without an id', () => {
      expect(read(200, 'queued')).toEqual({ ok: true, messageId: undefined });
    });
  });

  describe('on the wire', () => {
    let server: HttpsTestServer;

    beforeAll(async () => {
      server = await HttpsTestServer.start();
    });
    afterAll(() => server.close());

    it('posts the exact bytes to /v1/message/send with the client headers', async () => {
      const { transport, close } = await createTransport({
        extraCaCertificates: server.caPem,
      });
      server.answer({ status: 200, body: { messageid: 'abc-123' } });
      const context = sendContext({ ...settings, apiUrl: server.url });
      try {
        const response = await transport.send(provider.buildRequest(context));
        expect(provider.readResponse(response, context)).toEqual({
          ok: true,
          messageId: 'abc-123',
        });
      } finally {
        await close();
      }

      const [received] = server.requests;
      expect(received.method).toBe('POST');
      expect(received.url).toBe('/v1/message/send');
      expect(received.headers['x-client-id']).toBe('client-id');
      expect(received.headers['x-client-secret']).toBe('client-secret');
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers.accept).toBe('application/json');
      expect(received.headers.authorization).toBeUndefined();
      expect(received.body.toString('utf8')).toBe(
        '{"message":"Your code is 123456","to":"4512345678","sender":"My-sender"}',
      );
    });
  });
});

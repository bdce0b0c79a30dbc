import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { createTransport } from '../../../../test/support/sms-http-transport.fixture.js';
import { sendContext } from '../../../../test/support/sms-send-context.fixture.js';
import {
  AccessUrlSmsProvider,
  encodeQueryComponent,
} from './access-url.sms-provider.js';
import type { SmsProvider } from './sms-provider.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';

const settings: SmsSettings = {
  type: 'AccessUrl',
  fromName: 'My-sender',
  apiUrl: 'https://some-provider.dk/sms/',
  parameters: [
    { name: 'username', value: 'xxxxxx' },
    { name: 'password', value: 'yyyyyy' },
    { name: 'recipient', value: '{phone}' },
    { name: 'from', value: '{fromName}' },
    { name: 'message', value: '{message}' },
  ],
};

describe('AccessUrlSmsProvider', () => {
  const provider: SmsProvider = new AccessUrlSmsProvider();

  describe('buildRequest', () => {
    it('builds GET {ApiUrl}?... with the parameters in order and the placeholders filled in', () => {
      expect(provider.buildRequest(sendContext(settings))).toEqual({
        method: 'GET',
        url: 'https://some-provider.dk/sms/?username=xxxxxx&password=yyyyyy&recipient=%2B4512345678&from=My-sender&message=Your%20code%20is%20123456',
        headers: {},
      });
    });

    it.each([
      ['+', '%2B'],
      [' ', '%20'],
      ['&', '%26'],
      ['%', '%25'],
      ['#', '%23'],
      ['=', '%3D'],
      ['æøå', '%C3%A6%C3%B8%C3%A5'],
      ['🙂', '%F0%9F%99%82'],
      ["!'()*", '%21%27%28%29%2A'],
      ['AZaz09-_.~', 'AZaz09-_.~'],
      ['\ud800', '%EF%BF%BD'],
    ])('percent-encodes %j as %s', (text, encoded) => {
      expect(encodeQueryComponent(text)).toBe(encoded);
    });

    it('encodes parameter names as well as values', () => {
      const request = provider.buildRequest(
        sendContext({
          ...settings,
          parameters: [
            { name: 'to number', value: '{phone}' },
            { name: 'text&x', value: '{message}' },
          ],
        }),
      );
      expect(new URL(request.url).search).toBe(
        '?to%20number=%2B4512345678&text%26x=Your%20code%20is%20123456',
      );
    });

    it('replaces placeholders in one pass, so a placeholder in the text goes out literally', () => {
      const request = provider.buildRequest(
        sendContext(settings, '+4512345678', 'Code {message} for {phone}'),
      );
      expect(new URL(request.url).searchParams.get('message')).toBe(
        'Code {message} for {phone}',
      );
    });

    it('keeps fixed text around placeholders and fills several in one value', () => {
      const request = provider.buildRequest(
        sendContext({
          ...settings,
          parameters: [
            { name: 'to', value: 'tel:{phone};from={fromName}' },
            { name: 'text', value: '{message}' },
          ],
        }),
      );
      expect(new URL(request.url).search).toBe(
        '?to=tel%3A%2B4512345678%3Bfrom%3DMy-sender&text=Your%20code%20is%20123456',
      );
    });

    it('keeps an empty fixed value as an empty parameter', () => {
      const request = provider.buildRequest(
        sendContext({
          ...settings,
          parameters: [
            { name: 'flag', value: '' },
            { name: 'to', value: '{phone}' },
            { name: 'text', value: '{message}' },
          ],
        }),
      );
      expect(request.url).toBe(
        'https://some-provider.dk/sms/?flag=&to=%2B4512345678&text=Your%20code%20is%20123456',
      );
    });

    it('adds the query to an ApiUrl without a path', () => {
      const request = provider.buildRequest(
        sendContext({ ...settings, apiUrl: 'https://some-provider.dk' }),
      );
      expect(request.url).toMatch(/^https:\/\/some-provider\.dk\/\?username=/);
    });
  });

  describe('readResponse', () => {
    const context = sendContext(settings);

    it.each([200, 201, 202, 204])(
      'takes HTTP %i as a success without a message id',
      (status) => {
        expect(
          provider.readResponse(
            { status, headers: {}, body: 'OK 12345' },
            context,
          ),
        ).toEqual({ ok: true });
      },
    );

    it('takes any other status as a failure with the raw answer as text', () => {
      expect(
        provider.readResponse(
          { status: 400, headers: {}, body: '  ERR: invalid recipient \n' },
          context,
        ),
      ).toEqual({ ok: false, providerText: 'ERR: invalid recipient' });
    });

    it('keeps a long answer whole for the reporter to redact and cut, and leaves out an empty one', () => {
      const long = provider.readResponse(
        { status: 500, headers: {}, body: 'é'.repeat(2000) },
        context,
      );
      expect(long).toEqual({ ok: false, providerText: 'é'.repeat(2000) });
      expect(
        provider.readResponse({ status: 503, headers: {}, body: '' }, context),
      ).toEqual({ ok: false, providerText: undefined });
    });
  });

  describe('on the wire', () => {
    let server: HttpsTestServer;

    beforeAll(async () => {
      server = await HttpsTestServer.start();
    });
    afterAll(() => server.close());

    it('sends exactly the built request, every byte percent-encoded', async () => {
      const { transport, close } = await createTransport({
        extraCaCertificates: server.caPem,
      });
      server.answer({ status: 200, body: 'OK' });
      const message = 'Kode: 1+2 & 50% #1 æøå 🙂';
      const context = sendContext(
        { ...settings, apiUrl: `${server.url}/sms/` },
        '+45 12 34 56 78',
        message,
      );
      try {
        const response = await transport.send(provider.buildRequest(context));
        expect(provider.readResponse(response, context)).toEqual({ ok: true });
      } finally {
        await close();
      }

      const [received] = server.requests;
      expect(received.method).toBe('GET');
      expect(received.path).toBe('/sms/');
      expect(received.query).toBe(
        'username=xxxxxx&password=yyyyyy&recipient=%2B4512345678&from=My-sender' +
          '&message=Kode%3A%201%2B2%20%26%2050%25%20%231%20%C3%A6%C3%B8%C3%A5%20%F0%9F%99%82',
      );
      expect(Object.fromEntries(new URLSearchParams(received.query))).toEqual({
        username: 'xxxxxx',
        password: 'yyyyyy',
        recipient: '+4512345678',
        from: 'My-sender',
        message,
      });
      expect(received.body).toHaveLength(0);
      expect(received.headers.authorization).toBeUndefined();
      expect(received.headers['content-type']).toBeUndefined();
    });
  });
});

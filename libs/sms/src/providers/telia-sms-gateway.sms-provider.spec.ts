import {
  createCertificateAuthority,
  issueCertificate,
} from '../../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import { createTransport } from '../../../../test/support/sms-http-transport.fixture.js';
import { sendContext } from '../../../../test/support/sms-send-context.fixture.js';
import type { SmsProvider } from './sms-provider.interface.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmsError } from '../errors/sms.error.js';
import { TeliaSmsGatewaySmsProvider } from './telia-sms-gateway.sms-provider.js';

const settings: SmsSettings = {
  type: 'TeliaSmsGateway',
  fromName: 'My-sender',
  apiUrl:
    'https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests',
  clientId: '12345',
  clientSecret: 'b7dc08b6-54c8-46c2-ba37-21855d0acca4',
  certificatePemCrt:
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  certificatePemKey:
    '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
};

describe('TeliaSmsGatewaySmsProvider', () => {
  const provider: SmsProvider = new TeliaSmsGatewaySmsProvider();

  describe('buildRequest', () => {
    it('builds the POST to ApiUrl as given, with the bearer key, the client certificate and the documented body', () => {
      expect(
        provider.buildRequest(
          sendContext(settings, '+4512345678', 'Your code is 123456', 'corr-1'),
        ),
      ).toEqual({
        method: 'POST',
        url: 'https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests',
        headers: {
          Authorization: 'Bearer b7dc08b6-54c8-46c2-ba37-21855d0acca4',
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: '{"outboundMessageRequest":{"address":["tel:+4512345678"],"senderAddress":"12345","senderName":"My-sender","outboundSMSTextMessage":{"message":"Your code is 123456"},"clientCorrelator":"corr-1"}}',
        clientCertificate: {
          certificatePem: settings.certificatePemCrt,
          privateKeyPem: settings.certificatePemKey,
        },
      });
    });

    it('takes ApiUrl exactly as given, and ClientId verbatim as the sender address', () => {
      const request = provider.buildRequest(
        sendContext({
          ...settings,
          apiUrl: 'https://gw.example',
          clientId: 'tel:+4570000000',
        }),
      );
      expect(request.url).toBe('https://gw.example');
      expect(
        JSON.parse(request.body!).outboundMessageRequest.senderAddress,
      ).toBe('tel:+4570000000');
    });

    it('hands over one certificate object per settings object, and a new one for new settings', () => {
      const first = provider.buildRequest(sendContext(settings));
      const again = provider.buildRequest(sendContext(settings, '+4587654321'));
      const changed = provider.buildRequest(
        sendContext({ ...settings, certificatePemKey: 'other key' }),
      );

      expect(again.clientCertificate).toBe(first.clientCertificate);
      expect(changed.clientCertificate).not.toBe(first.clientCertificate);
      expect(changed.clientCertificate?.privateKeyPem).toBe('other key');
    });

    it('refuses settings without a client certificate', () => {
      expect(() =>
        provider.buildRequest(
          sendContext({ ...settings, certificatePemKey: undefined }),
        ),
      ).toThrow(SmsError);
    });
  });

  describe('readResponse', () => {
    const context = sendContext(settings);
    const read = (status: number, body: string) =>
      provider.readResponse({ status, headers: {}, body }, context);

    it.each([200, 201, 202])(
      'reads the last segment of resourceURL as the id of HTTP %i',
      (status) => {
        expect(
          read(
            status,
            '{"resourceReference":{"resourceURL":"https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests/a1b2c3"}}',
          ),
        ).toEqual({ ok: true, messageId: 'a1b2c3' });
      },
    );

    it('ignores a trailing slash or a query in resourceURL, and a body without one', () => {
      expect(
        read(
          201,
          '{"resourceReference":{"resourceURL":"/outbound/12345/requests/42/?x=1"}}',
        ),
      ).toEqual({ ok: true, messageId: '42' });
      expect(read(201, 'Created')).toEqual({ ok: true, messageId: undefined });
    });

    it('takes another 2xx as a failure', () => {
      expect(read(204, '')).toEqual({ ok: false, providerText: undefined });
    });

    it('reads a policy exception, with its variables filled in', () => {
      expect(
        read(
          403,
          '{"requestError":{"policyException":{"messageId":"POL3003","text":"Too many requests: %1 per second allowed","variables":["10"]}}}',
        ),
      ).toEqual({
        ok: false,
        providerCode: 'POL3003',
        providerText: 'Too many requests: 10 per second allowed',
      });
    });

    it('reads a service exception', () => {
      expect(
        read(
          400,
          '{"requestError":{"serviceException":{"messageId":"SVC0002","text":"Invalid input value for message part address"}}}',
        ),
      ).toEqual({
        ok: false,
        providerCode: 'SVC0002',
        providerText: 'Invalid input value for message part address',
      });
    });

    it('keeps a plain text 400 as the text, and an empty 403 without one', () => {
      expect(read(400, 'Bad Request: malformed JSON')).toEqual({
        ok: false,
        providerText: 'Bad Request: malformed JSON',
      });
      expect(read(403, '')).toEqual({ ok: false, providerText: undefined });
      expect(read(500, '{"requestError":{}}')).toEqual({
        ok: false,
        providerText: '{"requestError":{}}',
      });
    });
  });

  describe('on the wire, over mutual TLS', () => {
    it('presents the client certificate and posts the exact bytes', async () => {
      const clientCa = await createCertificateAuthority({
        commonName: 'Telia client CA',
      });
      const client = await issueCertificate(clientCa, {
        commonName: 'sms-client',
        usage: 'client',
        keyType: 'rsa',
      });
      const server = await HttpsTestServer.start({
        clientCa: clientCa.certificatePem,
      });
      const { transport, close } = await createTransport({
        extraCaCertificates: server.caPem,
      });
      server.answer({
        status: 201,
        body: {
          resourceReference: {
            resourceURL: `${server.url}/messaging/v1/outbound/12345/requests/msg-77`,
          },
        },
      });
      const context = sendContext(
        {
          ...settings,
          apiUrl: `${server.url}/messaging/v1/outbound/12345/requests`,
          certificatePemCrt: client.certificatePem,
          certificatePemKey: client.privateKeyPem,
        },
        '+4512345678',
        'Din kode er 123456',
        'c0ffee00-0000-4000-8000-000000000001',
      );
      try {
        const response = await transport.send(provider.buildRequest(context));
        expect(provider.readResponse(response, context)).toEqual({
          ok: true,
          messageId: 'msg-77',
        });
      } finally {
        await close();
        await server.close();
      }

      const [received] = server.requests;
      expect(received.clientCertificateCommonName).toBe('sms-client');
      expect(received.method).toBe('POST');
      expect(received.url).toBe('/messaging/v1/outbound/12345/requests');
      expect(received.headers.authorization).toBe(
        'Bearer b7dc08b6-54c8-46c2-ba37-21855d0acca4',
      );
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers.accept).toBe('application/json');
      expect(received.body.toString('utf8')).toBe(
        '{"outboundMessageRequest":{"address":["tel:+4512345678"],"senderAddress":"12345","senderName":"My-sender","outboundSMSTextMessage":{"message":"Din kode er 123456"},"clientCorrelator":"c0ffee00-0000-4000-8000-000000000001"}}',
      );
    });
  });
});

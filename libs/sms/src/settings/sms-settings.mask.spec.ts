import { X509Certificate } from 'node:crypto';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { maskSmsSettings, unmaskSmsSettings } from './sms-settings.mask.js';
import { parseEnvironmentSmsSettings } from './sms-settings.validator.js';

let client: PemCertificate;

beforeAll(async () => {
  const ca = await createCertificateAuthority({ commonName: 'Mask CA' });
  client = await issueCertificate(ca, {
    commonName: 'mask-client',
    usage: 'client',
    keyType: 'rsa',
  });
});

/** Every line of the private key's body: none may appear in a masked view. */
function keyMaterial(pem: string): string[] {
  return pem.split('\n').filter((line) => line && !line.startsWith('-----'));
}

describe('maskSmsSettings', () => {
  it('hides fixed Access URL values and the fixed parts of placeholder values', () => {
    const settings: SmsSettings = {
      type: 'AccessUrl',
      fromName: 'My-sender',
      apiUrl: 'https://some-provider.dk/sms/',
      parameters: [
        { name: 'username', value: 'user-name-1' },
        { name: 'password', value: 'pass-word-2' },
        { name: 'recipient', value: '{phone}' },
        { name: 'from', value: 'Sender: {fromName}' },
        { name: 'message', value: '{message}' },
        { name: 'flag', value: '' },
      ],
    };
    const masked = maskSmsSettings(settings);
    expect(masked).toEqual({
      type: 'AccessUrl',
      fromName: 'My-sender',
      apiUrl: 'https://some-provider.dk/sms/',
      parameters: [
        { name: 'username', hasValue: true },
        { name: 'password', hasValue: true },
        { name: 'recipient', value: '{phone}', hasValue: true },
        { name: 'from', value: '[redacted]{fromName}', hasValue: true },
        { name: 'message', value: '{message}', hasValue: true },
        { name: 'flag', hasValue: false },
      ],
      hasClientSecret: false,
      hasCertificatePemKey: false,
    });
    const json = JSON.stringify(masked);
    expect(json).not.toContain('user-name-1');
    expect(json).not.toContain('pass-word-2');
    expect(json).not.toContain('Sender: ');
  });

  it('hides a secret mixed with a placeholder, and an API URL query', () => {
    const settings: SmsSettings = {
      type: 'AccessUrl',
      fromName: 'My-sender',
      apiUrl: 'https://some-provider.dk/sms/',
      parameters: [
        { name: 'auth', value: 'user:HiddenPw123{fromName}' },
        { name: 'to', value: '+{phone}/x' },
        { name: 'text', value: '{message}' },
      ],
    };

    expect(maskSmsSettings(settings).parameters).toEqual([
      { name: 'auth', value: '[redacted]{fromName}', hasValue: true },
      { name: 'to', value: '[redacted]{phone}[redacted]', hasValue: true },
      { name: 'text', value: '{message}', hasValue: true },
    ]);
    expect(
      maskSmsSettings({
        type: 'GatewayApi',
        fromName: 'My-sender',
        apiUrl: 'https://gatewayapi.eu/rest/mtsms?token=query-token-77',
        clientSecret: 'gateway-api-token',
      }).apiUrl,
    ).toBe('https://gatewayapi.eu/rest/mtsms?[redacted]');
  });

  it('shows that a Gateway API token is set, never the token', () => {
    const masked = maskSmsSettings({
      type: 'GatewayApi',
      fromName: 'My-sender',
      apiUrl: 'https://gatewayapi.eu/rest/mtsms',
      clientSecret: 'gateway-api-token',
      label: 'FoxIDs',
    });
    expect(masked).toEqual({
      type: 'GatewayApi',
      fromName: 'My-sender',
      apiUrl: 'https://gatewayapi.eu/rest/mtsms',
      hasClientSecret: true,
      label: 'FoxIDs',
      hasCertificatePemKey: false,
    });
    expect(JSON.stringify(masked)).not.toContain('gateway-api-token');
  });

  it('masks the fallback exactly like the primary', () => {
    const fallback: SmsSettings = {
      type: 'Smstools',
      fromName: 'My-sender',
      apiUrl: 'https://app.smstools.com/?key=query-secret',
      clientId: 'client-id',
      clientSecret: 'fallback-secret-value',
    };
    const masked = maskSmsSettings({
      type: 'GatewayApi',
      fromName: 'My-sender',
      apiUrl: 'https://gatewayapi.eu/rest/mtsms',
      clientSecret: 'gateway-api-token',
      fallback,
    });
    expect(masked.fallback).toEqual(maskSmsSettings(fallback));
    expect(masked.fallback?.apiUrl).toBe(
      'https://app.smstools.com/?[redacted]',
    );
    expect(JSON.stringify(masked)).not.toMatch(
      /fallback-secret-value|query-secret|gateway-api-token/,
    );
    expect(maskSmsSettings(fallback)).not.toHaveProperty('fallback');
  });

  it('puts back the masked values of a fallback sent back, and names those that match nothing', () => {
    const stored: SmsSettings = {
      type: 'GatewayApi',
      fromName: 'My-sender',
      apiUrl: 'https://gatewayapi.eu/rest/mtsms',
      clientSecret: 'gateway-api-token',
      fallback: {
        type: 'GatewayApi',
        fromName: 'My-sender',
        apiUrl: 'https://fallback.example/sms?token=query-secret',
        clientSecret: 'fallback-token',
      },
    };
    const sentBack = {
      ...stored,
      apiUrl: 'https://other.example/sms?[redacted]',
      fallback: {
        ...stored.fallback,
        apiUrl: 'https://fallback.example/sms?[redacted]',
      },
    };
    const { input, problems } = unmaskSmsSettings(sentBack, stored);
    expect((input as SmsSettings).fallback?.apiUrl).toBe(
      'https://fallback.example/sms?token=query-secret',
    );
    expect(problems.map((p) => p.path)).toEqual(['apiUrl']);
    expect(
      unmaskSmsSettings(
        {
          ...stored,
          fallback: {
            ...sentBack.fallback,
            apiUrl: 'https://x.example/?[redacted]',
          },
        },
        stored,
      ).problems.map((p) => p.path),
    ).toEqual(['fallback.apiUrl']);
  });

  it('shows the Smstools client id, not its secret', () => {
    const masked = maskSmsSettings({
      type: 'Smstools',
      fromName: 'My-sender',
      apiUrl: 'https://app.smstools.com',
      clientId: 'client-id',
      clientSecret: 'client-secret-value',
    });
    expect(masked).toEqual({
      type: 'Smstools',
      fromName: 'My-sender',
      apiUrl: 'https://app.smstools.com',
      clientId: 'client-id',
      hasClientSecret: true,
      hasCertificatePemKey: false,
    });
    expect(JSON.stringify(masked)).not.toContain('client-secret-value');
  });

  it('describes the Telia certificate and never shows the key, the PEM or the API key', () => {
    const { settings } = parseEnvironmentSmsSettings({
      type: 'TeliaSmsGateway',
      fromName: 'My-sender',
      apiUrl:
        'https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests',
      clientId: '12345',
      clientSecret: 'b7dc08b6-54c8-46c2-ba37-21855d0acca4',
      certificatePemCrt: client.certificatePem,
      certificatePemKey: client.privateKeyPem,
    });
    const masked = maskSmsSettings(settings);
    const x509 = new X509Certificate(client.certificatePem);
    expect(masked).toEqual({
      type: 'TeliaSmsGateway',
      fromName: 'My-sender',
      apiUrl:
        'https://smsgw.teliamobile.dk:12123/messaging/v1/outbound/12345/requests',
      clientId: '12345',
      hasClientSecret: true,
      hasCertificatePemKey: true,
      certificate: {
        subject: 'CN=mask-client',
        issuer: 'CN=Mask CA',
        validFrom: new Date(x509.validFrom).toISOString(),
        validTo: new Date(x509.validTo).toISOString(),
        fingerprintSha256: x509.fingerprint256,
      },
    });
    const json = JSON.stringify(masked);
    expect(json).not.toContain('b7dc08b6-54c8-46c2-ba37-21855d0acca4');
    expect(json).not.toContain('PRIVATE KEY');
    expect(json).not.toContain('BEGIN CERTIFICATE');
    for (const line of keyMaterial(client.privateKeyPem)) {
      expect(json).not.toContain(line);
    }
  });
});

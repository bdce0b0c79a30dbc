import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { SmsClientCertificateGuard } from './sms-client-certificate.guard.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import { SmsProviderError } from '../errors/sms-provider.error.js';

let ca: PemCertificate;
let client: PemCertificate;

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'Guard CA' });
  client = await issueCertificate(ca, {
    commonName: 'guard-client',
    usage: 'client',
    notBefore: new Date('2030-01-01T00:00:00Z'),
    notAfter: new Date('2031-01-01T00:00:00Z'),
  });
});

function teliaSettings(pair: PemCertificate): SmsSettings {
  return {
    type: 'TeliaSmsGateway',
    fromName: 'My-sender',
    apiUrl: 'https://127.0.0.1:12123/messaging/v1/outbound/12345/requests',
    clientId: '12345',
    clientSecret: 'telia-api-key',
    certificatePemCrt: pair.certificatePem,
    certificatePemKey: pair.privateKeyPem,
  };
}

function refusal(act: () => void): SmsProviderError {
  let error: unknown;
  try {
    act();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('SmsClientCertificateGuard', () => {
  const guard = new SmsClientCertificateGuard();

  it('lets settings without a certificate through', () => {
    expect(() =>
      guard.assertUsable({
        type: 'GatewayApi',
        fromName: 'x',
        apiUrl: 'https://127.0.0.1/',
        clientSecret: 'token',
      }),
    ).not.toThrow();
  });

  it('lets a certificate within its validity period through', () => {
    expect(() =>
      guard.assertUsable(
        teliaSettings(client),
        new Date('2030-06-01T00:00:00Z'),
      ),
    ).not.toThrow();
  });

  it('refuses an expired certificate: not sent, no status, provider named', () => {
    const error = refusal(() =>
      guard.assertUsable(
        teliaSettings(client),
        new Date('2031-06-01T00:00:00Z'),
      ),
    );
    expect(error.message).toBe(
      'The TeliaSmsGateway client certificate is outside its validity period (expired on 2031-01-01T00:00:00.000Z); renew the certificate and key in the SMS settings.',
    );
    expect(error.provider).toBe('TeliaSmsGateway');
    expect(error.maybeSent).toBe(false);
    expect(error.status).toBeUndefined();
  });

  it('refuses a certificate not yet valid', () => {
    expect(
      refusal(() =>
        guard.assertUsable(
          teliaSettings(client),
          new Date('2029-06-01T00:00:00Z'),
        ),
      ).message,
    ).toBe(
      'The TeliaSmsGateway client certificate is outside its validity period (not valid before 2030-01-01T00:00:00.000Z); renew the certificate and key in the SMS settings.',
    );
  });

  it('judges against the current time by default', () => {
    expect(() => guard.assertUsable(teliaSettings(client))).toThrow(
      /not valid before 2030-01-01/,
    );
  });

  it('refuses a key that does not belong to the certificate, without key material', async () => {
    const other = await issueCertificate(ca, {
      commonName: 'other',
      usage: 'client',
    });
    const settings = {
      ...teliaSettings(client),
      certificatePemKey: other.privateKeyPem,
    };
    const error = refusal(() =>
      guard.assertUsable(settings, new Date('2030-06-01T00:00:00Z')),
    );
    expect(error.message).toBe(
      'The TeliaSmsGateway client certificate cannot be used: certificatePemKey does not belong to the certificate.',
    );
    expect(error.maybeSent).toBe(false);
  });

  it('reads the certificate of one settings object once', () => {
    const cachingGuard = new SmsClientCertificateGuard();
    const settings = teliaSettings(client);
    const during = new Date('2030-06-01T00:00:00Z');
    cachingGuard.assertUsable(settings, during);
    // Settings objects are immutable by contract; changing this one shows that it is not read again.
    settings.certificatePemCrt = 'not a certificate';
    expect(() => cachingGuard.assertUsable(settings, during)).not.toThrow();
    expect(() => cachingGuard.assertUsable({ ...settings }, during)).toThrow(
      'The TeliaSmsGateway client certificate cannot be used: certificatePemCrt is not a PEM X.509 certificate; it must start with -----BEGIN CERTIFICATE-----.',
    );
  });
});

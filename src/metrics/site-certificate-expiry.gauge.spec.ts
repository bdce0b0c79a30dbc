import { register } from 'prom-client';
import {
  createCertificateAuthority,
  issueCertificate,
} from '../../sandbox/certificates.js';
import { SiteCertificateExpiryGauge } from './site-certificate-expiry.gauge.js';
import { SMS_METRIC_NAMES } from './sms.metrics.js';

const NAME = SMS_METRIC_NAMES.siteCertificateExpiry;

describe('SiteCertificateExpiryGauge', () => {
  afterEach(() => register.removeSingleMetric(NAME));

  it('shows when the site’s Telia client certificate expires, in Unix seconds, until destroyed', async () => {
    const notAfter = new Date('2031-03-04T05:06:07.000Z');
    const authority = await createCertificateAuthority({ commonName: 'CA' });
    const client = await issueCertificate(authority, {
      commonName: 'acme-client',
      usage: 'client',
      notAfter,
    });
    const gauge = new SiteCertificateExpiryGauge({
      Type: 'TeliaSmsGateway',
      FromName: 'Acme',
      ApiUrl: 'https://127.0.0.1:1/messaging/v1/outbound/12345/requests',
      ClientId: '12345',
      ClientSecret: 'telia-api-key-0123456789',
      CertificatePemCrt: client.certificatePem,
      CertificatePemKey: client.privateKeyPem,
    });

    gauge.onModuleInit();
    const shown = await register.getSingleMetricAsString(NAME);
    gauge.onModuleDestroy();

    expect(shown).toContain(`\n${NAME} ${notAfter.getTime() / 1000}`);
    expect(register.getSingleMetric(NAME)).toBeUndefined();
  });

  it('is not registered when the site has no client certificate, or no provider', () => {
    for (const sms of [
      undefined,
      {
        Type: 'GatewayApi',
        FromName: 'Acme',
        ApiUrl: 'https://gatewayapi.eu/rest/mtsms',
        ClientSecret: 'gateway-token-0123456789',
      },
    ]) {
      new SiteCertificateExpiryGauge(sms).onModuleInit();
      expect(register.getSingleMetric(NAME)).toBeUndefined();
    }
  });
});

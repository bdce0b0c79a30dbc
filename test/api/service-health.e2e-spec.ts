import request from 'supertest';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import { startServiceTestApp } from '../support/service-test-app.js';

const DAY_MS = 86_400_000;
const API_KEY = 'health-api-key-0123456789';
const TELIA_API_KEY = 'telia-api-key-value-123';

describe('GET /health with a Telia site provider', () => {
  let authority: PemCertificate;
  beforeAll(async () => {
    authority = await createCertificateAuthority({
      commonName: 'Health test CA',
    });
  });

  /** Starts the service with a Telia client certificate valid until `notAfter`, and reads /health. */
  async function healthWith(
    notAfter: Date,
    notBefore = new Date(Date.now() - DAY_MS),
  ) {
    const client = await issueCertificate(authority, {
      commonName: 'telia-client',
      usage: 'client',
      notBefore,
      notAfter,
    });
    const service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'TeliaSmsGateway',
            FromName: 'Acme',
            ApiUrl: 'https://127.0.0.1:1/messaging/v1/outbound/12345/requests',
            ClientId: '12345',
            ClientSecret: TELIA_API_KEY,
            CertificatePemCrt: client.certificatePem,
            CertificatePemKey: client.privateKeyPem,
          },
          Api: { Keys: [API_KEY] },
        },
      },
    });
    try {
      const response = await request(service.url).get('/health');
      return { response, client };
    } finally {
      await service.close();
    }
  }

  it('is ok while the certificate has more than 30 days left, and describes it', async () => {
    const notAfter = new Date(Date.now() + 90 * DAY_MS);

    const { response, client } = await healthWith(notAfter);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      sms: {
        status: 'ok',
        provider: 'TeliaSmsGateway',
        certificate: {
          subject: 'CN=telia-client',
          validTo: expect.any(String),
          daysLeft: expect.any(Number),
        },
      },
      store: { status: 'ok' },
    });
    expect(Date.parse(response.body.sms.certificate.validTo)).toBe(
      Math.floor(notAfter.getTime() / 1000) * 1000,
    );
    expect(response.body.sms.certificate.daysLeft).toBeGreaterThanOrEqual(89);
    const body = response.text;
    expect(body).not.toContain(TELIA_API_KEY);
    expect(body).not.toContain('BEGIN');
    expect(body).not.toContain(client.privateKeyPem.split('\n')[1]);
  });

  it('is degraded within 30 days of the end, saying so', async () => {
    const { response } = await healthWith(new Date(Date.now() + 10 * DAY_MS));

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('degraded');
    expect(response.body.sms.status).toBe('degraded');
    expect(response.body.sms.certificate.daysLeft).toBeLessThan(30);
    expect(response.body.sms.certificate.problem).toMatch(
      /^The client certificate expires on /,
    );
  });

  it('is degraded once the certificate has expired; the service still starts', async () => {
    const { response } = await healthWith(
      new Date(Date.now() - DAY_MS),
      new Date(Date.now() - 30 * DAY_MS),
    );

    expect(response.body.status).toBe('degraded');
    expect(response.body.sms.certificate.problem).toMatch(
      /^The client certificate expired on /,
    );
  });
});

describe('GET /health with a Telia site fallback', () => {
  it('describes the fallback and its certificate, and is degraded when it nears its end', async () => {
    const authority = await createCertificateAuthority({
      commonName: 'Health fallback CA',
    });
    const client = await issueCertificate(authority, {
      commonName: 'telia-fallback',
      usage: 'client',
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 10 * DAY_MS),
    });
    const service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: 'https://127.0.0.1:1/rest/mtsms',
            ClientSecret: 'gateway-token-health',
            Fallback: {
              Type: 'TeliaSmsGateway',
              FromName: 'Acme',
              ApiUrl:
                'https://127.0.0.1:1/messaging/v1/outbound/12345/requests',
              ClientId: '12345',
              ClientSecret: TELIA_API_KEY,
              CertificatePemCrt: client.certificatePem,
              CertificatePemKey: client.privateKeyPem,
            },
          },
          Api: { Keys: [API_KEY] },
        },
      },
    });
    try {
      const response = await request(service.url).get('/health');

      expect(response.body.status).toBe('degraded');
      expect(response.body.sms).toMatchObject({
        status: 'degraded',
        provider: 'GatewayApi',
        fallback: {
          provider: 'TeliaSmsGateway',
          certificate: {
            subject: 'CN=telia-fallback',
            problem: expect.stringMatching(
              /^The client certificate expires on /,
            ),
          },
        },
      });
      expect(response.body.sms).not.toHaveProperty('certificate');
      expect(response.text).not.toContain(TELIA_API_KEY);
      expect(response.text).not.toContain('gateway-token-health');
      expect(response.text).not.toContain(client.privateKeyPem.split('\n')[1]);
    } finally {
      await service.close();
    }
  });
});

import {
  X509Certificate,
  createPrivateKey,
  generateKeyPairSync,
} from 'node:crypto';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import {
  certificateValidityProblem,
  inspectClientCertificate,
} from './client-certificate.js';

let ca: PemCertificate;
let rsa: PemCertificate;
let ec: PemCertificate;

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'Client CA' });
  rsa = await issueCertificate(ca, {
    commonName: 'rsa-client',
    usage: 'client',
    keyType: 'rsa',
  });
  ec = await issueCertificate(ca, { commonName: 'ec-client', usage: 'client' });
});

const convert = (pem: string, type: 'pkcs1' | 'sec1' | 'pkcs8') =>
  createPrivateKey(pem).export({ type, format: 'pem' }) as string;

/** The base64 lines of a PEM key: none of them may appear in what the inspection returns. */
const keyLines = (pem: string) =>
  pem.split('\n').filter((line) => line && !line.startsWith('-----'));

describe('inspectClientCertificate', () => {
  it.each([
    [
      'RSA',
      'PKCS#8',
      () => rsa,
      (pem: string) => pem,
      '-----BEGIN PRIVATE KEY-----',
    ],
    [
      'RSA',
      'PKCS#1',
      () => rsa,
      (pem: string) => convert(pem, 'pkcs1'),
      '-----BEGIN RSA PRIVATE KEY-----',
    ],
    [
      'EC',
      'PKCS#8',
      () => ec,
      (pem: string) => pem,
      '-----BEGIN PRIVATE KEY-----',
    ],
    [
      'EC',
      'SEC1',
      () => ec,
      (pem: string) => convert(pem, 'sec1'),
      '-----BEGIN EC PRIVATE KEY-----',
    ],
  ])(
    'accepts an %s certificate with its %s key',
    (_kind, _format, pair, toFormat, header) => {
      const key = toFormat(pair().privateKeyPem);
      expect(key.startsWith(header)).toBe(true);
      const inspection = inspectClientCertificate(pair().certificatePem, key);
      expect(inspection.problems).toEqual([]);
      const x509 = new X509Certificate(pair().certificatePem);
      expect(inspection.info).toEqual({
        subject: x509.subject.replace(/\n/g, ', '),
        issuer: 'CN=Client CA',
        validFrom: new Date(x509.validFrom).toISOString(),
        validTo: new Date(x509.validTo).toISOString(),
        fingerprintSha256: x509.fingerprint256,
      });
    },
  );

  it('describes the leaf when a chain is given', () => {
    const inspection = inspectClientCertificate(
      `${ec.certificatePem}\n${ca.certificatePem}`,
      ec.privateKeyPem,
    );
    expect(inspection.problems).toEqual([]);
    expect(inspection.info?.subject).toBe('CN=ec-client');
  });

  it('accepts Windows line breaks', () => {
    const inspection = inspectClientCertificate(
      ec.certificatePem.replace(/\n/g, '\r\n'),
      ec.privateKeyPem.replace(/\n/g, '\r\n'),
    );
    expect(inspection.problems).toEqual([]);
  });

  it('refuses the key of another certificate, and still describes the certificate', () => {
    const inspection = inspectClientCertificate(
      rsa.certificatePem,
      ec.privateKeyPem,
    );
    expect(inspection.problems).toEqual([
      {
        field: 'certificatePemKey',
        reason: 'does not belong to the certificate',
      },
    ]);
    expect(inspection.info?.subject).toBe('CN=rsa-client');
  });

  it.each([
    ['PKCS#8', { type: 'pkcs8' as const }],
    ['PKCS#1', { type: 'pkcs1' as const }],
  ])('refuses an encrypted %s key', (_format, { type }) => {
    const encrypted = createPrivateKey(rsa.privateKeyPem).export({
      type,
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret pass phrase',
    }) as string;
    const inspection = inspectClientCertificate(rsa.certificatePem, encrypted);
    expect(inspection.problems).toEqual([
      {
        field: 'certificatePemKey',
        reason:
          'is an encrypted private key; give the key without a passphrase (for example from openssl pkey -in key.pem -out plain-key.pem)',
      },
    ]);
  });

  it('refuses garbage PEM in both fields, without repeating any of it', () => {
    const garbageCertificate =
      '-----BEGIN CERTIFICATE-----\nTm90QUNlcnRpZmljYXRl\n-----END CERTIFICATE-----\n';
    const garbageKey =
      '-----BEGIN PRIVATE KEY-----\nTm90QUtleUF0QWxsWFla\n-----END PRIVATE KEY-----\n';
    const inspection = inspectClientCertificate(garbageCertificate, garbageKey);
    expect(inspection).toEqual({
      info: undefined,
      problems: [
        {
          field: 'certificatePemCrt',
          reason: 'cannot be read as an X.509 certificate',
        },
        {
          field: 'certificatePemKey',
          reason: 'cannot be read as a private key',
        },
      ],
    });
    expect(JSON.stringify(inspection)).not.toMatch(/Tm90Q/);
  });

  it('refuses a certificate block without its end line', () => {
    expect(
      inspectClientCertificate(
        ec.certificatePem.replace('-----END CERTIFICATE-----', ''),
        ec.privateKeyPem,
      ).problems,
    ).toEqual([
      {
        field: 'certificatePemCrt',
        reason: 'cannot be read as an X.509 certificate',
      },
    ]);
  });

  it('refuses text that is not PEM at all', () => {
    expect(inspectClientCertificate('hello', 'world').problems).toEqual([
      {
        field: 'certificatePemCrt',
        reason:
          'is not a PEM X.509 certificate; it must start with -----BEGIN CERTIFICATE-----',
      },
      {
        field: 'certificatePemKey',
        reason:
          'is not a PEM private key; it must start with -----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----',
      },
    ]);
  });

  it("points out a certificate and a key given in each other's field, without their content", () => {
    const inspection = inspectClientCertificate(
      ec.privateKeyPem,
      ec.certificatePem,
    );
    expect(inspection.problems).toEqual([
      {
        field: 'certificatePemCrt',
        reason:
          'contains a private key, which belongs in the private key field only',
      },
      {
        field: 'certificatePemKey',
        reason: 'contains a certificate, not a private key',
      },
    ]);
    const returned = JSON.stringify(inspection);
    for (const line of keyLines(ec.privateKeyPem)) {
      expect(returned).not.toContain(line);
    }
  });

  it('refuses a certificate field that also carries the private key', () => {
    expect(
      inspectClientCertificate(
        `${ec.certificatePem}${ec.privateKeyPem}`,
        ec.privateKeyPem,
      ).problems,
    ).toEqual([
      {
        field: 'certificatePemCrt',
        reason:
          'contains a private key, which belongs in the private key field only',
      },
    ]);
  });

  it('points out \\n written instead of line breaks', () => {
    const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    expect(
      inspectClientCertificate(
        oneLine(ec.certificatePem),
        oneLine(ec.privateKeyPem),
      ).problems,
    ).toEqual([
      {
        field: 'certificatePemCrt',
        reason:
          'contains the two characters \\n instead of line breaks; write real line breaks',
      },
      {
        field: 'certificatePemKey',
        reason:
          'contains the two characters \\n instead of line breaks; write real line breaks',
      },
    ]);
  });

  it('refuses a key that is neither RSA nor EC', () => {
    const ed25519 = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(
      inspectClientCertificate(ec.certificatePem, ed25519).problems,
    ).toEqual([
      {
        field: 'certificatePemKey',
        reason:
          'holds a key of type ed25519; only RSA and EC keys are supported',
      },
    ]);
  });
});

describe('certificateValidityProblem', () => {
  const info = {
    subject: 'CN=x',
    issuer: 'CN=y',
    validFrom: '2030-01-01T00:00:00.000Z',
    validTo: '2031-01-01T00:00:00.000Z',
    fingerprintSha256: 'AA',
  };

  it.each([
    ['2029-12-31T23:59:59.999Z', 'not valid before 2030-01-01T00:00:00.000Z'],
    ['2030-01-01T00:00:00.000Z', undefined],
    ['2030-06-01T00:00:00.000Z', undefined],
    ['2031-01-01T00:00:00.000Z', undefined],
    ['2031-01-01T00:00:00.001Z', 'expired on 2031-01-01T00:00:00.000Z'],
  ])('at %s: %s', (now, expected) => {
    expect(certificateValidityProblem(info, new Date(now))).toBe(expected);
  });

  it('uses the current time by default', async () => {
    const expired = await issueCertificate(ca, {
      commonName: 'old',
      usage: 'client',
      notBefore: new Date('2001-01-01T00:00:00Z'),
      notAfter: new Date('2002-01-01T00:00:00Z'),
    });
    const { info: oldInfo } = inspectClientCertificate(
      expired.certificatePem,
      expired.privateKeyPem,
    );
    expect(certificateValidityProblem(oldInfo!)).toBe(
      'expired on 2002-01-01T00:00:00.000Z',
    );
    const { info: current } = inspectClientCertificate(
      ec.certificatePem,
      ec.privateKeyPem,
    );
    expect(certificateValidityProblem(current!)).toBeUndefined();
  });
});

describe('keys accepted by the inspection, in a real mutual TLS handshake', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const serverPair = await issueCertificate(ca, {
      commonName: 'localhost',
      usage: 'server',
    });
    server = createServer(
      {
        cert: serverPair.certificatePem,
        key: serverPair.privateKeyPem,
        ca: ca.certificatePem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.end(`client=${String(peer.subject.CN)}`);
      },
    );
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function get(certificatePem: string, privateKeyPem: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          ca: ca.certificatePem,
          cert: certificatePem,
          key: privateKeyPem,
          agent: false,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(`${res.statusCode} ${body}`));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it.each([
    [
      'RSA PKCS#1',
      () => rsa,
      (pem: string) => convert(pem, 'pkcs1'),
      'rsa-client',
    ],
    ['RSA PKCS#8', () => rsa, (pem: string) => pem, 'rsa-client'],
    ['EC SEC1', () => ec, (pem: string) => convert(pem, 'sec1'), 'ec-client'],
    ['EC PKCS#8', () => ec, (pem: string) => pem, 'ec-client'],
  ])(
    'authenticates the client with a %s key',
    async (_name, pair, toFormat, cn) => {
      const key = toFormat(pair().privateKeyPem);
      expect(
        inspectClientCertificate(pair().certificatePem, key).problems,
      ).toEqual([]);
      await expect(get(pair().certificatePem, key)).resolves.toBe(
        `200 client=${cn}`,
      );
    },
  );

  it('fails the handshake with a key the inspection refuses as not belonging', async () => {
    expect(
      inspectClientCertificate(rsa.certificatePem, ec.privateKeyPem).problems,
    ).toHaveLength(1);
    await expect(get(rsa.certificatePem, ec.privateKeyPem)).rejects.toThrow();
  });
});

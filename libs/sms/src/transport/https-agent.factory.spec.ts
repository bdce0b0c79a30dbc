import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import {
  createCertificateAuthority,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import {
  createHttpsAgent,
  trustedCertificateAuthorities,
} from './https-agent.factory.js';
import { SmsError } from '../errors/sms.error.js';

describe('trustedCertificateAuthorities', () => {
  let ca: PemCertificate;
  let otherCa: PemCertificate;
  let folder: string;

  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'Extra CA' });
    otherCa = await createCertificateAuthority({ commonName: 'Env CA' });
    folder = mkdtempSync(join(tmpdir(), 'sms-ca-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it("leaves Node's default trust in place when no extra CA is given", () => {
    vi.stubEnv('NODE_EXTRA_CA_CERTS', join(folder, 'never-read.pem'));
    expect(trustedCertificateAuthorities(undefined)).toBeUndefined();
    expect(trustedCertificateAuthorities('  ')).toBeUndefined();
  });

  it("adds the extra CAs to Node's default roots", () => {
    vi.stubEnv('NODE_EXTRA_CA_CERTS', '');
    const trusted = trustedCertificateAuthorities(
      `${ca.certificatePem}\n${otherCa.certificatePem}`,
    );
    expect(trusted).toEqual([
      ...rootCertificates,
      ca.certificatePem.trim(),
      otherCa.certificatePem.trim(),
    ]);
  });

  it('keeps the file of NODE_EXTRA_CA_CERTS trusted alongside them', () => {
    const file = join(folder, 'extra.pem');
    writeFileSync(file, otherCa.certificatePem);
    vi.stubEnv('NODE_EXTRA_CA_CERTS', file);
    expect(trustedCertificateAuthorities(ca.certificatePem)).toEqual([
      ...rootCertificates,
      otherCa.certificatePem,
      ca.certificatePem.trim(),
    ]);
  });

  it('refuses an unreadable NODE_EXTRA_CA_CERTS file, naming it', () => {
    vi.stubEnv('NODE_EXTRA_CA_CERTS', join(folder, 'missing.pem'));
    expect(() => trustedCertificateAuthorities(ca.certificatePem)).toThrow(
      /^NODE_EXTRA_CA_CERTS: the file .*missing\.pem cannot be read \(ENOENT\)\.$/,
    );
  });

  it('refuses extra CAs that Node would silently ignore', () => {
    expect(() => trustedCertificateAuthorities('not a certificate')).toThrow(
      'extraCaCertificates: no PEM certificate (-----BEGIN CERTIFICATE-----) was found.',
    );
    expect(() =>
      trustedCertificateAuthorities(
        `${ca.certificatePem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
      ),
    ).toThrow('extraCaCertificates: certificate 2 of 2 cannot be parsed.');
  });
});

describe('createHttpsAgent', () => {
  it('refuses a client key that does not load, naming the fields and not the key', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n';
    let error: unknown;
    try {
      createHttpsAgent({
        clientCertificate: { certificatePem: 'x', privateKeyPem: key },
        connectTimeoutMs: 1000,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SmsError);
    expect((error as Error).message).toMatch(
      /^certificatePemCrt \/ certificatePemKey: the client certificate or its private key cannot be loaded/,
    );
    expect((error as Error).message).not.toContain('c2VjcmV0');
  });

  it('resolves new connections through the given lookup', async () => {
    const server = await HttpsTestServer.start();
    const hosts: string[] = [];
    const agent = createHttpsAgent({
      ca: [server.caPem],
      lookup: (hostname, options, callback) => {
        hosts.push(hostname);
        // Whatever the name, the connection goes where the lookup says.
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
      connectTimeoutMs: 5000,
    });
    try {
      const response = await agent.request({
        origin: `https://localhost:${server.port}`,
        path: '/',
        method: 'GET',
      });
      await response.body.dump();

      expect(response.statusCode).toBe(200);
      expect(hosts).toEqual(['localhost']);
    } finally {
      await agent.destroy();
      await server.close();
    }
  });
});

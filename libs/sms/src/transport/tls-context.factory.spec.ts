import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import {
  createCertificateAuthority,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { trustedCertificateAuthorities } from './tls-context.factory.js';

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

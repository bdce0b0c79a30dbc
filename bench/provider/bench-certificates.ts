import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';

/** The certificates of one benchmark run, generated at start-up. */
export interface BenchCertificates {
  /** Issued the provider servers' certificate; the clients trust it as an extra CA. */
  serverCa: PemCertificate;
  /** The provider servers' certificate, for 127.0.0.1 and localhost. */
  server: PemCertificate;
  /** Issues Telia client certificates; the Telia server accepts no others. */
  clientCa: PemCertificate;
  /** A Telia client certificate. */
  client: PemCertificate;
}

/** Generates a server CA and certificate, a client CA and one client certificate (EC P-256). */
export async function createBenchCertificates(): Promise<BenchCertificates> {
  const serverCa = await createCertificateAuthority({
    commonName: 'Benchmark server CA',
  });
  const clientCa = await createCertificateAuthority({
    commonName: 'Benchmark client CA',
  });
  return {
    serverCa,
    server: await issueCertificate(serverCa, {
      commonName: 'localhost',
      usage: 'server',
    }),
    clientCa,
    client: await issueCertificate(clientCa, {
      commonName: 'Telia client',
      usage: 'client',
    }),
  };
}

/** Issues `count` distinct Telia client certificates, as many tenants would each bring their own. */
export async function issueClientCertificates(
  clientCa: PemCertificate,
  count: number,
): Promise<PemCertificate[]> {
  const certificates: PemCertificate[] = [];
  for (let index = 0; index < count; index++) {
    certificates.push(
      await issueCertificate(clientCa, {
        commonName: `Telia client ${index + 1}`,
        usage: 'client',
      }),
    );
  }
  return certificates;
}

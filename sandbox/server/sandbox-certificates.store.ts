import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../certificates.js';

/** The sandbox's certificates, kept in its data folder between starts. */
export interface SandboxCertificates {
  /** The CA that issued the other two; the service trusts it. */
  ca: PemCertificate;
  /** The HTTPS server's certificate, for localhost, 127.0.0.1 and ::1. */
  server: PemCertificate;
  /** The client certificate the Telia endpoint accepts for mutual TLS. */
  teliaClient: PemCertificate;
  /** The absolute path of the CA certificate's PEM file. */
  caCertificateFile: string;
}

/** A certificate that expires sooner than this is replaced at start. */
export const SANDBOX_CERTIFICATE_RENEWAL_MS = 7 * 86_400_000;

const DAY_MS = 86_400_000;
const FILES = {
  ca: 'sandbox-ca',
  server: 'sandbox-server',
  teliaClient: 'sandbox-telia-client',
} as const;

/**
 * Loads the CA, server and Telia client certificates from `dataDir`, issuing any that is missing,
 * unreadable, not issued by the current CA, or expiring within seven days. A new CA brings new
 * leaf certificates. Private keys are written with mode 0600.
 */
export async function loadSandboxCertificates(
  dataDir: string,
  now = new Date(),
): Promise<SandboxCertificates> {
  const directory = resolve(dataDir);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const ca = await loadOrIssue({
    directory,
    name: FILES.ca,
    now,
    issue: () =>
      createCertificateAuthority({
        commonName: 'nest-sms sandbox CA',
        notAfter: new Date(now.getTime() + 5 * 365 * DAY_MS),
      }),
  });
  const server = await loadOrIssue({
    directory,
    name: FILES.server,
    issuer: ca,
    now,
    issue: () =>
      issueCertificate(ca, {
        commonName: 'localhost',
        usage: 'server',
        hosts: ['localhost', '127.0.0.1', '::1'],
        notAfter: new Date(now.getTime() + 365 * DAY_MS),
      }),
  });
  const teliaClient = await loadOrIssue({
    directory,
    name: FILES.teliaClient,
    issuer: ca,
    now,
    issue: () =>
      issueCertificate(ca, {
        commonName: 'nest-sms sandbox Telia client',
        usage: 'client',
        keyType: 'rsa',
        notAfter: new Date(now.getTime() + 365 * DAY_MS),
      }),
  });
  return {
    ca,
    server,
    teliaClient,
    caCertificateFile: join(directory, `${FILES.ca}.crt`),
  };
}

/** One certificate to load from the data folder, or to issue when the stored one is not usable. */
interface CertificateSlot {
  directory: string;
  /** The file name without extension: `<name>.crt` and `<name>.key`. */
  name: string;
  /** The CA the stored certificate must be issued by; none for the self-signed CA. */
  issuer?: PemCertificate;
  now: Date;
  issue: () => Promise<PemCertificate>;
}

async function loadOrIssue({
  directory,
  name,
  issuer,
  now,
  issue,
}: CertificateSlot): Promise<PemCertificate> {
  const certificateFile = join(directory, `${name}.crt`);
  const keyFile = join(directory, `${name}.key`);
  const stored = await readPair(certificateFile, keyFile);
  if (stored && isUsable(stored, issuer ?? stored, now)) return stored;
  const issued = await issue();
  // The key first: a certificate without its key on disk would be unusable after a crash.
  await writeAtomically(keyFile, issued.privateKeyPem, 0o600);
  await writeAtomically(certificateFile, issued.certificatePem, 0o644);
  return issued;
}

async function readPair(
  certificateFile: string,
  keyFile: string,
): Promise<PemCertificate | undefined> {
  try {
    return {
      certificatePem: await readFile(certificateFile, 'utf8'),
      privateKeyPem: await readFile(keyFile, 'utf8'),
    };
  } catch {
    return undefined;
  }
}

function isUsable(
  pair: PemCertificate,
  issuer: PemCertificate,
  now: Date,
): boolean {
  try {
    const certificate = new X509Certificate(pair.certificatePem);
    const issuerCertificate = new X509Certificate(issuer.certificatePem);
    return (
      certificate.checkPrivateKey(createPrivateKey(pair.privateKeyPem)) &&
      certificate.checkIssued(issuerCertificate) &&
      certificate.verify(issuerCertificate.publicKey) &&
      Date.parse(certificate.validFrom) <= now.getTime() &&
      Date.parse(certificate.validTo) - now.getTime() >
        SANDBOX_CERTIFICATE_RENEWAL_MS
    );
  } catch {
    return false;
  }
}

async function writeAtomically(
  file: string,
  content: string,
  mode: number,
): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  // writeFile applies the mode only to a new file; a leftover temporary file keeps its own.
  await chmod(temporary, mode);
  await rename(temporary, file);
}

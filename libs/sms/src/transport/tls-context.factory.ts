import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createSecureContext,
  rootCertificates,
  type SecureContext,
} from 'node:tls';
import { SmsError } from '../errors/sms.error.js';

/** A client certificate and its private key, both PEM. */
export interface ClientCertificatePem {
  certificatePem: string;
  privateKeyPem: string;
}

// Node reads NODE_EXTRA_CA_CERTS once, as the process starts; this module is loaded soon after.
const STARTUP_EXTRA_CA_FILE = process.env.NODE_EXTRA_CA_CERTS;

// Node's default roots and the NODE_EXTRA_CA_CERTS certificates it loaded; built on first use.
let defaultTrust: Set<string> | undefined;

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * The CA certificates to trust when `extraCaCertificates` is set: Node's default roots, the file named
 * by `NODE_EXTRA_CA_CERTS` and the extra ones. Undefined when there are no extra ones, which leaves
 * Node's default trust (that already includes `NODE_EXTRA_CA_CERTS`) in place.
 *
 * @throws SmsError when `extraCaCertificates` holds no certificate or one that cannot be parsed
 * (Node would silently ignore it), or when `NODE_EXTRA_CA_CERTS` names a file that cannot be read.
 */
export function trustedCertificateAuthorities(
  extraCaCertificates: string | undefined,
): string[] | undefined {
  if (!extraCaCertificates?.trim()) return undefined;
  const extra = parseCertificates(extraCaCertificates);
  const ca = [...rootCertificates];
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      ca.push(readFileSync(extraFile, 'utf8'));
    } catch (error) {
      throw new SmsError(
        `NODE_EXTRA_CA_CERTS: the file ${extraFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`,
        { cause: error },
      );
    }
  }
  ca.push(...extra);
  return ca;
}

function parseCertificates(pem: string): string[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new SmsError(
      'extraCaCertificates: no PEM certificate (-----BEGIN CERTIFICATE-----) was found.',
    );
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new SmsError(
        `extraCaCertificates: certificate ${index + 1} of ${blocks.length} cannot be parsed.`,
      );
    }
  });
  return blocks;
}

/**
 * Builds the TLS context of provider connections: TLS 1.2 or newer, server certificates checked
 * against `ca` (or Node's default trust), and `clientCertificate` presented when one is given. The
 * key material and trust store are parsed here, once.
 *
 * @throws SmsError when the CA certificates, the client certificate or its key cannot be loaded.
 */
export function createTlsContext(options: {
  ca?: string[];
  clientCertificate?: ClientCertificatePem;
}): SecureContext {
  const { ca, clientCertificate } = options;
  const beyondDefaultTrust =
    ca && includesDefaultRoots(ca) ? outsideDefaultTrust(ca) : undefined;
  try {
    const context = createSecureContext({
      minVersion: 'TLSv1.2',
      ca: beyondDefaultTrust ? undefined : ca,
      cert: clientCertificate?.certificatePem,
      key: clientCertificate?.privateKeyPem,
    });
    // Given as `ca`, Node's default roots (and the NODE_EXTRA_CA_CERTS bundle) are parsed and
    // indexed anew for every context: 0.05 to 0.1 s of blocked event loop per client-certificate
    // agent. Its default trust store is built once per process, so the context starts from it and
    // only the other certificates are added.
    for (const pem of beyondDefaultTrust ?? []) {
      (context.context as NativeSecureContext).addCACert(pem);
    }
    return context;
  } catch (error) {
    const what = clientCertificate
      ? 'certificatePemCrt / certificatePemKey: the client certificate or its private key'
      : 'extraCaCertificates: the CA certificates';
    throw new SmsError(
      `${what} cannot be loaded (${(error as Error).message}).`,
    );
  }
}

/** The native context under a `SecureContext`: `tls.createSecureContext` adds each `ca` with it. */
interface NativeSecureContext {
  addCACert(pem: string): void;
}

/** True when `ca` holds every one of Node's default roots, as {@link trustedCertificateAuthorities} makes it. */
function includesDefaultRoots(ca: string[]): boolean {
  const given = new Set(ca);
  return rootCertificates.every((pem) => given.has(pem));
}

/** The certificates of `ca` that Node's default trust store does not hold. */
function outsideDefaultTrust(ca: string[]): string[] {
  defaultTrust ??= new Set([
    ...rootCertificates,
    ...startupExtraCertificates(),
  ]);
  const known = defaultTrust;
  return ca
    .flatMap((pem) => pem.match(PEM_CERTIFICATE) ?? [])
    .filter((pem) => !known.has(pem));
}

/**
 * The certificates of the file that NODE_EXTRA_CA_CERTS named when this module was loaded, which
 * Node added to its default trust store as the process started. Should the variable have been set
 * in between, Node did not load the file, and neither are its certificates trusted here.
 */
function startupExtraCertificates(): string[] {
  if (!STARTUP_EXTRA_CA_FILE) return [];
  try {
    return (
      readFileSync(STARTUP_EXTRA_CA_FILE, 'utf8').match(PEM_CERTIFICATE) ?? []
    );
  } catch {
    // Node could not read it either, and trusts none of it.
    return [];
  }
}

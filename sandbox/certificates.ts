import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A certificate with its private key, both PEM. */
export interface PemCertificate {
  certificatePem: string;
  /** PKCS#8 PEM, unencrypted. */
  privateKeyPem: string;
}

/** Options of a certificate issued by {@link createCertificateAuthority} or {@link issueCertificate}. */
export interface CertificateOptions {
  /** Common name of the subject. */
  commonName: string;
  /** `ec` (P-256, the default) or `rsa` (2048 bits). */
  keyType?: 'ec' | 'rsa';
  /** Valid from; default: one hour ago. */
  notBefore?: Date;
  /** Valid until; default: 30 days from now. */
  notAfter?: Date;
}

/** Options of a leaf certificate. */
export interface LeafCertificateOptions extends CertificateOptions {
  /** `server` (with subject alternative names) or `client` (for mutual TLS). */
  usage: 'server' | 'client';
  /** DNS names and IP addresses the server certificate is for; default localhost and 127.0.0.1. */
  hosts?: string[];
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

/** Creates a self-signed certificate authority that can issue server and client certificates. */
export async function createCertificateAuthority(
  options: CertificateOptions,
): Promise<PemCertificate> {
  const algorithm = options.keyType === 'rsa' ? RSA : EC;
  const keys = await generateKeys(algorithm);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${options.commonName}`,
    ...validity(options),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await toPem(keys.privateKey),
  };
}

/** Issues a server or client certificate signed by the given authority. */
export async function issueCertificate(
  authority: PemCertificate,
  options: LeafCertificateOptions,
): Promise<PemCertificate> {
  const caCertificate = new x509.X509Certificate(authority.certificatePem);
  const caAlgorithm =
    caCertificate.publicKey.algorithm.name === 'ECDSA' ? EC : RSA;
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pemBody(authority.privateKeyPem),
    caAlgorithm,
    false,
    ['sign'],
  );
  const keys = await generateKeys(options.keyType === 'rsa' ? RSA : EC);
  const extensions = leafExtensions(options);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${options.commonName}`,
    issuer: caCertificate.subject,
    ...validity(options),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: caAlgorithm,
    extensions,
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await toPem(keys.privateKey),
  };
}

/** A leaf's extensions: not a CA, signing, its usage, and a server's host names. */
function leafExtensions(options: LeafCertificateOptions): x509.Extension[] {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(
      [
        options.usage === 'server'
          ? x509.ExtendedKeyUsage.serverAuth
          : x509.ExtendedKeyUsage.clientAuth,
      ],
      false,
    ),
  ];
  if (options.usage === 'server') {
    const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        hosts.map((host): x509.JsonGeneralName =>
          /^[\d.]+$|:/.test(host)
            ? { type: 'ip', value: host }
            : { type: 'dns', value: host },
        ),
      ),
    );
  }
  return extensions;
}

async function generateKeys(
  algorithm: typeof EC | typeof RSA,
): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function toPem(privateKey: CryptoKey): Promise<string> {
  const der = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', privateKey),
  );
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function pemBody(pem: string): Buffer {
  return Buffer.from(
    pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
    'base64',
  );
}

function validity(options: CertificateOptions): {
  notBefore: Date;
  notAfter: Date;
} {
  return {
    notBefore: options.notBefore ?? new Date(Date.now() - 3_600_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * 86_400_000),
  };
}

function serialNumber(): string {
  // A positive serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { SmsCertificateInfo } from './sms-certificate-info.interface.js';
import { SmsSettingsMessages } from '../settings/sms-settings.messages.js';

const REASONS = SmsSettingsMessages.certificateReasons;

/** One problem of a client certificate or its key; the reason never contains key material. */
export interface ClientCertificateProblem {
  field: 'certificatePemCrt' | 'certificatePemKey';
  /** Completes the sentence "The field certificatePemKey …", e.g. `does not belong to the certificate`. */
  reason: string;
}

/** What {@link inspectClientCertificate} found. */
export interface ClientCertificateInspection {
  /** The certificate's description, whenever the certificate itself could be read. */
  info?: SmsCertificateInfo;
  /** Every problem found; empty when the pair is usable (validity dates aside). */
  problems: ClientCertificateProblem[];
}

const CERTIFICATE_BEGIN = '-----BEGIN CERTIFICATE-----';
const CERTIFICATE_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PRIVATE_KEY_BEGIN = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/;
const ENCRYPTED_KEY =
  /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;
const SUPPORTED_KEY_TYPES = ['rsa', 'rsa-pss', 'ec'];

/**
 * Reads a PEM X.509 client certificate (the first one, when a chain is given) and its unencrypted
 * PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), and checks that the key belongs to the
 * certificate. Validity dates are not judged here: see {@link certificateValidityProblem}.
 */
export function inspectClientCertificate(
  certificatePem: string,
  privateKeyPem: string,
): ClientCertificateInspection {
  const problems: ClientCertificateProblem[] = [];
  const certificate = readCertificate(certificatePem, problems);
  const key = readPrivateKey(privateKeyPem, problems);
  if (certificate && key && !keyBelongsTo(certificate, key)) {
    problems.push({ field: 'certificatePemKey', reason: REASONS.keyMismatch });
  }
  const info = certificate && describeCertificate(certificate);
  if (certificate && !info) {
    problems.push({
      field: 'certificatePemCrt',
      reason: REASONS.unreadableDates,
    });
  }
  return { info, problems };
}

/**
 * Why a certificate cannot be used at the given time: `expired on …` or `not valid before …` with
 * the ISO 8601 time; undefined while it is valid.
 */
export function certificateValidityProblem(
  info: SmsCertificateInfo,
  now: Date = new Date(),
): string | undefined {
  if (Date.parse(info.validTo) < now.getTime()) {
    return SmsSettingsMessages.certificateValidity.expired(info.validTo);
  }
  if (Date.parse(info.validFrom) > now.getTime()) {
    return SmsSettingsMessages.certificateValidity.notYetValid(info.validFrom);
  }
  return undefined;
}

// Settings written in an environment variable or a single-line JSON string often carry `\n`
// literally instead of line breaks.
function hasEscapedLineBreaks(pem: string): boolean {
  return pem.includes('\\n') && !/[\r\n]/.test(pem.trim());
}

function readCertificate(
  pem: string,
  problems: ClientCertificateProblem[],
): X509Certificate | undefined {
  const field = 'certificatePemCrt';
  if (typeof pem !== 'string' || !pem.includes(CERTIFICATE_BEGIN)) {
    const reason = PRIVATE_KEY_BEGIN.test(String(pem))
      ? REASONS.holdsPrivateKey
      : REASONS.notPemCertificate;
    problems.push({ field, reason });
    return undefined;
  }
  if (hasEscapedLineBreaks(pem)) {
    problems.push({ field, reason: REASONS.escapedLineBreaks });
    return undefined;
  }
  if (PRIVATE_KEY_BEGIN.test(pem) || ENCRYPTED_KEY.test(pem)) {
    problems.push({ field, reason: REASONS.holdsPrivateKey });
    return undefined;
  }
  let leaf: X509Certificate | undefined;
  try {
    // Every certificate of a chain must be readable; the first one is the client's own.
    [leaf] = (pem.match(CERTIFICATE_BLOCK) ?? []).map(
      (block) => new X509Certificate(block),
    );
  } catch {
    leaf = undefined;
  }
  if (!leaf) problems.push({ field, reason: REASONS.unreadableCertificate });
  return leaf;
}

function readPrivateKey(
  pem: string,
  problems: ClientCertificateProblem[],
): KeyObject | undefined {
  const field = 'certificatePemKey';
  const fail = (reason: string): undefined => {
    problems.push({ field, reason });
    return undefined;
  };
  if (typeof pem !== 'string') return fail(REASONS.notPemKey);
  if (ENCRYPTED_KEY.test(pem)) return fail(REASONS.encryptedKey);
  if (!PRIVATE_KEY_BEGIN.test(pem)) {
    return fail(
      pem.includes(CERTIFICATE_BEGIN)
        ? REASONS.holdsCertificate
        : REASONS.notPemKey,
    );
  }
  if (hasEscapedLineBreaks(pem)) return fail(REASONS.escapedLineBreaks);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    // OpenSSL's own text is left out on purpose: the reason must not depend on the key's content.
    return fail(
      (error as { code?: string }).code === 'ERR_MISSING_PASSPHRASE'
        ? REASONS.encryptedKey
        : REASONS.unreadableKey,
    );
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  if (!SUPPORTED_KEY_TYPES.includes(keyType)) {
    return fail(REASONS.unsupportedKeyType(keyType));
  }
  return key;
}

function keyBelongsTo(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** What a certificate says of itself, on one line each; undefined when its dates are unreadable. */
export function describeCertificate(
  certificate: X509Certificate,
): SmsCertificateInfo | undefined {
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (Number.isNaN(validFrom.getTime()) || Number.isNaN(validTo.getTime())) {
    return undefined;
  }
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    fingerprintSha256: certificate.fingerprint256,
  };
}

// Node gives one attribute a line; one line reads better in an API answer or a log.
function distinguishedName(lines: string): string {
  return lines.split('\n').filter(Boolean).join(', ');
}

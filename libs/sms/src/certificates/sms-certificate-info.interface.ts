/** A description of a client certificate that is safe to show: no key material. */
export interface SmsCertificateInfo {
  subject: string;
  issuer: string;
  /** ISO 8601 time from which the certificate is valid. */
  validFrom: string;
  /** ISO 8601 time until which the certificate is valid. */
  validTo: string;
  /** SHA-256 fingerprint, upper-case hex pairs separated by colons. */
  fingerprintSha256: string;
}

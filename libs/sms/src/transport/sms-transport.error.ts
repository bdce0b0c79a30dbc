/** How an exchange with a provider failed before a complete answer was read. */
export type SmsTransportFailureKind =
  /** The host name did not resolve. */
  | 'dns'
  /** The connection was refused or could not be made. */
  | 'connect'
  /** The TLS handshake failed (untrusted server certificate, client certificate refused...). */
  | 'tls'
  /** The timeout ran out. */
  | 'timeout'
  /** The connection was reset or closed before the answer was complete. */
  | 'reset'
  /** The answer was larger than the response-size limit. */
  | 'too-large'
  /** The provider answered with a redirect, which is never followed. */
  | 'redirect';

/** What a failed exchange reports. */
export interface SmsTransportFailureDetails {
  kind: SmsTransportFailureKind;
  /** False when the request certainly never reached the provider. */
  maybeSent: boolean;
  message: string;
  /** The HTTP status, when the provider answered (too-large, redirect). */
  status?: number;
}

/**
 * A failed exchange, as the transport reports it to `SmsService`, which turns it into a
 * `SmsProviderError` or `SmsTimeoutError`. Internal to the library.
 */
export class SmsTransportError extends Error {
  readonly kind: SmsTransportFailureKind;
  readonly maybeSent: boolean;
  readonly status?: number;

  constructor(details: SmsTransportFailureDetails) {
    super(details.message);
    this.name = new.target.name;
    this.kind = details.kind;
    this.maybeSent = details.maybeSent;
    this.status = details.status;
  }
}

/**
 * A send was refused because its host is, or resolves to, an address that the module's
 * `environmentAddressPolicy` does not allow. Nothing was sent, and a retry would be refused again.
 */
export class SmsAddressRefusedError extends SmsTransportError {
  constructor(host: string) {
    super({
      kind: 'connect',
      maybeSent: false,
      message: `The host ${host} is or resolves to an address that environment settings may not reach (a loopback, private or otherwise internal address); no request was sent.`,
    });
  }
}

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

/**
 * A failed exchange, as the transport reports it to `SmsService`, which turns it into a
 * `SmsProviderError` or `SmsTimeoutError`. Internal to the library.
 */
export class SmsTransportError extends Error {
  constructor(
    readonly kind: SmsTransportFailureKind,
    /** False when the request certainly never reached the provider. */
    readonly maybeSent: boolean,
    message: string,
    /** The HTTP status, when the provider answered (too-large, redirect). */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SmsTransportError';
  }
}

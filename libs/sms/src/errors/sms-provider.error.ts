import { SmsError } from './sms.error.js';

/** What a provider failure carries, besides the message. */
export interface SmsProviderErrorDetails {
  /** The provider type, e.g. `GatewayApi`. */
  provider: string;
  /** The HTTP status the provider answered with, when it answered. */
  status?: number;
  /** The provider's own error code, when its response could be parsed. */
  providerCode?: string;
  /** The provider's own error text, when its response could be parsed. */
  providerText?: string;
  /**
   * False when the message was certainly not sent (the request never reached the provider, or the
   * provider refused it); true when it may have been. Never retry a send whose `maybeSent` is true.
   */
  maybeSent: boolean;
  /** Seconds to wait before a retry, from the provider's `Retry-After`. */
  retryAfterSeconds?: number;
  /**
   * The primary provider's type when this is the fallback's failure after a failover; null (the
   * default) when no failover happened.
   */
  failoverFrom?: string | null;
  cause?: unknown;
}

/** The provider refused the message, or the exchange with it failed. */
export class SmsProviderError extends SmsError {
  readonly provider: string;
  readonly status?: number;
  readonly providerCode?: string;
  readonly providerText?: string;
  readonly maybeSent: boolean;
  readonly retryAfterSeconds?: number;
  /** The primary's type when the fallback failed too after a failover, else null. */
  readonly failoverFrom: string | null;

  constructor(message: string, details: SmsProviderErrorDetails) {
    super(message, { cause: details.cause });
    this.provider = details.provider;
    this.status = details.status;
    this.providerCode = details.providerCode;
    this.providerText = details.providerText;
    this.maybeSent = details.maybeSent;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.failoverFrom = details.failoverFrom ?? null;
  }
}

/** The provider did not finish the exchange within the timeout. */
export class SmsTimeoutError extends SmsProviderError {}

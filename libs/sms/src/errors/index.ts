/** The base class of every error the library throws on purpose. */
export class SmsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One failing settings field: its path (as the user wrote it) and why it fails. */
export interface SmsSettingsProblem {
  /** The field path, e.g. `Settings:Sms:ClientSecret` or `parameters[0].name`. */
  path: string;
  /** The full sentence, e.g. `The field ClientSecret is required for GatewayApi.` */
  message: string;
}

/** Settings were refused. Lists every failing field at once; never contains a secret value. */
export class SmsSettingsError extends SmsError {
  constructor(readonly problems: SmsSettingsProblem[]) {
    super(
      `Invalid SMS settings:\n${problems.map((p) => `- ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
}

/** The phone number or message text cannot be sent. Raised before any network call. */
export class SmsValidationError extends SmsError {
  constructor(
    readonly field: 'phone' | 'message',
    message: string,
  ) {
    super(message);
  }
}

/** Neither the environment nor the site has SMS settings. */
export class SmsNotConfiguredError extends SmsError {
  constructor(readonly environment: string | null) {
    super(
      environment
        ? `SMS is not configured: environment "${environment}" has no SMS settings and the site has none either. Set them with the admin API or in Settings:Sms.`
        : 'SMS is not configured: the site has no SMS settings. Set Settings:Sms.',
    );
  }
}

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

  constructor(message: string, details: SmsProviderErrorDetails) {
    super(message, { cause: details.cause });
    this.provider = details.provider;
    this.status = details.status;
    this.providerCode = details.providerCode;
    this.providerText = details.providerText;
    this.maybeSent = details.maybeSent;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** The provider did not finish the exchange within the timeout. */
export class SmsTimeoutError extends SmsProviderError {}

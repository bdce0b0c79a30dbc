/** One Access URL query parameter: a name and a fixed value or a value with placeholders. */
export interface SmsQueryParameter {
  name: string;
  value: string;
}

/**
 * The settings of one SMS provider in camelCase: the shape of an environment's settings and the
 * library's internal form of the site settings after validation.
 */
export interface SmsSettings {
  /** `AccessUrl`, `GatewayApi`, `Smstools`, `TeliaSmsGateway` or a registered custom type. */
  type: string;
  /** The sender name. */
  fromName: string;
  /** Absolute HTTPS URL of the provider's endpoint. */
  apiUrl: string;
  /** Access URL only: the query parameters, in order. */
  parameters?: SmsQueryParameter[];
  /** Smstools: the client id. Telia: the sender address. */
  clientId?: string;
  /** Gateway API: the token. Smstools: the client secret. Telia: the API key. */
  clientSecret?: string;
  /** Gateway API only: an optional label. */
  label?: string;
  /** Telia only: the PEM client certificate used for mutual TLS. */
  certificatePemCrt?: string;
  /** Telia only: the PEM private key of the client certificate. */
  certificatePemKey?: string;
  /**
   * A second provider, used only when this one certainly did not send (see the README's
   * "Failover"); the same rules, and no fallback of its own.
   */
  fallback?: SmsSettings;
}

/** The site settings as written in the app settings section `Settings:Sms` (PascalCase keys). */
export interface SiteSmsSettings {
  Type: string;
  FromName: string;
  ApiUrl: string;
  Parameters?: { Name: string; Value: string }[];
  ClientId?: string;
  ClientSecret?: string;
  Label?: string;
  CertificatePemCrt?: string;
  CertificatePemKey?: string;
  /** The fallback provider (`Settings:Sms:Fallback`): the same keys, and no `Fallback` of its own. */
  Fallback?: SiteSmsSettings;
}

/** Where the settings of a send came from. */
export type SmsSettingsOrigin = 'site' | 'environment';

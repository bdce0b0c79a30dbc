import { inspectClientCertificate } from '../certificates/client-certificate.js';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { ACCESS_URL_PLACEHOLDERS } from '../sms.constants.js';

/** An Access URL parameter as shown: its value only when it holds a placeholder. */
export interface MaskedSmsQueryParameter {
  name: string;
  /** The value, when it contains `{phone}`, `{message}` or `{fromName}`; fixed values are hidden. */
  value?: string;
  /** Whether the parameter has a non-empty value. */
  hasValue: boolean;
}

/**
 * SMS settings as the API shows them: no client secret, no private key, no fixed Access URL
 * parameter value; flags say which of them are set.
 */
export interface MaskedSmsSettings {
  type: string;
  fromName: string;
  apiUrl: string;
  /** Access URL: the query parameters, in order. */
  parameters?: MaskedSmsQueryParameter[];
  /** Smstools: the client id. Telia: the sender address. */
  clientId?: string;
  /** Whether a client secret (token, API key) is set. */
  hasClientSecret: boolean;
  /** Gateway API: the label. */
  label?: string;
  /** Whether a client certificate private key is set. */
  hasCertificatePemKey: boolean;
  /** Telia: the client certificate's subject, issuer, validity and SHA-256 fingerprint. */
  certificate?: SmsCertificateInfo;
}

/** Builds the masked view of settings; it never contains a secret value. */
export function maskSmsSettings(settings: SmsSettings): MaskedSmsSettings {
  const masked: MaskedSmsSettings = {
    type: settings.type,
    fromName: settings.fromName,
    apiUrl: settings.apiUrl,
    hasClientSecret: isSet(settings.clientSecret),
    hasCertificatePemKey: isSet(settings.certificatePemKey),
  };
  if (settings.parameters) {
    masked.parameters = settings.parameters.map(maskParameter);
  }
  if (settings.clientId !== undefined) masked.clientId = settings.clientId;
  if (settings.label !== undefined) masked.label = settings.label;
  if (isSet(settings.certificatePemCrt)) {
    masked.certificate = inspectClientCertificate(
      settings.certificatePemCrt,
      settings.certificatePemKey ?? '',
    ).info;
  }
  return masked;
}

function maskParameter(parameter: {
  name: string;
  value: string;
}): MaskedSmsQueryParameter {
  const hasPlaceholder = ACCESS_URL_PLACEHOLDERS.some((placeholder) =>
    parameter.value.includes(placeholder),
  );
  return hasPlaceholder
    ? { name: parameter.name, value: parameter.value, hasValue: true }
    : { name: parameter.name, hasValue: parameter.value !== '' };
}

function isSet(value: string | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

import { inspectClientCertificate } from '../certificates/client-certificate.js';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type { SmsSettingsProblem } from '../errors/sms-settings.error.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { SmsSettingsMessages } from './sms-settings.messages.js';
import {
  ACCESS_URL_PLACEHOLDER_PATTERN,
  ACCESS_URL_PLACEHOLDERS,
} from '../sms.constants.js';
import { REDACTED } from './secret-redactor.js';

/** An Access URL parameter as shown: its value only when it holds a placeholder. */
export interface MaskedSmsQueryParameter {
  name: string;
  /**
   * The value, when it contains `{phone}`, `{message}` or `{fromName}`, with every fixed part
   * between them replaced by `[redacted]` (`user:pw{fromName}` shows as `[redacted]{fromName}`);
   * fixed values are hidden.
   */
  value?: string;
  /** Whether the parameter has a non-empty value. */
  hasValue: boolean;
}

/**
 * SMS settings as the API shows them: no client secret, no private key, no fixed part of an
 * Access URL parameter value, no API URL query; flags say which of them are set.
 */
export interface MaskedSmsSettings {
  type: string;
  fromName: string;
  /** The API URL; a query string shows as `?[redacted]`, since it may carry a credential. */
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
  /** The fallback provider, masked the same way; absent when there is none. */
  fallback?: MaskedSmsSettings;
}

/** Settings sent back with masked values, and what could not be restored. */
export interface UnmaskedSmsSettings {
  /** The input, with each masked value that matches the stored settings replaced by it. */
  input: unknown;
  /** A field per masked value that matches nothing stored. */
  problems: SmsSettingsProblem[];
}

/** Builds the masked view of settings; it never contains a secret value. */
export function maskSmsSettings(settings: SmsSettings): MaskedSmsSettings {
  const masked: MaskedSmsSettings = {
    type: settings.type,
    fromName: settings.fromName,
    apiUrl: maskApiUrl(settings.apiUrl),
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
  if (settings.fallback) masked.fallback = maskSmsSettings(settings.fallback);
  return masked;
}

/**
 * Puts the stored values back where settings sent for an update (in the environment API's
 * camelCase) hold a masked value of the masked view: an `apiUrl` or a parameter `value` equal to
 * the masked form of the stored one, so that a masked view sent back keeps what it hides. A masked
 * value that matches nothing stored is a problem, never stored as it is.
 */
export function unmaskSmsSettings(
  input: unknown,
  stored: SmsSettings | undefined,
): UnmaskedSmsSettings {
  const problems: SmsSettingsProblem[] = [];
  const body = unmaskLevel(input, stored, '', problems);
  if (isRecord(body) && isRecord(body.fallback)) {
    body.fallback = unmaskLevel(
      body.fallback,
      stored?.fallback,
      'fallback.',
      problems,
    );
  }
  return { input: body, problems };
}

/** One settings object sent back (the primary's or the fallback's), its paths after `prefix`. */
function unmaskLevel(
  input: unknown,
  stored: SmsSettings | undefined,
  prefix: string,
  problems: SmsSettingsProblem[],
): unknown {
  if (!isRecord(input)) return input;
  const body = { ...input };
  if (isMasked(body.apiUrl)) {
    if (stored && body.apiUrl === maskApiUrl(stored.apiUrl))
      body.apiUrl = stored.apiUrl;
    else problems.push(maskedValueProblem(`${prefix}apiUrl`, 'apiUrl'));
  }
  if (Array.isArray(body.parameters)) {
    const found: SmsSettingsProblem[] = [];
    body.parameters = body.parameters.map((parameter: unknown, index) =>
      unmaskParameter(parameter, index, stored, found),
    );
    problems.push(...found.map((p) => ({ ...p, path: `${prefix}${p.path}` })));
  }
  return body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The URL with its query string, when it has one, shown as `?[redacted]`. */
function maskApiUrl(apiUrl: string): string {
  const query = apiUrl.indexOf('?');
  return query < 0 ? apiUrl : `${apiUrl.slice(0, query)}?${REDACTED}`;
}

function maskParameter(parameter: {
  name: string;
  value: string;
}): MaskedSmsQueryParameter {
  const hasPlaceholder = ACCESS_URL_PLACEHOLDERS.some((placeholder) =>
    parameter.value.includes(placeholder),
  );
  return hasPlaceholder
    ? {
        name: parameter.name,
        value: maskParameterValue(parameter.value),
        hasValue: true,
      }
    : { name: parameter.name, hasValue: parameter.value !== '' };
}

/** The placeholders of a value as they are, every fixed part between them `[redacted]`. */
function maskParameterValue(value: string): string {
  return value
    .split(ACCESS_URL_PLACEHOLDER_PATTERN)
    .map((part, index) => (index % 2 === 1 || part === '' ? part : REDACTED))
    .join('');
}

/**
 * A parameter sent back: a masked value takes the stored value of the parameter with the same
 * name and masked value, at the same place first.
 */
function unmaskParameter(
  parameter: unknown,
  index: number,
  stored: SmsSettings | undefined,
  problems: SmsSettingsProblem[],
): unknown {
  const sent = parameter as { name?: unknown; value?: unknown } | null;
  if (!isMasked(sent?.value)) return parameter;
  const matches = (candidate: { name: string; value: string } | undefined) =>
    candidate !== undefined &&
    candidate.name === sent.name &&
    maskParameterValue(candidate.value) === sent.value;
  const candidates = stored?.parameters ?? [];
  const match = matches(candidates[index])
    ? candidates[index]
    : candidates.find(matches);
  if (match) return { ...sent, value: match.value };
  problems.push(maskedValueProblem(`parameters[${index}].value`, 'value'));
  return parameter;
}

function isMasked(value: unknown): value is string {
  return typeof value === 'string' && value.includes(REDACTED);
}

function maskedValueProblem(path: string, field: string): SmsSettingsProblem {
  return { path, message: SmsSettingsMessages.maskedValue(field) };
}

function isSet(value: string | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

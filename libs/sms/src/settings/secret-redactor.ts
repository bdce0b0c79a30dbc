import { encodeQueryComponent } from '../providers/access-url.sms-provider.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { ACCESS_URL_PLACEHOLDERS } from '../sms.constants.js';

/** What replaces a secret in anything logged or returned. */
export const REDACTED = '[redacted]';

// Shorter fixed values (such as `unicode=1`) are not secrets and would blank out ordinary text.
const MIN_SECRET_LENGTH = 4;

/** Replaces secret values in a text, in their plain, URL-encoded and JSON forms. */
export type SecretRedactor = (text: string) => string;

/** The values of settings that must never be logged or returned. */
export function secretValuesOf(settings: SmsSettings): string[] {
  const values = [
    settings.clientSecret,
    settings.certificatePemKey,
    settings.certificatePemCrt,
  ];
  for (const parameter of settings.parameters ?? []) {
    if (!ACCESS_URL_PLACEHOLDERS.some((p) => parameter.value.includes(p))) {
      values.push(parameter.value);
    }
  }
  // The lines of a PEM block, so that a partial echo of a key is caught too.
  for (const pem of [settings.certificatePemKey]) {
    values.push(
      ...(pem?.split(/\r?\n/).filter((line) => !line.startsWith('-----')) ??
        []),
    );
  }
  return values.filter(
    (v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH,
  );
}

/** Builds a redactor for the secrets of the given settings. */
export function createSecretRedactor(settings: SmsSettings): SecretRedactor {
  return redactorOf(secretValuesOf(settings), MIN_SECRET_LENGTH);
}

/**
 * Builds the redactor of one send: its sensitive values (such as a one-time code) and, when it has
 * any, the whole message text that carries them, in every form, then the settings' secrets.
 *
 * @param settingsRedactor the redactor of the send's settings ({@link createSecretRedactor})
 */
export function createSendRedactor(
  settingsRedactor: SecretRedactor,
  send: { message: string; sensitive?: readonly string[] },
): SecretRedactor {
  const sensitive = send.sensitive?.filter((value) => value.length > 0) ?? [];
  if (sensitive.length === 0) return settingsRedactor;
  // Any length: a short code is still the code.
  const redactSend = redactorOf([send.message, ...sensitive], 1);
  return (text) => settingsRedactor(redactSend(text));
}

/** Replaces each of `values`, in every form a provider could echo it in, longest first. */
function redactorOf(
  values: readonly string[],
  minLength: number,
): SecretRedactor {
  const forms = new Set<string>();
  for (const value of values)
    for (const form of formsOf(value)) forms.add(form);
  // Longest first, so that a secret containing another is replaced whole.
  const ordered = [...forms]
    .filter((f) => f.length >= minLength)
    .sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const form of ordered) result = result.split(form).join(REDACTED);
    return result;
  };
}

/**
 * A value as it is; as Access URL sends it (`!'()*` encoded too), as `encodeURIComponent` writes it
 * and as a form encoder writes it (`+` for a space); and JSON-escaped.
 */
function formsOf(value: string): string[] {
  const encoded = encodeQueryComponent(value);
  const loose = encoded.replace(/%(21|27|28|29|2A)/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return [
    value,
    encoded,
    loose,
    loose.replace(/%20/g, '+'),
    JSON.stringify(value).slice(1, -1),
  ];
}

/** The text with each of `values` replaced by {@link REDACTED}. */
export function redactValues(
  text: string,
  values: readonly string[] | undefined,
): string {
  return values?.length
    ? values.reduce((result, value) => result.split(value).join(REDACTED), text)
    : text;
}

import type { SmsCodePurpose } from '../sms-code-purpose.js';

/** The texts of one locale, one per purpose. */
export type SmsCodeTemplateSet = Record<SmsCodePurpose, string>;

/** Template overrides by locale (`en`, `da`, `sv-SE`...), each for some or all purposes. */
export type SmsCodeTemplateOverrides = Record<
  string,
  Partial<Record<SmsCodePurpose, string>>
>;

/** The placeholders a template may use; `{code}` is required. */
export const SMS_CODE_PLACEHOLDERS = [
  '{code}',
  '{companyName}',
  '{minutes}',
] as const;

/**
 * The default texts, in English and Danish. Every one is GSM-7 (æ, ø and å are in its alphabet), so
 * that a 6-digit code and a 30-character company name fit one SMS with room for an origin line.
 */
export const DEFAULT_SMS_CODE_TEMPLATES: Readonly<
  Record<'en' | 'da', Readonly<SmsCodeTemplateSet>>
> = Object.freeze({
  en: Object.freeze({
    'passwordless-login':
      '{code} is your {companyName} login code. Valid for {minutes} min. Do not share it.',
    'phone-confirmation':
      '{code} is your {companyName} code to confirm your phone number. Valid for {minutes} min.',
    'set-password':
      '{code} is your {companyName} code to set your password. Valid for {minutes} min. Do not share it.',
    'two-factor':
      '{code} is your {companyName} verification code. Valid for {minutes} min. Do not share it.',
  }),
  da: Object.freeze({
    'passwordless-login':
      '{code} er din login-kode til {companyName}. Gyldig i {minutes} min. Del den ikke med andre.',
    'phone-confirmation':
      '{code} er din kode til at bekræfte dit telefonnummer hos {companyName}. Gyldig i {minutes} min.',
    'set-password':
      '{code} er din kode til at vælge adgangskode hos {companyName}. Gyldig i {minutes} min.',
    'two-factor':
      '{code} er din bekræftelseskode til {companyName}. Gyldig i {minutes} min. Del den ikke med andre.',
  }),
});

/** The values put into a template. */
export interface SmsCodeTemplateValues {
  code: string;
  companyName: string;
  minutes: number;
}

const PLACEHOLDER = /\{[^{}\s]*\}/g;

/** The `{word}` placeholders of a template that are not one of {@link SMS_CODE_PLACEHOLDERS}. */
export function unknownSmsCodePlaceholders(template: string): string[] {
  const known = SMS_CODE_PLACEHOLDERS as readonly string[];
  return [
    ...new Set(
      (template.match(PLACEHOLDER) ?? []).filter((p) => !known.includes(p)),
    ),
  ];
}

/**
 * Puts the values into a template, as plain text: an SMS is not HTML, so nothing is encoded. The
 * values are inserted in one pass, so a company name that contains `{code}` stays as written.
 */
export function renderSmsCodeTemplate(
  template: string,
  values: SmsCodeTemplateValues,
): string {
  return template.replace(PLACEHOLDER, (placeholder) => {
    switch (placeholder) {
      case '{code}':
        return values.code;
      case '{companyName}':
        return values.companyName;
      case '{minutes}':
        return String(values.minutes);
      default:
        return placeholder;
    }
  });
}

/**
 * The last line that binds a code to a web origin (`@login.example.com #123456`): browsers and
 * phones offer to fill in the code only on that site.
 */
export function originBoundLine(domain: string, code: string): string {
  return `@${domain} #${code}`;
}

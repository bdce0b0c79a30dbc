import { measureSmsText } from '../../message/message-encoding.js';
import { composeSmsCodeMessage, minutesOf } from './sms-code.message.js';
import { SmsCodeOptionsMessages as M } from '../options/sms-code-options.messages.js';
import {
  isSmsCodePurpose,
  SMS_CODE_PURPOSES,
  type SmsCodePurpose,
} from '../sms-code-purpose.js';
import {
  DEFAULT_SMS_CODE_TEMPLATES,
  SMS_CODE_PLACEHOLDERS,
  unknownSmsCodePlaceholders,
  type SmsCodeTemplateSet,
} from './sms-code-templates.js';

/** Reports one problem of an option at its path. */
export type SmsCodeOptionsReport = (path: string, message: string) => void;

/** A language tag such as `en`, `da` or `sv-SE`. */
export const SMS_CODE_LOCALE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/**
 * The default templates with the overrides laid over them, one by one, and every locale completed
 * from the default locale's. Keys are lower-case locales.
 */
export function resolveSmsCodeTemplates(
  overrides: unknown,
  defaultLocale: string,
  report: SmsCodeOptionsReport,
): Map<string, SmsCodeTemplateSet> {
  const partial = new Map<string, Partial<SmsCodeTemplateSet>>(
    Object.entries(DEFAULT_SMS_CODE_TEMPLATES).map(([locale, set]) => [
      locale,
      { ...set },
    ]),
  );
  if (overrides !== undefined && !isPlainObject(overrides)) {
    report('templates', M.notAnObjectOption('templates'));
  } else if (overrides !== undefined) {
    for (const [locale, set] of Object.entries(overrides)) {
      const path = `templates.${locale}`;
      if (!SMS_CODE_LOCALE.test(locale)) report(path, M.locale(path));
      else if (!isPlainObject(set)) report(path, M.notAnObjectOption(path));
      else {
        const key = locale.toLowerCase();
        partial.set(key, {
          ...partial.get(key),
          ...checkedTemplates(path, set, report),
        });
      }
    }
  }
  const fallback = partial.get(defaultLocale) ?? {};
  const missing = SMS_CODE_PURPOSES.filter((p) => fallback[p] === undefined);
  if (missing.length > 0) {
    report('defaultLocale', M.incompleteDefaultLocale(defaultLocale, missing));
  }
  const complete = new Map<string, SmsCodeTemplateSet>();
  for (const [locale, set] of partial) {
    // English fills what an incomplete default locale lacks; that default was reported above.
    complete.set(locale, {
      ...DEFAULT_SMS_CODE_TEMPLATES.en,
      ...fallback,
      ...set,
    });
  }
  return complete;
}

/** What a length check renders the templates with. */
export interface SmsCodeTemplateLimits {
  codeLength: number;
  /** A character of the code alphabet: every one takes one GSM-7 septet. */
  codeCharacter: string;
  maxCompanyNameLength: number;
  lifetimeSeconds: Readonly<Record<SmsCodePurpose, number>>;
  originDomain: string | undefined;
  maxSegments: number;
}

/**
 * Renders every template with the longest code, a company name of the longest length and the origin
 * line, and reports those that need more than `maxSegments`. The name is GSM-7 text; a name that
 * needs UCS-2 can only be checked when a message is sent.
 */
export function checkSmsCodeTemplateLengths(
  templates: ReadonlyMap<string, SmsCodeTemplateSet>,
  limits: SmsCodeTemplateLimits,
  report: SmsCodeOptionsReport,
): void {
  const code = limits.codeCharacter.repeat(limits.codeLength);
  const companyName = 'x'.repeat(limits.maxCompanyNameLength);
  for (const [locale, set] of templates) {
    for (const purpose of SMS_CODE_PURPOSES) {
      const text = composeSmsCodeMessage(
        set[purpose],
        {
          code,
          companyName,
          minutes: minutesOf(limits.lifetimeSeconds[purpose]),
        },
        limits.originDomain,
      );
      const measure = measureSmsText(text);
      if (measure.segments <= limits.maxSegments) continue;
      const path = `templates.${locale}.${purpose}`;
      report(path, M.templateTooLong(path, measure, limits));
    }
  }
}

function checkedTemplates(
  localePath: string,
  set: Record<string, unknown>,
  report: SmsCodeOptionsReport,
): Partial<SmsCodeTemplateSet> {
  const accepted: Partial<SmsCodeTemplateSet> = {};
  for (const [purpose, template] of Object.entries(set)) {
    const path = `${localePath}.${purpose}`;
    if (!isSmsCodePurpose(purpose)) {
      report(path, M.unknownPurpose(path, SMS_CODE_PURPOSES));
    } else if (typeof template !== 'string' || template.trim() === '') {
      report(path, M.templateNotText(path));
    } else {
      const unknown = unknownSmsCodePlaceholders(template);
      if (unknown.length > 0) {
        report(
          path,
          M.templateUnknownPlaceholders(path, unknown, SMS_CODE_PLACEHOLDERS),
        );
      }
      if (!template.includes('{code}'))
        report(path, M.templateWithoutCode(path));
      if (unknown.length === 0 && template.includes('{code}'))
        accepted[purpose] = template;
    }
  }
  return accepted;
}

/** True for an object that is not an array or null. */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

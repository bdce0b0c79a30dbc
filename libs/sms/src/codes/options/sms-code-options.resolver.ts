import { isSupportedCountry } from 'libphonenumber-js';
import { SmsCodeOptionsError } from '../../errors/codes/sms-code-options.error.js';
import type { SmsSettingsProblem } from '../../errors/sms-settings.error.js';
import { SMS_CODE_DEFAULTS } from './sms-code.defaults.js';
import type {
  SmsCodeCompanyName,
  SmsCodeModuleOptions,
} from './sms-code-module-options.interface.js';
import { isWholeNumberIn } from '../../settings/whole-number.validator.js';
import {
  numericSmsCodeOptionProblems,
  type SmsCodeNumericOption,
} from './sms-code-options.dto.js';
import { SmsCodeOptionsMessages as M } from './sms-code-options.messages.js';
import {
  isSmsCodePurpose,
  SMS_CODE_PURPOSES,
  type SmsCodePurpose,
} from '../sms-code-purpose.js';
import type { SmsCodeTemplateSet } from '../templates/sms-code-templates.js';
import {
  checkSmsCodeTemplateLengths,
  isPlainObject,
  resolveSmsCodeTemplates,
  SMS_CODE_LOCALE,
  type SmsCodeOptionsReport,
} from '../templates/sms-code-templates.resolver.js';

/** The options with their defaults applied, as `SmsCodeService` uses them. */
export interface ResolvedSmsCodeOptions {
  hashKey: Buffer;
  companyName: SmsCodeCompanyName;
  maxCompanyNameLength: number;
  codeLength: number;
  codeAlphabet: string;
  /** True when the alphabet has no lower-case letter: codes are then compared in upper case. */
  caseInsensitive: boolean;
  lifetimeSeconds: Readonly<Record<SmsCodePurpose, number>>;
  maxAttempts: number;
  resendCooldownSeconds: number;
  maxSendsPerPhonePerHour: number;
  maxSendsPerEnvironmentPerHour: number;
  /** Upper-case ISO codes, or undefined for every country. */
  allowedCountries: readonly string[] | undefined;
  /** Every locale's complete set of texts, keyed by the lower-case locale. */
  templates: ReadonlyMap<string, SmsCodeTemplateSet>;
  defaultLocale: string;
  maxSegments: number;
  originDomain: string | undefined;
  purgeIntervalMs: number;
}

const MIN_HASH_KEY_BYTES = 32;
const MIN_CODE_COMBINATIONS = 10_000;
const MIN_LIFETIME_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 86_400;
const ALPHABET = /^[A-Za-z0-9]{2,64}$/;
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const KNOWN_OPTIONS = new Set<string>([
  'hashKey',
  'companyName',
  'maxCompanyNameLength',
  'codeLength',
  'codeAlphabet',
  'lifetimeSeconds',
  'maxAttempts',
  'resendCooldownSeconds',
  'maxSendsPerPhonePerHour',
  'maxSendsPerEnvironmentPerHour',
  'allowedCountries',
  'templates',
  'defaultLocale',
  'maxSegments',
  'originDomain',
  'store',
  'clock',
  'purgeIntervalMs',
] satisfies (keyof SmsCodeModuleOptions)[]);

const STORE_METHODS = [
  'save',
  'find',
  'addAttempt',
  'consume',
  'hit',
  'purge',
  'close',
];

/**
 * Validates the options, applies the defaults and checks that every template fits `maxSegments`
 * with the longest code and company name.
 *
 * @throws SmsCodeOptionsError listing every problem at once
 */
export function resolveSmsCodeOptions(
  options: SmsCodeModuleOptions,
): ResolvedSmsCodeOptions {
  if (!isPlainObject(options)) {
    throw new SmsCodeOptionsError([
      { path: 'options', message: M.notAnObject() },
    ]);
  }
  const problems: SmsSettingsProblem[] = numericSmsCodeOptionProblems(options);
  const report: SmsCodeOptionsReport = (path, message) =>
    problems.push({ path, message });
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) report(name, M.unknownOption(name));
  }
  const resolved = resolvedOptionsOf(options, problems, report);
  checkSmsCodeTemplateLengths(
    resolved.templates,
    { ...resolved, codeCharacter: resolved.codeAlphabet[0] },
    report,
  );
  checkCollaborators(options, report);
  if (problems.length > 0) throw new SmsCodeOptionsError(problems);
  return resolved;
}

/** The options with their defaults; what fails is reported, and its default taken. */
function resolvedOptionsOf(
  options: SmsCodeModuleOptions,
  problems: readonly SmsSettingsProblem[],
  report: SmsCodeOptionsReport,
): ResolvedSmsCodeOptions {
  const number = (name: SmsCodeNumericOption): number =>
    problems.some((p) => p.path === name)
      ? SMS_CODE_DEFAULTS[name]
      : (options[name] ?? SMS_CODE_DEFAULTS[name]);

  const codeAlphabet = alphabetOf(options.codeAlphabet, report);
  const codeLength = number('codeLength');
  const combinations = codeAlphabet.length ** codeLength;
  if (combinations < MIN_CODE_COMBINATIONS)
    report('codeLength', M.tooFewCodes(combinations));
  const maxCompanyNameLength = number('maxCompanyNameLength');
  checkCompanyName(options.companyName, maxCompanyNameLength, report);
  const defaultLocale = localeOf(options.defaultLocale, report);
  return {
    hashKey: hashKeyOf(options.hashKey, report),
    companyName: options.companyName,
    maxCompanyNameLength,
    codeLength,
    codeAlphabet,
    caseInsensitive: !/[a-z]/.test(codeAlphabet),
    lifetimeSeconds: lifetimesOf(options.lifetimeSeconds, report),
    maxAttempts: number('maxAttempts'),
    resendCooldownSeconds: number('resendCooldownSeconds'),
    maxSendsPerPhonePerHour: number('maxSendsPerPhonePerHour'),
    maxSendsPerEnvironmentPerHour: number('maxSendsPerEnvironmentPerHour'),
    allowedCountries: countriesOf(options.allowedCountries, report),
    templates: resolveSmsCodeTemplates(
      options.templates,
      defaultLocale,
      report,
    ),
    defaultLocale,
    maxSegments: number('maxSegments'),
    originDomain: originDomainOf(options.originDomain, report),
    purgeIntervalMs: number('purgeIntervalMs'),
  };
}

/** The store and clock given in place of the defaults must have the methods the module calls. */
function checkCollaborators(
  options: SmsCodeModuleOptions,
  report: SmsCodeOptionsReport,
): void {
  if (
    options.store !== undefined &&
    !hasMethods(options.store, STORE_METHODS)
  ) {
    report('store', M.store());
  }
  if (options.clock !== undefined && !hasMethods(options.clock, ['now'])) {
    report('clock', M.clock());
  }
}

function hashKeyOf(value: unknown, report: SmsCodeOptionsReport): Buffer {
  const text = typeof value === 'string' ? value.trim() : '';
  const key = Buffer.from(text, 'base64');
  // Buffer.from skips what is not base64; the round trip catches a value that only looks long enough.
  const canonical = (s: string) =>
    s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (
    key.length < MIN_HASH_KEY_BYTES ||
    canonical(key.toString('base64')) !== canonical(text)
  ) {
    report('hashKey', M.hashKey());
  }
  return key;
}

function alphabetOf(value: unknown, report: SmsCodeOptionsReport): string {
  if (value === undefined) return SMS_CODE_DEFAULTS.codeAlphabet;
  if (
    typeof value === 'string' &&
    ALPHABET.test(value) &&
    new Set(value).size === value.length
  ) {
    return value;
  }
  report('codeAlphabet', M.alphabet());
  return SMS_CODE_DEFAULTS.codeAlphabet;
}

function checkCompanyName(
  value: unknown,
  max: number,
  report: SmsCodeOptionsReport,
): void {
  if (typeof value === 'function') return;
  if (typeof value !== 'string' || value.trim() === '') {
    report('companyName', M.companyName());
  } else if (value.length > max) {
    report('companyName', M.companyNameTooLong(max));
  }
}

function localeOf(value: unknown, report: SmsCodeOptionsReport): string {
  if (value === undefined) return SMS_CODE_DEFAULTS.defaultLocale;
  if (typeof value === 'string' && SMS_CODE_LOCALE.test(value))
    return value.toLowerCase();
  report('defaultLocale', M.locale('defaultLocale'));
  return SMS_CODE_DEFAULTS.defaultLocale;
}

function lifetimesOf(
  value: unknown,
  report: SmsCodeOptionsReport,
): Record<SmsCodePurpose, number> {
  const lifetimes: Record<SmsCodePurpose, number> = {
    ...SMS_CODE_DEFAULTS.lifetimeSeconds,
  };
  if (value === undefined) return lifetimes;
  if (!isPlainObject(value)) {
    report('lifetimeSeconds', M.notAnObjectOption('lifetimeSeconds'));
    return lifetimes;
  }
  for (const [purpose, seconds] of Object.entries(value)) {
    const path = `lifetimeSeconds.${purpose}`;
    if (!isSmsCodePurpose(purpose)) {
      report(path, M.unknownPurpose(path, SMS_CODE_PURPOSES));
    } else if (
      isWholeNumberIn(seconds, MIN_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS)
    ) {
      lifetimes[purpose] = seconds;
    } else {
      report(
        path,
        M.wholeNumber(path, MIN_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS),
      );
    }
  }
  return lifetimes;
}

function countriesOf(
  value: unknown,
  report: SmsCodeOptionsReport,
): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    report('allowedCountries', M.countries());
    return undefined;
  }
  const countries = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const code = typeof entry === 'string' ? entry.trim().toUpperCase() : '';
    if (/^[A-Z]{2}$/.test(code) && isSupportedCountry(code))
      countries.add(code);
    else
      report(
        `allowedCountries[${index}]`,
        M.unknownCountry(`allowedCountries[${index}]`),
      );
  });
  return [...countries];
}

function originDomainOf(
  value: unknown,
  report: SmsCodeOptionsReport,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && HOST_NAME.test(value)) return value;
  report('originDomain', M.originDomain());
  return undefined;
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every(
      (m) => typeof (value as Record<string, unknown>)[m] === 'function',
    )
  );
}

import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import {
  certificateValidityProblem,
  inspectClientCertificate,
} from '../certificates/client-certificate.js';
import type { SmsCertificateInfo } from '../certificates/sms-certificate-info.interface.js';
import type { SmsProvider } from '../providers/sms-provider.interface.js';
import {
  SMS_SETTINGS_SHAPE_CONSTRAINTS,
  quotable,
  setSmsSettingsValidationContext,
  smsSettingsFieldLabel,
  type SmsSettingsValidationContext,
} from './sms-settings.constraints.js';
import {
  SMS_SETTINGS_FIELDS,
  SmsSettingsDto,
  smsSettingsFieldsOf,
  type SmsSettingsField,
} from './sms-settings.dto.js';
import type {
  SmsQueryParameter,
  SmsSettings,
} from './sms-settings.interface.js';
import { SmsSettingsMessages as M } from './sms-settings.messages.js';
import {
  SmsSettingsError,
  type SmsSettingsProblem,
} from '../errors/sms-settings.error.js';

/** Settings that passed validation, in the camelCase shape, with what was learnt on the way. */
export interface ValidatedSmsSettings {
  /** Only the fields of the settings' type, trimmed (secrets and parameter values as written). */
  settings: SmsSettings;
  /** The client certificate's description (Telia). */
  certificate?: SmsCertificateInfo;
  /** The fallback's client certificate's description (Telia as the fallback). */
  fallbackCertificate?: SmsCertificateInfo;
  /** Problems that do not stop the settings, e.g. a site certificate outside its validity period. */
  warnings: string[];
}

/** Options of {@link parseSiteSmsSettings} and {@link parseEnvironmentSmsSettings}. */
export interface SmsSettingsParseOptions {
  /**
   * The time against which the certificate's validity period is checked.
   * @default the current time
   */
  now?: Date;
  /** Custom provider strategies: their types are accepted, and their `validate` is applied. */
  customProviders?: SmsProvider[];
  /**
   * What every path starts with.
   * @default `Settings:Sms` for the site settings; nothing for an environment's
   */
  pathPrefix?: string;
}

/** How one level writes its keys and paths, and how it treats a certificate outside its validity. */
interface SettingsLevel {
  naming: SmsSettingsValidationContext['naming'];
  /** The path of keys (as the user wrote them) and array indexes, as the user writes a path. */
  path(segments: readonly string[]): string;
  /** Site settings run with a certificate outside its validity (with a warning); environments do not. */
  certificateValidityIsError: boolean;
  /** The key of the fallback provider at this level: `Fallback` or `fallback`. */
  fallbackKey: string;
  /** The level of the fallback's own keys, whose paths start with the fallback key. */
  fallbackLevel(): SettingsLevel;
}

/**
 * Validates the site settings (app settings section `Settings:Sms`, PascalCase keys). A certificate
 * outside its validity period gives a warning, not an error.
 *
 * @throws SmsSettingsError listing every failing field, e.g. `Settings:Sms:ClientSecret`
 */
export function parseSiteSmsSettings(
  input: unknown,
  options: SmsSettingsParseOptions = {},
): ValidatedSmsSettings {
  return parseWithFallback(
    input,
    options,
    siteLevel(options.pathPrefix ?? 'Settings:Sms'),
  );
}

/**
 * Validates an environment's settings (camelCase keys, as set through the admin API). A certificate
 * outside its validity period is an error.
 *
 * @throws SmsSettingsError listing every failing field, e.g. `clientSecret` or `parameters[0].name`
 */
export function parseEnvironmentSmsSettings(
  input: unknown,
  options: SmsSettingsParseOptions = {},
): ValidatedSmsSettings {
  return parseWithFallback(
    input,
    options,
    environmentLevel(options.pathPrefix ?? ''),
  );
}

function siteLevel(prefix: string): SettingsLevel {
  return {
    naming: 'PascalCase',
    path: (segments) =>
      [prefix, ...segments].filter(Boolean).join(':') || 'settings',
    certificateValidityIsError: false,
    fallbackKey: 'Fallback',
    fallbackLevel: () => siteLevel(`${prefix}:Fallback`),
  };
}

function environmentLevel(prefix: string): SettingsLevel {
  return {
    naming: 'camelCase',
    path: (segments) => {
      let path = prefix;
      for (const segment of segments) {
        if (/^\d+$/.test(segment)) path += `[${segment}]`;
        else path += path ? `.${segment}` : segment;
      }
      return path || 'settings';
    },
    certificateValidityIsError: true,
    fallbackKey: 'fallback',
    fallbackLevel: () =>
      environmentLevel(prefix ? `${prefix}.fallback` : 'fallback'),
  };
}

/**
 * The primary's settings and its fallback's, each validated by the same rules; one error lists the
 * problems of both, the fallback's under its own path (`Settings:Sms:Fallback:…`, `fallback.…`).
 */
function parseWithFallback(
  input: unknown,
  options: SmsSettingsParseOptions,
  level: SettingsLevel,
): ValidatedSmsSettings {
  if (!isRecord(input)) return parseSmsSettings(input, options, level);
  const { [level.fallbackKey]: fallbackInput, ...primaryInput } = input;
  const problems: SmsSettingsProblem[] = [];
  const primary = collectProblems(problems, () =>
    parseSmsSettings(primaryInput, options, level),
  );
  const fallback =
    fallbackInput == null
      ? undefined
      : collectProblems(problems, () =>
          parseFallback(fallbackInput, options, level.fallbackLevel()),
        );
  if (problems.length > 0 || !primary) throw new SmsSettingsError(problems);
  if (!fallback) return primary;
  return {
    settings: { ...primary.settings, fallback: fallback.settings },
    certificate: primary.certificate,
    fallbackCertificate: fallback.certificate,
    warnings: [...primary.warnings, ...fallback.warnings],
  };
}

function parseFallback(
  input: unknown,
  options: SmsSettingsParseOptions,
  level: SettingsLevel,
): ValidatedSmsSettings {
  if (!isRecord(input) || !(level.fallbackKey in input))
    return parseSmsSettings(input, options, level);
  const own = { ...input };
  delete own[level.fallbackKey];
  const nested: SmsSettingsProblem = {
    path: level.path([level.fallbackKey]),
    message: M.nestedFallback(level.fallbackKey),
  };
  const problems = [nested];
  collectProblems(problems, () => parseSmsSettings(own, options, level));
  throw new SmsSettingsError(problems);
}

/** Runs a validation, adding its problems to `problems` instead of throwing them. */
export function collectProblems<T>(
  problems: SmsSettingsProblem[],
  validate: () => T,
): T | undefined {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof SmsSettingsError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/** What checking one settings object found: the problems that refuse it, and the warnings. */
interface SettingsFindings {
  problems: SmsSettingsProblem[];
  warnings: string[];
}

function parseSmsSettings(
  input: unknown,
  options: SmsSettingsParseOptions,
  level: SettingsLevel,
): ValidatedSmsSettings {
  if (!isRecord(input)) {
    throw new SmsSettingsError([
      { path: level.path([]), message: M.notAnObject() },
    ]);
  }
  const context: SmsSettingsValidationContext = {
    naming: level.naming,
    customTypes: (options.customProviders ?? [])
      .map((provider) => provider.type)
      .filter((type) => typeof type === 'string'),
  };
  const findings: SettingsFindings = { problems: [], warnings: [] };
  const dto = validatedDto(input, context, level, findings.problems);
  const fields = smsSettingsFieldsOf(dto.type, context.customTypes);
  const certificate = fields.includes('certificatePemCrt')
    ? checkCertificate(dto, options.now ?? new Date(), level, findings)
    : undefined;
  if (findings.problems.length > 0) {
    throw new SmsSettingsError(findings.problems);
  }
  const settings = settingsOf(dto, fields);
  const custom = customProblems(settings, options, level);
  if (custom.length > 0) throw new SmsSettingsError(custom);
  return { settings, certificate, warnings: findings.warnings };
}

/** The settings' fields as a DTO, checked by class-validator; its problems are added to `problems`. */
function validatedDto(
  input: Record<string, unknown>,
  context: SmsSettingsValidationContext,
  level: SettingsLevel,
  problems: SmsSettingsProblem[],
): SmsSettingsDto {
  const plain = selectFields(input, context, level, problems);
  const dto = plainToInstance(SmsSettingsDto, plain);
  setSmsSettingsValidationContext(dto, context);
  if (Array.isArray(dto.parameters)) {
    for (const parameter of dto.parameters as unknown[]) {
      if (isRecord(parameter)) {
        setSmsSettingsValidationContext(parameter, context);
      }
    }
  }
  const errors = validateSync(dto, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  problems.push(...problemsOf(errors, [], level));
  return dto;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The camelCase object that class-transformer receives: the fields of the settings' type only,
 * with unknown keys reported and keys of other types dropped.
 */
function selectFields(
  input: Record<string, unknown>,
  context: SmsSettingsValidationContext,
  level: SettingsLevel,
  problems: SmsSettingsProblem[],
): Record<string, unknown> {
  const keys = keysOf(SMS_SETTINGS_FIELDS, level.naming);
  const rawType = input[smsSettingsFieldLabel('type', level.naming)];
  const fields = smsSettingsFieldsOf(
    typeof rawType === 'string' ? rawType.trim() : rawType,
    context.customTypes,
  );
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const field = keys.get(key);
    if (field === undefined) {
      problems.push(unknownKey(key, [], keys, level));
    } else if (fields.includes(field) && input[key] != null) {
      plain[field] =
        field === 'parameters'
          ? selectParameters(input[key], level, problems)
          : withoutNesting(input[key]);
    }
  }
  return plain;
}

const PARAMETER_FIELDS = [
  'name',
  'value',
] as const satisfies readonly (keyof SmsQueryParameter)[];

function selectParameters(
  list: unknown,
  level: SettingsLevel,
  problems: SmsSettingsProblem[],
): unknown {
  if (!Array.isArray(list)) return withoutNesting(list);
  const keys = keysOf(PARAMETER_FIELDS, level.naming);
  return list.map((entry: unknown, index) => {
    // Anything but an object fails the nested validation with one message, whatever it was.
    if (!isRecord(entry)) return null;
    const parameter: Record<string, unknown> = {};
    for (const key of Object.keys(entry)) {
      const field = keys.get(key);
      if (field === undefined) {
        const parameters = smsSettingsFieldLabel('parameters', level.naming);
        problems.push(
          unknownKey(key, [parameters, String(index)], keys, level),
        );
      } else if (entry[key] != null) {
        parameter[field] = withoutNesting(entry[key]);
      }
    }
    return { name: undefined, value: undefined, ...parameter };
  });
}

// Only a value's JSON type matters once it is not a string, and class-transformer copies nested
// values recursively: a deeply nested value must not exhaust the stack.
function withoutNesting(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? {} : value;
}

function keysOf<F extends string>(
  fields: readonly F[],
  naming: SmsSettingsValidationContext['naming'],
): Map<string, F> {
  return new Map(
    fields.map((field) => [smsSettingsFieldLabel(field, naming), field]),
  );
}

function unknownKey(
  key: string,
  parentSegments: string[],
  known: Map<string, string>,
  level: SettingsLevel,
): SmsSettingsProblem {
  const shown = quotable(key);
  return {
    path: level.path([...parentSegments, shown]),
    message: M.unknownKey(shown, closestKey(key, [...known.keys()])),
  };
}

/** A known key that the user probably meant: the same but for case, or one or two typos away. */
function closestKey(key: string, known: string[]): string | undefined {
  const sameButCase = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameButCase) return sameButCase;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    if (Math.abs(candidate.length - key.length) > 2) continue;
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) {
      best = { key: candidate, distance };
    }
  }
  return best?.key;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and transpositions. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) =>
      i === 0 ? j : j === 0 ? i : 0,
    ),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function problemsOf(
  errors: ValidationError[],
  parentSegments: string[],
  level: SettingsLevel,
): SmsSettingsProblem[] {
  const problems: SmsSettingsProblem[] = [];
  for (const error of errors) {
    const segments = [
      ...parentSegments,
      smsSettingsFieldLabel(error.property, level.naming),
    ];
    const path = level.path(segments);
    // class-validator runs a property's decorators bottom-up; report them in the order written.
    const constraints = Object.entries(error.constraints ?? {}).reverse();
    const shape = constraints.find(([name]) =>
      SMS_SETTINGS_SHAPE_CONSTRAINTS.has(name),
    );
    if (shape) {
      problems.push({ path, message: shape[1] });
      continue;
    }
    for (const [, message] of constraints) problems.push({ path, message });
    problems.push(...problemsOf(error.children ?? [], segments, level));
  }
  return problems;
}

/** The settings of a valid DTO: the fields of the type that are set, and no empty label. */
function settingsOf(
  dto: SmsSettingsDto,
  fields: readonly SmsSettingsField[],
): SmsSettings {
  const settings: Record<string, unknown> = {};
  for (const field of fields) {
    const value = dto[field];
    if (value === undefined || (field === 'label' && value === '')) continue;
    settings[field] =
      field === 'parameters'
        ? (value as SmsQueryParameter[]).map(({ name, value }) => ({
            name,
            value,
          }))
        : value;
  }
  return settings as unknown as SmsSettings;
}

function checkCertificate(
  { certificatePemCrt, certificatePemKey }: SmsSettingsDto,
  now: Date,
  level: SettingsLevel,
  { problems, warnings }: SettingsFindings,
): SmsCertificateInfo | undefined {
  if (
    typeof certificatePemCrt !== 'string' ||
    typeof certificatePemKey !== 'string' ||
    certificatePemCrt.trim() === '' ||
    certificatePemKey.trim() === ''
  ) {
    return undefined;
  }
  const inspection = inspectClientCertificate(
    certificatePemCrt,
    certificatePemKey,
  );
  for (const { field, reason } of inspection.problems) {
    problems.push({
      path: level.path([smsSettingsFieldLabel(field, level.naming)]),
      message: M.certificateProblem(
        smsSettingsFieldLabel(field, level.naming),
        reason,
      ),
    });
  }
  const validity =
    inspection.info && certificateValidityProblem(inspection.info, now);
  if (validity) {
    const field = smsSettingsFieldLabel('certificatePemCrt', level.naming);
    const path = level.path([field]);
    if (level.certificateValidityIsError) {
      problems.push({
        path,
        message: M.certificateOutsideValidity(field, validity),
      });
    } else {
      warnings.push(
        `${path}: ${M.certificateOutsideValidityWarning(field, validity)}`,
      );
    }
  }
  return inspection.info;
}

/** The problems a custom provider finds in settings that passed the library's own rules. */
function customProblems(
  settings: SmsSettings,
  options: SmsSettingsParseOptions,
  level: SettingsLevel,
): SmsSettingsProblem[] {
  const provider = (options.customProviders ?? []).findLast(
    (p) => p.type === settings.type,
  );
  if (!provider?.validate) return [];
  try {
    return provider.validate(settings).map(({ field, message }) => ({
      path: level.path(
        segmentsOf(field).map((s) => smsSettingsFieldLabel(s, level.naming)),
      ),
      message,
    }));
  } catch {
    // The provider's own error text may quote the settings; only say which provider failed.
    return [
      {
        path: level.path([]),
        message: M.customValidationFailed(quotable(settings.type)),
      },
    ];
  }
}

/** `parameters[0].name` → `['parameters', '0', 'name']`. */
function segmentsOf(field: string): string[] {
  return field.split(/[.[\]]/).filter(Boolean);
}

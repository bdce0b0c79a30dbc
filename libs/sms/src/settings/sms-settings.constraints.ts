import {
  IsDefined,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import {
  ACCESS_URL_PLACEHOLDERS,
  BUILT_IN_SMS_PROVIDER_TYPES,
} from '../sms.constants.js';
import { SmsSettingsMessages as M } from './sms-settings.messages.js';

/** How a settings DTO is validated; attached to each instance by the settings validator. */
export interface SmsSettingsValidationContext {
  /** `PascalCase` for the site settings, `camelCase` for an environment's. */
  naming: 'PascalCase' | 'camelCase';
  /** The types served by registered custom providers. */
  customTypes: readonly string[];
}

const CONTEXT = Symbol('SmsSettingsValidationContext');

const DEFAULT_CONTEXT: SmsSettingsValidationContext = {
  naming: 'camelCase',
  customTypes: [],
};

/**
 * Constraints after whose failure a field gets no other message: a field that is missing or of the
 * wrong JSON type gets one clear error, not a cascade.
 */
export const SMS_SETTINGS_SHAPE_CONSTRAINTS: ReadonlySet<string> = new Set([
  'isDefined',
  'isText',
  'isList',
]);

/** Attaches the validation context to a DTO instance, out of sight of class-transformer. */
export function setSmsSettingsValidationContext(
  target: object,
  context: SmsSettingsValidationContext,
): void {
  Object.defineProperty(target, CONTEXT, { value: context });
}

/** The validation context of a DTO instance; camelCase naming when none was attached. */
export function smsSettingsValidationContextOf(
  target: unknown,
): SmsSettingsValidationContext {
  if (typeof target !== 'object' || target === null) return DEFAULT_CONTEXT;
  return (
    (target as { [CONTEXT]?: SmsSettingsValidationContext })[CONTEXT] ??
    DEFAULT_CONTEXT
  );
}

/** A camelCase field name as the user writes it at the given level. */
export function smsSettingsFieldLabel(
  field: string,
  naming: SmsSettingsValidationContext['naming'],
): string {
  return naming === 'PascalCase'
    ? field.charAt(0).toUpperCase() + field.slice(1)
    : field;
}

/**
 * A user-written text made safe to quote in a message: control characters escaped, length bounded.
 * Only for texts that are not secret (keys, the provider type).
 */
export function quotable(text: string, max = 40): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

function labelOf(args: ValidationArguments): string {
  return smsSettingsFieldLabel(
    args.property,
    smsSettingsValidationContextOf(args.object).naming,
  );
}

function typeOf(target: unknown): string {
  const type = (target as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : '';
}

function characters(text: string): number {
  // Code points, so that an emoji counts as one character, as users count them.
  // oxlint-disable-next-line typescript/no-misused-spread
  return [...text].length;
}

// C0 controls and DEL: CR and LF would split an HTTP header in two, NUL truncates in many parsers.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7e) return false;
  }
  return true;
}

function constraint(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  message: (args: ValidationArguments) => string,
  constraints?: unknown[],
): PropertyDecorator {
  return ValidateBy(
    { name, constraints, validator: { validate } },
    { message },
  );
}

/** The field must be present (not undefined nor null), whatever the provider type. */
export function IsRequired(): PropertyDecorator {
  return IsDefined({ message: (args) => M.required(labelOf(args)) });
}

/** The field must be present (not undefined nor null) for the object's provider type. */
export function IsRequiredForType(): PropertyDecorator {
  return IsDefined({
    message: (args) => M.requiredFor(labelOf(args), typeOf(args.object)),
  });
}

/** When present, the value must be a string. */
export function IsText(): PropertyDecorator {
  return constraint(
    'isText',
    (value) =>
      value === undefined || value === null || typeof value === 'string',
    (args) => M.notString(labelOf(args)),
  );
}

/** A string value must not be empty or whitespace only. */
export function IsNotBlank(): PropertyDecorator {
  return constraint(
    'isNotBlank',
    (value) => typeof value !== 'string' || value.trim() !== '',
    (args) => M.blank(labelOf(args)),
  );
}

/** A string value must have at most `max` characters (code points). */
export function HasMaxCharacters(max: number): PropertyDecorator {
  return constraint(
    'hasMaxCharacters',
    (value) => typeof value !== 'string' || characters(value) <= max,
    (args) => M.tooLong(labelOf(args), max),
    [max],
  );
}

/** A string value must not contain CR, LF, NUL or any other control character. */
export function HasNoControlCharacters(): PropertyDecorator {
  return constraint(
    'hasNoControlCharacters',
    (value) => typeof value !== 'string' || !hasControlCharacter(value),
    (args) => M.controlCharacters(labelOf(args)),
  );
}

/**
 * For the given provider types, which send the value in an HTTP header, a string value must be
 * ASCII: Node refuses other characters in a header, which would fail every send.
 */
export function IsAsciiFor(types: readonly string[]): PropertyDecorator {
  return constraint(
    'isAsciiFor',
    (value, args) =>
      typeof value !== 'string' ||
      !types.includes(typeOf(args.object)) ||
      isAscii(value),
    (args) => M.notAscii(labelOf(args)),
    [types],
  );
}

/** A string value must be a built-in provider type or the type of a registered custom provider. */
export function IsSmsProviderType(): PropertyDecorator {
  const knownTypes = (args: ValidationArguments): string[] => [
    ...new Set([
      ...BUILT_IN_SMS_PROVIDER_TYPES,
      ...smsSettingsValidationContextOf(args.object).customTypes,
    ]),
  ];
  return constraint(
    'isSmsProviderType',
    (value, args) =>
      typeof value !== 'string' ||
      value.trim() === '' ||
      knownTypes(args).includes(value),
    (args) => {
      const value = String(args.value);
      const known = knownTypes(args);
      const suggestion = known.find(
        (type) => type.toLowerCase() === value.toLowerCase(),
      );
      return M.unknownType(labelOf(args), quotable(value), known, suggestion);
    },
  );
}

// The providers reject longer senders: an alphanumeric sender has at most 11 characters, a numeric
// one is a phone number. A Map, so that a type such as "__proto__" or "toString" finds no limit
// through an object's prototype.
const SENDER_LIMITS: ReadonlyMap<string, { max: number; maxDigits: number }> =
  new Map([
    ['GatewayApi', { max: 11, maxDigits: 15 }],
    ['Smstools', { max: 11, maxDigits: 14 }],
  ]);
const MAX_SENDER_NAME = 100;

/** A string value must fit the sender limits of the object's provider type. */
export function IsSenderName(): PropertyDecorator {
  return constraint(
    'isSenderName',
    (value, args) => {
      if (typeof value !== 'string') return true;
      const limit = SENDER_LIMITS.get(typeOf(args.object));
      if (!limit) return characters(value) <= MAX_SENDER_NAME;
      return /^\d+$/.test(value)
        ? value.length <= limit.maxDigits
        : characters(value) <= limit.max;
    },
    (args) => {
      const type = typeOf(args.object);
      const limit = SENDER_LIMITS.get(type);
      return limit
        ? M.senderTooLong(labelOf(args), type, limit.max, limit.maxDigits)
        : M.tooLong(labelOf(args), MAX_SENDER_NAME);
    },
  );
}

/** What is wrong with an API URL, as a message builder; undefined when it is fine. */
function apiUrlProblem(
  url: string,
  type: string,
): ((args: ValidationArguments) => string) | undefined {
  if (/\s/.test(url) || hasControlCharacter(url))
    return (args) => M.apiUrlWhitespace(labelOf(args));
  if (!URL.canParse(url)) return (args) => M.apiUrlNotAbsolute(labelOf(args));
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:')
    return (args) => M.apiUrlNotHttps(labelOf(args));
  // The URL parser also accepts `https:host` and `https:/host`; require the plain absolute form.
  if (!/^https:\/\/[^/]/i.test(url))
    return (args) => M.apiUrlNotAbsolute(labelOf(args));
  // `https://@host` parses with an empty user name, so look at the authority as written too.
  const authority = url.slice('https://'.length).split(/[/?#\\]/, 1)[0];
  if (parsed.username || parsed.password || authority.includes('@'))
    return (args) => M.apiUrlUserInfo(labelOf(args));
  if (url.includes('#')) return (args) => M.apiUrlFragment(labelOf(args));
  if (type === 'AccessUrl' && url.includes('?')) {
    return (args) =>
      M.apiUrlQuery(
        labelOf(args),
        type,
        smsSettingsFieldLabel(
          'parameters',
          smsSettingsValidationContextOf(args.object).naming,
        ),
      );
  }
  return undefined;
}

/**
 * A string value must be an absolute https URL without user-info or fragment; for Access URL also
 * without a query string, since the query is built from the parameters.
 */
export function IsSmsApiUrl(): PropertyDecorator {
  return constraint(
    'isSmsApiUrl',
    (value, args) =>
      typeof value !== 'string' ||
      value.trim() === '' ||
      apiUrlProblem(value, typeOf(args.object)) === undefined,
    (args) =>
      apiUrlProblem(String(args.value), typeOf(args.object))?.(args) ??
      M.apiUrlNotAbsolute(labelOf(args)),
  );
}

/** When present, the value must be an array. */
export function IsList(): PropertyDecorator {
  return constraint(
    'isList',
    (value) => value === undefined || value === null || Array.isArray(value),
    (args) => M.notAnArray(labelOf(args)),
  );
}

/** An array value must have at least one entry. */
export function HasEntries(): PropertyDecorator {
  return constraint(
    'hasEntries',
    (value) => !Array.isArray(value) || value.length > 0,
    (args) => M.noParameters(labelOf(args)),
  );
}

function parameterValues(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((entry: unknown) => (entry as { value?: unknown } | null)?.value)
    .filter((value): value is string => typeof value === 'string');
}

/**
 * For the given provider types, a non-empty parameter list must have at least one value that
 * contains the placeholder.
 */
export function HasValueWithPlaceholder(
  placeholder: string,
  types: readonly string[],
): PropertyDecorator {
  return constraint(
    `hasValueWith${placeholder}`,
    (value, args) =>
      !Array.isArray(value) ||
      value.length === 0 ||
      !types.includes(typeOf(args.object)) ||
      parameterValues(value).some((v) => v.includes(placeholder)),
    (args) => M.missingPlaceholder(labelOf(args), placeholder),
    [placeholder, types],
  );
}

// A `{word}` that looks like a placeholder; longer brace groups are taken as literal text.
const PLACEHOLDER_LIKE = /\{[A-Za-z_][\w-]{0,39}\}/g;

/** The `{word}` groups of a value that are not known placeholders. */
export function unknownPlaceholdersOf(value: string): string[] {
  const known: readonly string[] = ACCESS_URL_PLACEHOLDERS;
  return [
    ...new Set(
      (value.match(PLACEHOLDER_LIKE) ?? []).filter((p) => !known.includes(p)),
    ),
  ];
}

/** A string value may contain no `{word}` other than the known placeholders. */
export function HasOnlyKnownPlaceholders(): PropertyDecorator {
  return constraint(
    'hasOnlyKnownPlaceholders',
    (value) =>
      typeof value !== 'string' || unknownPlaceholdersOf(value).length === 0,
    (args) =>
      M.unknownPlaceholder(
        labelOf(args),
        unknownPlaceholdersOf(String(args.value)),
        ACCESS_URL_PLACEHOLDERS,
      ),
  );
}

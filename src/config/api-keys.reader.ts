import { API_KEY_SCOPES, type ApiKeyScope } from '../auth/api-key.scopes.js';
import { isSmsEnvironmentName, SMS_ENVIRONMENT_NAME_RULE } from '@app/sms';
import type { ServiceConfigProblem } from './service-config.error.js';
import type { ApiKeyConfig } from './service-config.interface.js';
import { MIN_API_KEY_LENGTH } from './service-settings.schema.js';

const KEYS = 'Settings:Api:Keys';
const ENTRY_FIELDS = ['Name', 'Key', 'Scopes', 'Environments'];
const KEY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const SCOPE_LIST = API_KEY_SCOPES.join(', ');
const SCOPE_CHOICE = `${API_KEY_SCOPES.slice(0, -1).join(', ')} or ${API_KEY_SCOPES.at(-1)}`;

/** The name of a key configured as text: its position, from 1. */
export function positionalApiKeyName(index: number): string {
  return `key-${index + 1}`;
}

/**
 * Reads the entries of `Settings:Api:Keys` (already known to be a list, or absent): a key as text
 * has every scope and the name `key-<n>`; an object names its key, its scopes and, optionally, the
 * environments it may be used for. Checks every field, and that names and keys are not repeated.
 * Never puts a key in a message.
 *
 * @returns the keys, and one problem per bad field (the keys are only usable when there is none)
 */
export function readApiKeys(entries: unknown[] | undefined): {
  keys: ApiKeyConfig[];
  problems: ServiceConfigProblem[];
} {
  const problems: ServiceConfigProblem[] = [];
  const keys: ApiKeyConfig[] = [];
  const names = new Map<string, number>();
  const secrets = new Map<string, number>();
  (entries ?? []).forEach((entry, index) => {
    const path = `${KEYS}:${index}`;
    const before = problems.length;
    const read = readEntry(entry, index, problems);
    const namedBefore = firstIndexOf(names, read.name, index);
    if (namedBefore !== undefined) {
      // A key given as text is named by its position: the clash is then the other entry's doing too.
      problems.push({
        key: typeof entry === 'string' ? path : `${path}:Name`,
        message: `The name ${read.name} is already given to entry ${namedBefore}; every key needs its own name.`,
      });
    }
    const keyedBefore = firstIndexOf(secrets, read.key, index);
    if (keyedBefore !== undefined) {
      problems.push({
        key: typeof entry === 'string' ? path : `${path}:Key`,
        message: `The key is the same as entry ${keyedBefore}'s; every entry needs its own key.`,
      });
    }
    if (problems.length === before) keys.push(read as ApiKeyConfig);
  });
  return { keys, problems };
}

/** The index a value was first seen at, when it was seen before; records it otherwise. */
function firstIndexOf(
  seen: Map<string, number>,
  value: string | undefined,
  index: number,
): number | undefined {
  if (value === undefined) return undefined;
  const first = seen.get(value);
  if (first === undefined) seen.set(value, index);
  return first;
}

/** What an entry says of its key, the fields that are bad left out (their problems added). */
function readEntry(
  entry: unknown,
  index: number,
  problems: ServiceConfigProblem[],
): Partial<ApiKeyConfig> {
  const path = `${KEYS}:${index}`;
  if (typeof entry === 'string') {
    const name = positionalApiKeyName(index);
    if (entry.length >= MIN_API_KEY_LENGTH) {
      return { name, key: entry, scopes: [...API_KEY_SCOPES] };
    }
    problems.push({
      key: path,
      message: `Every entry of Keys must be at least ${MIN_API_KEY_LENGTH} characters long.`,
    });
    return { name };
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push({
      key: path,
      message:
        'Every entry of Keys must be a key (text) or an object with Name, Key, Scopes and Environments.',
    });
    return {};
  }
  return readObjectEntry(entry as Record<string, unknown>, path, problems);
}

function readObjectEntry(
  entry: Record<string, unknown>,
  path: string,
  problems: ServiceConfigProblem[],
): Partial<ApiKeyConfig> {
  const read: Partial<ApiKeyConfig> = {
    name: readText(entry.Name, `${path}:Name`, NAME_RULE, problems),
    key: readText(entry.Key, `${path}:Key`, KEY_RULE, problems),
    scopes: readScopes(entry.Scopes, `${path}:Scopes`, problems),
    environments: readEnvironments(
      entry.Environments,
      `${path}:Environments`,
      problems,
    ),
  };
  for (const field of Object.keys(entry)) {
    if (ENTRY_FIELDS.includes(field)) continue;
    problems.push({
      key: `${path}:${field}`,
      message:
        'This key is not known; an entry of Keys has Name, Key, Scopes and Environments.',
    });
  }
  return read;
}

/** What a required text field of a key entry must be, and what to say when it is not. */
interface TextRule {
  isValid(value: string): boolean;
  missing: string;
  invalid: string;
}

const NAME_RULE: TextRule = {
  isValid: (value) => KEY_NAME.test(value),
  missing: 'The field Name is required: it names the key in the log.',
  invalid: 'The field Name must be 1 to 64 letters, digits, ".", "-" and "_".',
};

const KEY_RULE: TextRule = {
  isValid: (value) => value.length >= MIN_API_KEY_LENGTH,
  missing: `The field Key is required: the bearer key, at least ${MIN_API_KEY_LENGTH} characters long.`,
  invalid: `The field Key must be at least ${MIN_API_KEY_LENGTH} characters long.`,
};

function readText(
  value: unknown,
  path: string,
  rule: TextRule,
  problems: ServiceConfigProblem[],
): string | undefined {
  if (typeof value === 'string' && rule.isValid(value)) return value;
  problems.push({
    key: path,
    message: value === undefined ? rule.missing : rule.invalid,
  });
  return undefined;
}

function readScopes(
  value: unknown,
  path: string,
  problems: ServiceConfigProblem[],
): ApiKeyScope[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({
      key: path,
      message:
        'The field Scopes must be a list of scopes (as an environment variable: Settings__Api__Keys__0__Scopes__0=send).',
    });
    return undefined;
  }
  if (value.length === 0) {
    problems.push({
      key: path,
      message: `The field Scopes must list at least one of ${SCOPE_LIST}.`,
    });
  }
  const known: readonly unknown[] = API_KEY_SCOPES;
  value.forEach((scope, index) => {
    if (known.includes(scope)) return;
    problems.push({
      key: `${path}:${index}`,
      message:
        typeof scope === 'string'
          ? `The scope "${scope}" is not known: use ${SCOPE_CHOICE}.`
          : `Every scope must be one of ${SCOPE_CHOICE}.`,
    });
  });
  return value as ApiKeyScope[];
}

function readEnvironments(
  value: unknown,
  path: string,
  problems: ServiceConfigProblem[],
): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({
      key: path,
      message:
        'The field Environments must list at least one environment; leave it out for every environment.',
    });
    return undefined;
  }
  value.forEach((environment, index) => {
    if (!isSmsEnvironmentName(environment)) {
      problems.push({
        key: `${path}:${index}`,
        message: SMS_ENVIRONMENT_NAME_RULE,
      });
    }
  });
  return value as string[];
}

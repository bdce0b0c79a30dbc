import type { ServiceConfigProblem } from './service-config.error.js';
import { canonicalSettingsKey } from './settings-key.names.js';

/** The separator of levels in an environment variable name: `Settings__Sms__Type`. */
const LEVEL_SEPARATOR = '__';
const ARRAY_INDEX = /^\d+$/;
// Lists in the configuration are short; a larger index is a typo that would allocate a huge list.
const MAX_ARRAY_INDEX = 999;

/**
 * Writes the environment variables that start with `Settings__` (in any case) over the document:
 * `__` separates levels, a number is an array index, and a key matches an existing key in any case
 * (else it takes its documented spelling). Variables are applied in name order, so the result does
 * not depend on the order of the environment. The document is not changed; a new one is returned.
 *
 * @returns the document with the variables applied, the names of the variables that were used, and
 *   the problems of variables that could not be applied
 */
export function overlayEnvironmentVariables(
  document: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): {
  document: Record<string, unknown>;
  applied: string[];
  problems: ServiceConfigProblem[];
} {
  const result = structuredClone(document);
  const applied: string[] = [];
  const problems: ServiceConfigProblem[] = [];
  const names = Object.keys(env)
    .filter((name) =>
      name.toLowerCase().startsWith(`settings${LEVEL_SEPARATOR}`),
    )
    .sort();
  for (const name of names) {
    const value = env[name];
    const path = name.split(LEVEL_SEPARATOR);
    if (value === undefined) continue;
    if (path.some((segment) => segment === '')) {
      problems.push({
        key: name,
        message:
          'The variable name has an empty level (three or more underscores in a row).',
      });
      continue;
    }
    const problem = setAtPath(result, path, value);
    if (problem) problems.push({ key: name, message: problem });
    else applied.push(name);
  }
  return { document: result, applied, problems };
}

/** Sets the value; returns why it cannot be set, if it cannot. */
function setAtPath(
  root: Record<string, unknown>,
  path: string[],
  value: string,
): string | undefined {
  let container: Record<string, unknown> | unknown[] = root;
  for (let level = 0; level < path.length; level++) {
    if (Array.isArray(container) && !ARRAY_INDEX.test(path[level])) {
      return `${path.slice(0, level).join(':')} is a list: the level after it must be a number (an index), not "${path[level]}".`;
    }
    if (Array.isArray(container) && Number(path[level]) > MAX_ARRAY_INDEX) {
      return `The index ${path[level]} is larger than ${MAX_ARRAY_INDEX}.`;
    }
    const key = keyIn(container, path[level]);
    if (level === path.length - 1) {
      assign(container, key, value);
      return undefined;
    }
    const existing = read(container, key);
    const wantsArray = ARRAY_INDEX.test(path[level + 1]);
    if (typeof existing === 'object' && existing !== null) {
      container = existing as Record<string, unknown> | unknown[];
    } else {
      const created: Record<string, unknown> | unknown[] = wantsArray ? [] : {};
      assign(container, key, created);
      container = created;
    }
  }
  return undefined;
}

/** The key to use in `container` for a path segment: an index, an existing key in any case, or the documented spelling. */
function keyIn(
  container: Record<string, unknown> | unknown[],
  segment: string,
): string | number {
  if (Array.isArray(container)) return Number(segment);
  const lower = segment.toLowerCase();
  return (
    Object.keys(container).find((key) => key.toLowerCase() === lower) ??
    canonicalSettingsKey(segment)
  );
}

function read(
  container: Record<string, unknown> | unknown[],
  key: string | number,
): unknown {
  return (container as Record<string | number, unknown>)[key];
}

function assign(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  value: unknown,
): void {
  (container as Record<string | number, unknown>)[key] = value;
}

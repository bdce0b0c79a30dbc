import type { ServiceConfigProblem } from './service-config.error.js';
import {
  canonicalSettingsKey,
  UNKNOWN_SETTINGS_KEY_MESSAGE,
} from './settings-key.names.js';

// JSON.parse keeps "__proto__" as a key of its own; copied by assignment it would become the
// object's prototype instead, and go unchecked.
const PROTOTYPE_KEY = '__proto__';

/**
 * Picks the `Settings` section of a configuration document (its key in any case) and spells every
 * known key inside it as documented, so that `settings:sms:type` and `Settings:Sms:Type` are the
 * same key. Two keys of one object that differ only in case are a problem, since neither can win.
 * Other top-level members of the document (such as `Logging`) are left alone.
 */
export function canonicalSettingsSection(document: Record<string, unknown>): {
  settings: unknown;
  problems: ServiceConfigProblem[];
} {
  const problems: ServiceConfigProblem[] = [];
  const roots = Object.keys(document).filter(
    (key) => key.toLowerCase() === 'settings',
  );
  if (roots.length > 1) {
    problems.push({
      key: 'Settings',
      message: `The key is given twice, as "${roots[0]}" and as "${roots[1]}"; keys are not case-sensitive.`,
    });
  }
  const settings = roots.length > 0 ? document[roots[0]] : undefined;
  return { settings: canonicalValue(settings, 'Settings', problems), problems };
}

function canonicalKeys(
  object: Record<string, unknown>,
  path: string,
  problems: ServiceConfigProblem[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  for (const [key, value] of Object.entries(object)) {
    const canonical = canonicalSettingsKey(key);
    const keyPath = `${path}:${canonical}`;
    if (key === PROTOTYPE_KEY) {
      problems.push({ key: keyPath, message: UNKNOWN_SETTINGS_KEY_MESSAGE });
      continue;
    }
    const earlier = spelledAs.get(canonical);
    if (earlier !== undefined) {
      problems.push({
        key: keyPath,
        message: `The key is given twice, as "${earlier}" and as "${key}"; keys are not case-sensitive.`,
      });
      continue;
    }
    spelledAs.set(canonical, key);
    result[canonical] = canonicalValue(value, keyPath, problems);
  }
  return result;
}

function canonicalValue(
  value: unknown,
  path: string,
  problems: ServiceConfigProblem[],
): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      canonicalValue(item, `${path}:${index}`, problems),
    );
  }
  if (typeof value === 'object' && value !== null) {
    return canonicalKeys(value as Record<string, unknown>, path, problems);
  }
  return value;
}

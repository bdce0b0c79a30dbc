import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServiceConfigError } from './service-config.error.js';

/** The configuration file that is read when `SETTINGS_FILE` is not set. */
export const DEFAULT_SETTINGS_FILE = 'appsettings.json';

/** A configuration file's content and where it came from. */
export interface SettingsDocument {
  /** The parsed JSON object; empty when no file was read. */
  content: Record<string, unknown>;
  /** The absolute path of the file read, if any. */
  file?: string;
}

/**
 * Reads the configuration file: the one named by `SETTINGS_FILE`, else `./appsettings.json` when it
 * exists. A file may also hold just the `"Settings": {...}` member, as the examples of the user's
 * documentation are written.
 *
 * @throws ServiceConfigError when `SETTINGS_FILE` names a missing file, or the file is not a JSON object
 */
export function readSettingsDocument(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): SettingsDocument {
  const named = env.SETTINGS_FILE?.trim();
  const file = resolve(cwd, named || DEFAULT_SETTINGS_FILE);
  if (!existsSync(file)) {
    if (!named) return { content: {} };
    throw new ServiceConfigError([
      { key: 'SETTINGS_FILE', message: `The file ${file} does not exist.` },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ServiceConfigError([
      {
        key: named ? 'SETTINGS_FILE' : DEFAULT_SETTINGS_FILE,
        message: `The file ${file} cannot be read: ${(error as Error).message}`,
      },
    ]);
  }
  return {
    content: parseSettingsJson(
      text,
      file,
      named ? 'SETTINGS_FILE' : DEFAULT_SETTINGS_FILE,
    ),
    file,
  };
}

function parseSettingsJson(
  text: string,
  file: string,
  key: string,
): Record<string, unknown> {
  // A byte-order mark is common in files saved by Windows editors.
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return {};
  const parsed =
    tryParse(body) ??
    (body.startsWith('"') ? tryParse(`{${body}}`) : undefined);
  if (parsed === undefined) {
    // The parser's message may quote the file's content, which can hold secrets: only its position is kept.
    throw new ServiceConfigError([
      {
        key,
        message: `The file ${file} is not valid JSON${jsonErrorPosition(body)}.`,
      },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ServiceConfigError([
      {
        key,
        message: `The file ${file} must hold a JSON object such as {"Settings": {...}}.`,
      },
    ]);
  }
  return parsed as Record<string, unknown>;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function jsonErrorPosition(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    if (position !== undefined) {
      const before = text.slice(0, Number(position));
      const line = before.split('\n').length;
      const column = Number(position) - before.lastIndexOf('\n');
      return ` (line ${line}, column ${column})`;
    }
  }
  return '';
}

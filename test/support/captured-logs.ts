import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';

/**
 * Every log line, as `LEVEL [context] message`. An error or object logged is written out in full, as
 * a console logger prints it: an error with its stack, its own fields and its causes. The plain
 * objects of structured fields (a send's `id`, `outcome`...) are kept apart, in `fields`, as the
 * service's text logger leaves them out of the line.
 */
export class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  /** The structured fields of each line that had some, with the line. */
  readonly fields: { line: string; fields: Record<string, unknown> }[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.add('LOG', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add('ERROR', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.add('WARN', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.add('DEBUG', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.add('VERBOSE', message, rest);
  }

  /** All lines joined, for `toContain` and `not.toContain`. */
  get text(): string {
    return this.lines.join('\n');
  }

  private add(level: string, message: unknown, rest: unknown[]): void {
    // Nest passes the context last, and an error's stack before it.
    const context = rest.length > 0 ? String(rest.at(-1)) : '';
    const params = rest.slice(0, -1);
    const extra = params
      .filter((value) => !isPlainObject(value))
      .map(written)
      .join(' ');
    const line = `${level} [${context}] ${written(message)}${extra ? ` ${extra}` : ''}`;
    this.lines.push(line);
    const fields = params.filter(isPlainObject);
    if (fields.length > 0)
      this.fields.push({ line, fields: Object.assign({}, ...fields) });
  }
}

function written(value: unknown): string {
  return typeof value === 'object' && value !== null
    ? inspect(value, { depth: null, breakLength: Infinity })
    : String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

import { inspect } from 'node:util';
import type { LoggerService } from '@nestjs/common';

/**
 * Every log line, as `LEVEL [context] message`. An error or object logged is written out in full, as
 * a console logger prints it: an error with its stack, its own fields and its causes.
 */
export class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];

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
    const extra = rest.slice(0, -1).map(written).join(' ');
    this.lines.push(
      `${level} [${context}] ${written(message)}${extra ? ` ${extra}` : ''}`,
    );
  }
}

function written(value: unknown): string {
  return typeof value === 'object' && value !== null
    ? inspect(value, { depth: null, breakLength: Infinity })
    : String(value);
}

import type { LoggerService } from '@nestjs/common';

// Enough to show what went wrong without flooding the report.
const KEPT_PROBLEMS = 5;

/**
 * A Nest logger that counts lines by level and context instead of writing them. The library still
 * builds every line (that cost is measured); only the output, the host's choice, is left out.
 */
export class CountingLogger implements LoggerService {
  private readonly counts = new Map<string, number>();
  /** The first warnings and errors, as `LEVEL [context] message`. */
  readonly problems: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.count('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.count('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.count('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.count('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.count('verbose', message, rest);
  }

  /** Lines written so far at the level by the context, e.g. `('log', 'SmsService')`. */
  lines(level: string, context: string): number {
    return this.counts.get(`${level} ${context}`) ?? 0;
  }

  private count(level: string, message: unknown, rest: unknown[]): void {
    // Nest passes the context last.
    const context = rest.length > 0 ? String(rest.at(-1)) : '';
    const key = `${level} ${context}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (
      (level === 'error' || level === 'warn') &&
      this.problems.length < KEPT_PROBLEMS
    ) {
      this.problems.push(
        `${level.toUpperCase()} [${context}] ${String(message)}`,
      );
    }
  }
}

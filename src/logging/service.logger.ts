import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import {
  LOG_LEVELS,
  type LoggingConfig,
} from '../config/service-config.interface.js';
import { RequestIdContext } from './request-id.context.js';

/**
 * The service's logger, Nest's `ConsoleLogger` as `Settings:Logging` sets it up, with the id of the
 * request that caused a line. `text`: Nest's console lines, with ` requestId=<id>` appended; the
 * structured fields some lines carry (a send's) are not repeated, as the text already holds them.
 * `json`: one JSON object per line — `level`, `timestamp` (ISO 8601), `context`, `message`,
 * `requestId`, and the line's fields at the top level.
 */
export class ServiceLogger extends ConsoleLogger {
  constructor(logging: LoggingConfig) {
    super({
      json: logging.format === 'json',
      flattenParams: true,
      logLevels: logLevelsFrom(logging.level),
    });
  }

  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
  ): string {
    const requestId = RequestIdContext.current();
    const text =
      requestId === undefined || typeof message !== 'string'
        ? message
        : `${message} requestId=${requestId}`;
    return super.formatMessage(
      logLevel,
      text,
      pidMessage,
      formattedLogLevel,
      contextMessage,
      timestampDiff,
    );
  }

  protected override stringifyJsonLogObject(
    logObject: Record<string, unknown>,
  ): string {
    const { pid: _pid, timestamp, ...fields } = logObject;
    const requestId = RequestIdContext.current();
    return super.stringifyJsonLogObject({
      level: fields.level,
      timestamp: new Date(timestamp as number).toISOString(),
      ...fields,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
}

/** The levels written at `level`: it and every more severe one (`fatal` always). */
export function logLevelsFrom(level: LoggingConfig['level']): LogLevel[] {
  return ['fatal', ...LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1)];
}

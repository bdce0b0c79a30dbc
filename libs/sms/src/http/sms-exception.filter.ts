import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { SMS_ERROR_MESSAGES } from '../errors/sms-errors.messages.js';
import { toHttpException } from './sms-error.http-mapping.js';
import { errorBody, type SmsErrorBody } from './sms-error.body.js';
import { SmsHttpException } from './sms-http.exception.js';

/** The part of an Express response the filter writes to. */
interface HttpResponse {
  headersSent: boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): void;
  status(code: number): { json(body: unknown): void };
  end(): void;
}

/**
 * Answers every error of an HTTP request as JSON `{statusCode, error, message}`: the library's
 * errors with their status, details and `Retry-After` (see `toHttpException`; an `SmsHttpException`
 * that it made and a route threw is answered the same), an `HttpException` with its own status and
 * message, and anything else with a 500 and a generic message, logged. When the host has set an
 * `X-Request-Id` answer header by then, the body carries it as `requestId`.
 *
 * Global: `app.useGlobalFilters(new SmsExceptionFilter())` or
 * `{ provide: APP_FILTER, useClass: SmsExceptionFilter }`; or per controller or route:
 * `@UseFilters(SmsExceptionFilter)`.
 */
@Catch()
export class SmsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SmsExceptionFilter');

  /** Answers the request with the error's status, headers and JSON body. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (response.headersSent) {
      response.end();
      return;
    }
    const mapped =
      exception instanceof SmsHttpException
        ? exception
        : toHttpException(exception);
    for (const [name, value] of Object.entries(mapped?.headers ?? {}))
      response.setHeader(name, value);
    const body = mapped?.body ?? this.otherErrorBody(exception);
    response.status(body.statusCode).json(withRequestId(body, response));
  }

  private otherErrorBody(exception: unknown): SmsErrorBody {
    if (exception instanceof HttpException) return httpExceptionBody(exception);
    this.logger.error(
      'Unexpected error while handling a request',
      exception instanceof Error ? exception.stack : String(exception),
    );
    return errorBody(
      HttpStatus.INTERNAL_SERVER_ERROR,
      SMS_ERROR_MESSAGES.unexpected(),
    );
  }
}

/** The body with the request's id, when the host gave the answer an `X-Request-Id` header. */
function withRequestId(body: SmsErrorBody, response: HttpResponse) {
  const requestId = response.getHeader('x-request-id');
  return typeof requestId === 'string' ? { ...body, requestId } : body;
}

/** An `HttpException` in the same shape: its status, its message (or messages) and its `error` text. */
function httpExceptionBody(exception: HttpException): SmsErrorBody {
  const statusCode = exception.getStatus();
  const answer = exception.getResponse();
  if (typeof answer === 'string') return errorBody(statusCode, answer);
  const { message, error } = answer as { message?: unknown; error?: unknown };
  const text =
    typeof message === 'string' || Array.isArray(message)
      ? (message as string | string[])
      : exception.message;
  return {
    ...errorBody(statusCode, text),
    ...(typeof error === 'string' ? { error } : {}),
  };
}

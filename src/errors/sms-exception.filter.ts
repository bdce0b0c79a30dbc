import { STATUS_CODES } from 'node:http';
import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import {
  SmsNotConfiguredError,
  SmsProviderError,
  SmsSettingsError,
  SmsTimeoutError,
  SmsValidationError,
} from '@app/sms';
/** The JSON of an error answer, as documented by `ErrorResponseDto` and `ProviderErrorResponseDto`. */
interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  [detail: string]: unknown;
}

interface HttpResponse {
  headersSent: boolean;
  setHeader(name: string, value: string): void;
  status(code: number): { json(body: unknown): void };
  end(): void;
}

/**
 * The one place where errors become HTTP answers, all as JSON `{statusCode, error, message}`:
 * the SMS library's errors get their status (400, 503, 502, 504), HTTP exceptions keep theirs, and
 * anything else is a 500 with a generic message, logged.
 */
@Catch()
export class SmsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SmsExceptionFilter');

  /** Answers the request with the error's JSON body. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (response.headersSent) {
      response.end();
      return;
    }
    const retryAfter =
      exception instanceof SmsProviderError
        ? exception.retryAfterSeconds
        : undefined;
    if (retryAfter !== undefined)
      response.setHeader('Retry-After', String(retryAfter));
    const body = this.toBody(exception);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof SmsValidationError) {
      return {
        ...base(HttpStatus.BAD_REQUEST, exception.message),
        field: exception.field,
      };
    }
    if (exception instanceof SmsSettingsError) {
      return base(
        HttpStatus.BAD_REQUEST,
        exception.problems.map((p) => `${p.path}: ${p.message}`),
      );
    }
    if (exception instanceof SmsNotConfiguredError) {
      return base(HttpStatus.SERVICE_UNAVAILABLE, exception.message);
    }
    if (exception instanceof SmsProviderError) {
      // A timeout is a provider error too: it is checked here so that both carry the provider's details.
      const status =
        exception instanceof SmsTimeoutError
          ? HttpStatus.GATEWAY_TIMEOUT
          : HttpStatus.BAD_GATEWAY;
      return {
        ...base(status, exception.message),
        provider: exception.provider,
        providerStatus: exception.status ?? null,
        providerCode: exception.providerCode ?? null,
        maybeSent: exception.maybeSent,
      };
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    this.logger.error(
      'Unexpected error while handling a request',
      exception instanceof Error ? exception.stack : String(exception),
    );
    return base(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'An unexpected error occurred.',
    );
  }
}

function base(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const answer = exception.getResponse();
  if (typeof answer === 'string') return base(statusCode, answer);
  const { message, error } = answer as { message?: unknown; error?: unknown };
  const text =
    typeof message === 'string' || Array.isArray(message)
      ? (message as string | string[])
      : exception.message;
  return {
    ...base(statusCode, text),
    ...(typeof error === 'string' ? { error } : {}),
  };
}

import {
  Catch,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import {
  SMS_CODE_ERRORS,
  smsCodeErrorAnswer,
} from './sms-code-error.mapping.js';

interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(code: number): { json(body: unknown): void };
}

/**
 * Answers the errors of one-time codes (see {@link smsCodeErrorAnswer}). Bound to the code routes,
 * so it is tried before the service's global filter, which answers every other error.
 */
@Catch(...SMS_CODE_ERRORS)
export class SmsCodeExceptionFilter implements ExceptionFilter {
  /** Writes the status, headers and JSON body. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const answer = smsCodeErrorAnswer(exception)!;
    for (const [name, value] of Object.entries(answer.headers))
      response.setHeader(name, value);
    response.status(answer.body.statusCode).json(answer.body);
  }
}

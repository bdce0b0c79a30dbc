import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { SmsEnvironmentContext } from './sms-environment.context.js';

/**
 * Makes the route parameter `environment` the current SMS environment for the rest of the request,
 * so that `SmsService.send` called anywhere below the handler uses that environment's settings.
 */
@Injectable()
export class SmsEnvironmentInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context
      .switchToHttp()
      .getRequest<{ params?: Record<string, string> }>();
    const environment = request?.params?.environment;
    if (!environment) return next.handle();
    return new Observable((subscriber) =>
      SmsEnvironmentContext.run(environment, () =>
        next.handle().subscribe(subscriber),
      ),
    );
  }
}

import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { SmsEnvironmentContext } from './sms-environment.context.js';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';
import { readRequestEnvironment } from './request-environment.reader.js';

/**
 * Makes the environment of the request (by the module's `SmsEnvironmentResolver`; by default the
 * route parameter `environment`) the current one of `SmsEnvironmentContext` for the rest of the
 * request, so that `SmsService.send` called anywhere below the handler uses its settings. A name
 * that breaks the rule is a 400 before the handler runs. A route whose request names no
 * environment runs with the site's settings, and is logged as a warning the first time.
 *
 * Per controller or route: `@UseInterceptors(SmsEnvironmentInterceptor)`; globally:
 * `{ provide: APP_INTERCEPTOR, useClass: SmsEnvironmentInterceptor }` or
 * `app.useGlobalInterceptors(app.get(SmsEnvironmentInterceptor))`. Interceptors run after guards:
 * a guard that needs the environment uses `SmsEnvironmentMiddleware`.
 */
@Injectable()
export class SmsEnvironmentInterceptor implements NestInterceptor {
  private readonly logger = new Logger(SmsEnvironmentInterceptor.name);
  // Handlers are few and live as long as the app: one warning each, not one per request.
  private readonly warned = new WeakSet<object>();

  constructor(private readonly resolver: SmsEnvironmentResolver) {}

  /** Runs the rest of the request in the request's environment. */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<SmsEnvironmentRequest>();
    const environment = readRequestEnvironment(this.resolver, request);
    if (environment === undefined) {
      this.warnOnce(context);
      return next.handle();
    }
    return new Observable((subscriber) =>
      SmsEnvironmentContext.run(environment, () =>
        next.handle().subscribe(subscriber),
      ),
    );
  }

  private warnOnce(context: ExecutionContext): void {
    const handler = context.getHandler();
    if (this.warned.has(handler)) return;
    this.warned.add(handler);
    this.logger.warn(
      `${context.getClass().name}.${handler.name}: the request named no SMS environment (${this.resolver.source}), so SMS sent there use the site's settings. Logged once per route.`,
    );
  }
}

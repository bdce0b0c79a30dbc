import { Injectable, type NestMiddleware } from '@nestjs/common';
import { SmsEnvironmentContext } from './sms-environment.context.js';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';
import { readRequestEnvironment } from './request-environment.reader.js';

/**
 * The middleware form of `SmsEnvironmentInterceptor`: middleware runs before guards, so guards,
 * interceptors, pipes and the handler all see the request's environment in `SmsEnvironmentContext`.
 * A name that breaks the rule is a 400 before any of them runs; a request that names none goes on
 * with no environment (the site's settings).
 *
 * ```ts
 * export class AppModule implements NestModule {
 *   configure(consumer: MiddlewareConsumer) {
 *     consumer.apply(SmsEnvironmentMiddleware).forRoutes(LoginController);
 *   }
 * }
 * ```
 *
 * With the route-parameter resolver, apply it to routes that have the parameter (a controller, or
 * a path such as `environments/:environment/*path`): Express fills `params` only from the path the
 * middleware was applied to.
 */
@Injectable()
export class SmsEnvironmentMiddleware implements NestMiddleware {
  constructor(private readonly resolver: SmsEnvironmentResolver) {}

  /** Calls `next` in the request's environment. */
  use(
    request: SmsEnvironmentRequest,
    _response: unknown,
    next: (error?: unknown) => void,
  ): void {
    const environment = readRequestEnvironment(this.resolver, request);
    if (environment === undefined) {
      next();
      return;
    }
    SmsEnvironmentContext.run(environment, next);
  }
}

import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

/** The default route parameter that names the environment. */
export const DEFAULT_SMS_ENVIRONMENT_ROUTE_PARAM = 'environment';

/**
 * The environment is a route parameter: `@Post('environments/:environment/login')`. The default
 * resolver. Route parameters exist once the router matched, so in a middleware only for routes it
 * was applied to with their parameters (`forRoutes(Controller)` or a path with `:environment`).
 */
export class RouteParamSmsEnvironmentResolver extends SmsEnvironmentResolver {
  /** @param param the route parameter's name @default 'environment' */
  constructor(private readonly param = DEFAULT_SMS_ENVIRONMENT_ROUTE_PARAM) {
    super();
  }

  override get source(): string {
    return this.param;
  }

  /** The route parameter's value, or undefined when the route has no such parameter. */
  find(request: SmsEnvironmentRequest): string | undefined {
    return request.params?.[this.param];
  }
}

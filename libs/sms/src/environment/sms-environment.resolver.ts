import { SmsEnvironmentNameError } from '../errors/sms-environment-name.error.js';
import { isSmsEnvironmentName } from './sms-environment-name.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

/**
 * Works out which environment an HTTP request is for. Called once per request by
 * `SmsEnvironmentInterceptor` and `SmsEnvironmentMiddleware`, which make the answer the current
 * environment of `SmsEnvironmentContext`; a singleton, injectable as this class.
 *
 * Built in: {@link RouteParamSmsEnvironmentResolver} (the default, route parameter `environment`),
 * {@link HeaderSmsEnvironmentResolver} and {@link HostLabelSmsEnvironmentResolver}. A resolver of
 * your own extends this class and implements {@link find}; `resolve` checks what it finds.
 *
 * ```ts
 * @Injectable()
 * class TenantFromQueryResolver extends SmsEnvironmentResolver {
 *   find(request: SmsEnvironmentRequest & { query?: Record<string, unknown> }) {
 *     const tenant = request.query?.tenant;
 *     return typeof tenant === 'string' ? tenant : undefined;
 *   }
 * }
 * SmsModule.forRoot({ environmentResolver: TenantFromQueryResolver, ... });
 * ```
 */
export abstract class SmsEnvironmentResolver {
  /**
   * Where the name is read, as a 400 answer names it (`<source>: The environment name must be…`).
   * @default 'environment'
   */
  get source(): string {
    return 'environment';
  }

  /**
   * The environment name the request carries, as it is, or undefined when it carries none. Not
   * checked here: {@link resolve} refuses a bad one.
   */
  abstract find(request: SmsEnvironmentRequest): string | undefined;

  /**
   * The request's environment, or undefined when it names none.
   *
   * @throws SmsEnvironmentNameError when the name breaks the rule (1 to 63 characters of
   *   `a-z 0-9 - _`, starting with a letter or digit)
   */
  resolve(request: SmsEnvironmentRequest): string | undefined {
    const environment = this.find(request);
    if (environment === undefined) return undefined;
    if (!isSmsEnvironmentName(environment))
      throw new SmsEnvironmentNameError(this.source);
    return environment;
  }
}

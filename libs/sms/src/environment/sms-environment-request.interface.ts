/**
 * The parts of an HTTP request an {@link SmsEnvironmentResolver} may read. An Express request is
 * one, in an interceptor, a guard or a middleware alike.
 */
export interface SmsEnvironmentRequest {
  /** The route parameters; empty or absent before the router matched a route. */
  params?: Readonly<Record<string, string | undefined>>;
  /** The request headers, names in lower case (Node's `IncomingHttpHeaders`). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The host name the client asked for, without the port (Express's `request.hostname`). */
  hostname?: string;
}

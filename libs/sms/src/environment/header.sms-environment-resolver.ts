import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

/**
 * The environment is a request header, e.g. `X-Environment: acme`, set by a gateway in front of the
 * app. A header sent twice is refused as a bad name, as is an empty one.
 */
export class HeaderSmsEnvironmentResolver extends SmsEnvironmentResolver {
  private readonly header: string;

  /** @param header the header's name, in any case */
  constructor(header: string) {
    super();
    this.header = header.toLowerCase();
  }

  override get source(): string {
    return this.header;
  }

  /** The header's value, or undefined when the request does not carry it. */
  find(request: SmsEnvironmentRequest): string | undefined {
    const value = request.headers[this.header];
    // Repeated headers come as a list (or joined by Node): never a single valid name.
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

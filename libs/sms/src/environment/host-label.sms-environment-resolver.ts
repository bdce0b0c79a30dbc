import { isIP } from 'node:net';
import { SmsEnvironmentResolver } from './sms-environment.resolver.js';
import type { SmsEnvironmentRequest } from './sms-environment-request.interface.js';

/**
 * The environment is the first label of the host name the client asked for:
 * `acme.sms.example.com` is `acme`. Host names are case-insensitive, so the label is taken in lower
 * case. An IP address and a host of one label (`localhost`) name no environment. Behind a proxy,
 * Express reads `X-Forwarded-Host` only when its `trust proxy` setting says so.
 */
export class HostLabelSmsEnvironmentResolver extends SmsEnvironmentResolver {
  override get source(): string {
    return 'host';
  }

  /** The host's first label, or undefined for an IP address or a host of one label. */
  find(request: SmsEnvironmentRequest): string | undefined {
    const host = request.hostname;
    if (!host || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return undefined;
    const dot = host.indexOf('.');
    return dot === -1 ? undefined : host.slice(0, dot).toLowerCase();
  }
}

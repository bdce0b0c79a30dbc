import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { SmsSettingsProblem } from '@app/sms';
import { isPrivateNetworkAddress } from './private-network.block-list.js';

/** Resolves a host name to every address it has (the shape of `dns.promises.lookup` with `all`). */
export type HostLookup = (host: string) => Promise<{ address: string }[]>;

/** Options of {@link OutboundUrlPolicy}. */
export interface OutboundUrlPolicyOptions {
  /**
   * Allow provider URLs on loopback, private, link-local and unique-local addresses
   * (`Settings:Security:AllowPrivateNetworkUrls`).
   * @default false
   */
  allowPrivateNetworkUrls?: boolean;
  /**
   * How host names are resolved.
   * @default `dns.promises.lookup(host, { all: true })`, i.e. as the HTTPS client will resolve them
   */
  lookup?: HostLookup;
}

const systemLookup: HostLookup = (host) =>
  dnsLookup(host, { all: true, verbatim: true });

/**
 * Keeps an environment's provider URL off the service's own network: an environment's settings come
 * from an API caller, and a URL pointing at `localhost`, a private address or a cloud metadata
 * service would turn the service into a way in (server-side request forgery). Checked when settings
 * are put: the host must not be, nor resolve to, such an address. The site settings are trusted and
 * not checked.
 */
export class OutboundUrlPolicy {
  private readonly allowPrivate: boolean;
  private readonly lookup: HostLookup;

  constructor(options: OutboundUrlPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivateNetworkUrls ?? false;
    this.lookup = options.lookup ?? systemLookup;
  }

  /**
   * The problem with the URL, named after `field`, or undefined when it may be used. A URL that
   * does not parse is left to the settings validation.
   */
  async check(
    url: string,
    field = 'apiUrl',
  ): Promise<SmsSettingsProblem | undefined> {
    if (this.allowPrivate) return undefined;
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      return undefined;
    }
    // The URL parser keeps IPv6 literals in brackets and already turned `127.1` or `0x7f000001` into dotted form.
    const literal = host.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal)) {
      return isPrivateNetworkAddress(literal)
        ? problem(
            field,
            `The host ${host} is a loopback, private or link-local address.`,
          )
        : undefined;
    }
    return (await this.resolvesToPublicOnly(literal))
      ? undefined
      : problem(field, UNCONFIRMED_HOST);
  }

  /** True when the name resolves, and only to public addresses. */
  private async resolvesToPublicOnly(host: string): Promise<boolean> {
    try {
      const addresses = await this.lookup(host);
      return (
        addresses.length > 0 &&
        !addresses.some(({ address }) => isPrivateNetworkAddress(address))
      );
    } catch {
      return false;
    }
  }
}

// One answer for a name that resolves to a private address and one that does not resolve, so that
// the answers cannot be used to learn which internal names exist.
const UNCONFIRMED_HOST =
  'Its host could not be confirmed to resolve to public addresses only (it does not resolve, or resolves to a loopback, private or link-local address).';

function problem(field: string, reason: string): SmsSettingsProblem {
  return {
    path: field,
    message: `The field ${field} must point to a public address. ${reason} Such URLs are refused unless Settings:Security:AllowPrivateNetworkUrls is true.`,
  };
}

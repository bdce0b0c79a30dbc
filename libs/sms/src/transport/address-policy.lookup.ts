import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/** Decides whether a connection to an IP address may be made; true allows it. */
export type SmsAddressPolicy = (address: string) => boolean;

/**
 * The host of a send resolved to an address that the policy refuses. Raised inside the connection
 * attempt, before a single byte leaves the process.
 */
export class AddressPolicyRefusal extends Error {
  constructor(readonly host: string) {
    super(`The host ${host} resolves to an address that is not allowed.`);
    this.name = 'AddressPolicyRefusal';
  }
}

/** True when the policy allows the address; a policy that throws refuses. */
export function isAddressAllowed(
  policy: SmsAddressPolicy,
  address: string,
): boolean {
  try {
    return policy(address) === true;
  } catch {
    return false;
  }
}

/**
 * A `lookup` for an HTTPS agent or a socket that resolves the host as Node would, then refuses the
 * connection when any of its addresses is refused by the policy. The socket connects to the
 * addresses this lookup returned and checked, so a DNS answer that changes between a check and the
 * connection (DNS rebinding) cannot lead it elsewhere. IP literals never reach a lookup: check them
 * with {@link isAddressAllowed}.
 */
export function createPolicyLookup(policy: SmsAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const list = addresses as LookupAddress[];
      if (
        list.length === 0 ||
        list.some(({ address }) => !isAddressAllowed(policy, address))
      ) {
        callback(new AddressPolicyRefusal(hostname), '', 0);
        return;
      }
      if (options.all) {
        (callback as (error: null, addresses: LookupAddress[]) => void)(
          null,
          list,
        );
        return;
      }
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** The host of a URL without the brackets of an IPv6 literal, and whether it is an IP literal. */
export function hostOf(url: URL): { host: string; literal: boolean } {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, literal: isIP(host) !== 0 };
}

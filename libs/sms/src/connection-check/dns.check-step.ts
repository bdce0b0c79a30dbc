import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import {
  isAddressAllowed,
  type SmsAddressPolicy,
} from '../transport/address-policy.lookup.js';
import { within } from './check-deadline.js';
import type { StepOutcome } from './connection-step.recorder.js';

/** The provider's host as a check reaches it. */
export interface CheckedHost {
  /** The host name, or the IP address without brackets. */
  host: string;
  /** True when the host is an IP address. */
  literal: boolean;
  port: number;
}

/** The host's addresses in the resolver's order; an IP address is its own. */
export async function resolveHost(
  target: CheckedHost,
  deadline: number,
): Promise<LookupAddress[]> {
  if (target.literal) {
    return [
      { address: target.host, family: target.host.includes(':') ? 6 : 4 },
    ];
  }
  return within(
    dnsLookup(target.host, { all: true, verbatim: true }),
    deadline,
  );
}

/**
 * The `dns` step's outcome: the addresses found, held to the policy when there is one. A refusal
 * lists no address.
 */
export function judgeAddresses(
  target: CheckedHost,
  addresses: LookupAddress[],
  policy: SmsAddressPolicy | undefined,
): StepOutcome {
  const { host, literal } = target;
  const list = addresses.map(({ address }) => address);
  if (list.length === 0) {
    return { result: 'failed', detail: `The host ${host} has no address.` };
  }
  if (policy && list.some((address) => !isAddressAllowed(policy, address))) {
    // The addresses stay out of the report: they would show what lies behind internal names.
    return {
      result: 'failed',
      detail: `${literal ? 'The host is an IP address' : `The host ${host} resolves to an address`} that environment settings may not reach (a loopback, private or otherwise internal address); a send would be refused.`,
    };
  }
  return {
    result: 'ok',
    detail: literal
      ? `The host is the IP address ${host}; nothing to resolve.`
      : `The host ${host} resolves to ${list.join(', ')}.`,
    addresses: list,
  };
}

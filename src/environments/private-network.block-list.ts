import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The address ranges an environment's provider URL must not reach unless private network URLs are
 * allowed: this host, private networks, link-local (cloud metadata services live at 169.254.169.254),
 * unique-local, carrier-grade NAT, unspecified, multicast and reserved. Node's BlockList also matches
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) against the IPv4 ranges.
 */
const RANGES: readonly [
  address: string,
  prefix: number,
  family: 'ipv4' | 'ipv6',
][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", including the unspecified address
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // network benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, and the broadcast address
  ['::', 96, 'ipv6'], // unspecified, loopback and the deprecated IPv4-compatible addresses
  ['::ffff:0:0:0', 96, 'ipv6'], // IPv4-translated addresses
  ['64:ff9b:1::', 48, 'ipv6'], // local-use IPv4/IPv6 translation
  ['fc00::', 7, 'ipv6'], // unique-local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated, still routed privately)
  ['ff00::', 8, 'ipv6'], // multicast
];

const blockList = new BlockList();
for (const [address, prefix, family] of RANGES) {
  blockList.addSubnet(address, prefix, family);
}

/**
 * True when the IP address is in a loopback, private, link-local or otherwise non-public range, or is
 * an IPv6 address that carries such an IPv4 address for a tunnel or translator to reach (NAT64,
 * 6to4, Teredo).
 */
export function isPrivateNetworkAddress(address: string): boolean {
  if (isIPv4(address)) return blockList.check(address, 'ipv4');
  if (isIPv6(address)) {
    const embedded = embeddedIPv4(address);
    return embedded === undefined
      ? blockList.check(address, 'ipv6')
      : blockList.check(embedded, 'ipv4');
  }
  // Not an IP address at all: refuse rather than guess.
  return true;
}

const nat64 = new BlockList();
nat64.addSubnet('64:ff9b::', 96, 'ipv6');
const sixToFour = new BlockList();
sixToFour.addSubnet('2002::', 16, 'ipv6');
const teredo = new BlockList();
teredo.addSubnet('2001::', 32, 'ipv6');

/**
 * The IPv4 address an IPv6 address leads to, else undefined: NAT64 (64:ff9b::/96) carries it in its
 * last 32 bits, 6to4 (2002::/16) in bits 16–47, Teredo (2001::/32) the client's, inverted, in its
 * last 32 bits.
 */
function embeddedIPv4(address: string): string | undefined {
  if (nat64.check(address, 'ipv6')) {
    const groups = expandIPv6(address);
    return dottedIPv4(groups[6], groups[7]);
  }
  if (sixToFour.check(address, 'ipv6')) {
    const groups = expandIPv6(address);
    return dottedIPv4(groups[1], groups[2]);
  }
  if (teredo.check(address, 'ipv6')) {
    const groups = expandIPv6(address);
    return dottedIPv4(groups[6] ^ 0xffff, groups[7] ^ 0xffff);
  }
  return undefined;
}

/** The dotted IPv4 address of two 16-bit groups. */
function dottedIPv4(high: number, low: number): string {
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tails included). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  return [
    ...left,
    ...Array.from({ length: 8 - left.length - right.length }, () => 0),
    ...right,
  ];
}

/** Whether two CIDR ranges share an address: enough of IPv4 and IPv6 to refuse clusters that cannot route to each other. */

interface Range {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

function ipv4(address: string): bigint | undefined {
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
  return octets.reduce((n, o) => (n << 8n) + BigInt(Number(o)), 0n);
}

function ipv6(address: string): bigint | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** The first and last address of a CIDR; undefined when it is not one. */
export function cidrRange(cidr: string): Range | undefined {
  const [address, prefix, extra] = cidr.split('/');
  if (address === undefined || prefix === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefix)) return undefined;
  const family = address.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  const length = Number(prefix);
  const value = family === 4 ? ipv4(address) : ipv6(address);
  if (value === undefined || length > bits) return undefined;
  const hostBits = BigInt(bits - length);
  const first = (value >> hostBits) << hostBits;
  return { family, first, last: first + (1n << hostBits) - 1n };
}

/** True when both are CIDRs of one family that share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const ra = cidrRange(a);
  const rb = cidrRange(b);
  if (ra === undefined || rb === undefined || ra.family !== rb.family) return false;
  return ra.first <= rb.last && rb.first <= ra.last;
}

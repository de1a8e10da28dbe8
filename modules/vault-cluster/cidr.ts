/** CIDR parsing just deep enough to refuse bad or world-open ranges before Terraform sees them. */

export interface ParsedCidr {
  readonly family: 'ipv4' | 'ipv6';
  readonly prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/;

/** Parses `a.b.c.d/n` or an IPv6 `x::y/n`; undefined when it is neither. */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  const v4 = IPV4.exec(cidr);
  if (v4) {
    const octets = v4.slice(1, 5).map(Number);
    const prefixLength = Number(v4[5]);
    if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
    return { family: 'ipv4', prefixLength };
  }
  const v6 = IPV6.exec(cidr);
  if (v6 && v6[1].includes(':')) {
    const prefixLength = Number(v6[2]);
    const doubleColons = v6[1].split('::').length - 1;
    if (prefixLength > 128 || doubleColons > 1) return undefined;
    return { family: 'ipv6', prefixLength };
  }
  return undefined;
}

/** A /0 range is the whole address family (0.0.0.0/0, ::/0, or any host written with /0). */
export function isWorldOpen(cidr: ParsedCidr): boolean {
  return cidr.prefixLength === 0;
}

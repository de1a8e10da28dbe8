/**
 * ACL policies: the HCL subset the project writes (`path "<glob>" { capabilities = [...] }`,
 * `#` and `//` comments) and Vault's rule for which path block applies to a request.
 */

export const CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The ACL operation a request needs, from its HTTP method. */
export type Operation = 'read' | 'update' | 'delete' | 'list';

export interface PathRule {
  readonly pattern: string;
  readonly capabilities: ReadonlySet<Capability>;
}

export class PolicyParseError extends Error {}

const BLOCK = /^path\s+"([^"]*)"\s*\{([^{}]*)\}/;
const CAPS = /^capabilities\s*=\s*\[([^\]]*)\]\s*$/;

function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/(^|\s)(#|\/\/).*$/, ''))
    .join('\n');
}

function parseCapabilities(inner: string, pattern: string): Set<Capability> {
  const body = inner.trim();
  if (body === '') return new Set();
  const match = CAPS.exec(body);
  if (match === null) {
    throw new PolicyParseError(`path "${pattern}": only a capabilities list is supported, got: ${body}`);
  }
  const items = (match[1] as string)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const caps = new Set<Capability>();
  for (const item of items) {
    const name = /^"([^"]*)"$/.exec(item)?.[1];
    if (name === undefined || !(CAPABILITIES as readonly string[]).includes(name)) {
      throw new PolicyParseError(`path "${pattern}": invalid capability ${item}`);
    }
    caps.add(name as Capability);
  }
  return caps;
}

export function parsePolicy(text: string): PathRule[] {
  let rest = stripComments(text).trim();
  const rules: PathRule[] = [];
  while (rest !== '') {
    const match = BLOCK.exec(rest);
    if (match === null) throw new PolicyParseError(`unexpected text: ${rest.slice(0, 60)}`);
    const pattern = (match[1] as string).replace(/^\//, '');
    rules.push({ pattern, capabilities: parseCapabilities(match[2] as string, pattern) });
    rest = rest.slice(match[0].length).trim();
  }
  return rules;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function matchesPattern(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const body = glob ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('+')
    .map(escapeRegExp)
    .join('[^/]+');
  return new RegExp(`^${source}${glob ? '.*' : ''}$`).test(path);
}

/** Vault's priority rules (docs "Priority matching"): negative when `a` loses to `b`. */
function comparePriority(a: string, b: string): number {
  const firstWildcard = (p: string): number => {
    const indexes = [p.indexOf('+'), p.indexOf('*')].filter((i) => i >= 0);
    return indexes.length === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...indexes);
  };
  const plusCount = (p: string): number => p.split('+').length - 1;
  if (firstWildcard(a) !== firstWildcard(b)) return firstWildcard(a) - firstWildcard(b);
  const aGlob = a.endsWith('*');
  const bGlob = b.endsWith('*');
  if (aGlob !== bGlob) return aGlob ? -1 : 1;
  if (plusCount(a) !== plusCount(b)) return plusCount(b) - plusCount(a);
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Capabilities granted on `path`: only the highest-priority matching pattern counts, merged across policies. */
export function capabilitiesFor(rules: readonly PathRule[], path: string): Set<Capability> {
  const matching = rules.filter((rule) => matchesPattern(rule.pattern, path));
  if (matching.length === 0) return new Set();
  const best = matching.reduce((winner, rule) => (comparePriority(rule.pattern, winner.pattern) > 0 ? rule : winner));
  const caps = new Set<Capability>();
  for (const rule of matching) {
    if (rule.pattern === best.pattern) rule.capabilities.forEach((cap) => caps.add(cap));
  }
  return caps.has('deny') ? new Set() : caps;
}

/**
 * Whether `caps` allow `operation`. A write is accepted with either create or update: the
 * simulator does not track whether the object already exists, which is what separates them in Vault.
 */
export function allows(caps: ReadonlySet<Capability>, operation: Operation, needsSudo: boolean): boolean {
  if (needsSudo && !caps.has('sudo')) return false;
  if (operation === 'update') return caps.has('update') || caps.has('create');
  return caps.has(operation);
}

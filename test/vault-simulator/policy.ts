/**
 * ACL policies, as Vault parses and applies them.
 *
 * Parsing (vault/policy.go `parseACLPolicyWithTemplating`, `parsePaths`): HCL with top-level
 * `name` and `path "<pattern>" { ... }` blocks; in a path block `capabilities = [...]` or the old
 * `policy = "read"` form. A leading `/` is stripped; `+*` is refused; a pattern has segment
 * wildcards when it is `+`, contains `/+` or starts with `+/`; otherwise a trailing `*` makes it a
 * prefix. Keys Vault accepts but the simulator does not model (allowed_parameters, control_group,
 * ...) are refused with an error that says so; the project writes none of them.
 *
 * Matching (vault/acl.go `NewACL`, `AllowOperation`, `CheckAllowedFromNonExactPaths`,
 * `resolveACLPermsForListOp`, `Capabilities`): rules of all the token's policies are merged per
 * pattern (a deny anywhere wins, else the union); an exact rule wins outright; otherwise the longest
 * matching prefix rule and every matching segment-wildcard rule compete by Vault's priority (later
 * first wildcard, not a prefix, fewer `+`, longer, lexically larger). A LIST on a path ending in `/`
 * also considers the path without it, and a more specific deny wins over a broader list grant.
 */

export const CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The ACL operation a request needs, from its HTTP method. */
export type Operation = 'read' | 'update' | 'delete' | 'list';

/** sys/capabilities answers in this order (vault/acl.go CapabilitiesAndSubscribeEventTypes). */
const ANSWER_ORDER: readonly Capability[] = ['sudo', 'read', 'list', 'update', 'delete', 'create', 'patch', 'subscribe', 'recover'];

/** The old `policy = "..."` form (vault/policy.go OldReadPathPolicy, ...). */
const OLD_POLICIES: Readonly<Record<string, readonly Capability[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** Keys Vault accepts in a path block; the first three are all the simulator models. */
const MODELLED_KEYS = ['comment', 'policy', 'capabilities'];
const UNMODELLED_KEYS = [
  'allowed_parameters',
  'denied_parameters',
  'required_parameters',
  'min_wrapping_ttl',
  'max_wrapping_ttl',
  'mfa_methods',
  'control_group',
  'subscribe_event_types',
];

export interface PathRule {
  /** As written, after the leading '/' is stripped. */
  readonly pattern: string;
  readonly capabilities: ReadonlySet<Capability>;
}

export class PolicyParseError extends Error {}

// ---------------------------------------------------------------------------------------------
// A small HCL reader: enough of HCL 1 for policies (objects, lists, strings, numbers, booleans,
// the three comment forms), keeping each key's line for Vault's "invalid key" message.

type Value = string | number | boolean | Value[] | HclObject;
interface HclItem {
  readonly keys: string[];
  readonly value: Value;
  /** Line of the `=` (or of the key, for a block), as hclutil.CheckHCLKeys reports it. */
  readonly line: number;
}
interface HclObject {
  readonly items: HclItem[];
}

interface Token {
  readonly kind: 'ident' | 'string' | 'number' | 'punct' | 'eof';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (kind: Token['kind'], value: string, startLine: number, startCol: number): void => {
    tokens.push({ kind, text: value, line: startLine, column: startCol });
  };
  while (i < text.length) {
    const c = text[i] as string;
    const column = i - lineStart + 1;
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#' || text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new PolicyParseError(`At ${line}:${column}: comment not terminated`);
      for (let j = i; j < end; j += 1) {
        if (text[j] === '\n') {
          line += 1;
          lineStart = j + 1;
        }
      }
      i = end + 2;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\n') throw new PolicyParseError(`At ${line}:${column}: literal not terminated`);
        if (text[j] === '\\' && j + 1 < text.length) {
          const next = text[j + 1] as string;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else {
          value += text[j];
          j += 1;
        }
      }
      if (j >= text.length) throw new PolicyParseError(`At ${line}:${column}: literal not terminated`);
      at('string', value, line, column);
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(i)) as RegExpExecArray;
      at('ident', match[0], line, column);
      i += match[0].length;
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?[0-9]+(?:\.[0-9]+)?/.exec(text.slice(i));
      if (match === null) throw new PolicyParseError(`At ${line}:${column}: illegal char`);
      at('number', match[0], line, column);
      i += match[0].length;
    } else if ('{}[],='.includes(c)) {
      at('punct', c, line, column);
      i += 1;
    } else {
      throw new PolicyParseError(`At ${line}:${column}: illegal char`);
    }
  }
  // HCL 1's scanner reports the end of input one column past the last character.
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 2 });
  return tokens;
}

class HclReader {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.position += 1;
    return token;
  }

  private fail(token: Token, expected: string): never {
    const got = token.kind === 'eof' ? 'EOF' : token.text;
    throw new PolicyParseError(`At ${token.line}:${token.column}: ${expected} got: ${got}`);
  }

  /** The whole text: items until EOF. */
  document(): HclObject {
    return this.items('eof');
  }

  private items(end: 'eof' | '}'): HclObject {
    const items: HclItem[] = [];
    for (;;) {
      const token = this.peek();
      if (end === 'eof' && token.kind === 'eof') return { items };
      if (end === '}' && token.kind === 'punct' && token.text === '}') return { items };
      if (token.kind === 'eof') this.fail(token, 'object expected closing RBRACE');
      items.push(this.item());
      if (this.peek().kind === 'punct' && this.peek().text === ',') this.next();
    }
  }

  private item(): HclItem {
    const keys: string[] = [];
    const first = this.next();
    if (first.kind !== 'ident' && first.kind !== 'string') this.fail(first, 'expected start of object key');
    keys.push(first.text);
    while (this.peek().kind === 'string' || this.peek().kind === 'ident') keys.push(this.next().text);
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '=') {
      this.next();
      return { keys, value: this.value(), line: token.line };
    }
    if (token.kind === 'punct' && token.text === '{') return { keys, value: this.value(), line: first.line };
    this.fail(token, 'key expected assignment or object');
  }

  private value(): Value {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'ident' && (token.text === 'true' || token.text === 'false')) return token.text === 'true';
    if (token.kind === 'punct' && token.text === '{') {
      const object = this.items('}');
      this.next();
      return object;
    }
    if (token.kind === 'punct' && token.text === '[') {
      const list: Value[] = [];
      while (!(this.peek().kind === 'punct' && this.peek().text === ']')) {
        if (this.peek().kind === 'eof') this.fail(this.peek(), 'list expected closing RBRACK');
        list.push(this.value());
        if (this.peek().kind === 'punct' && this.peek().text === ',') this.next();
        else if (!(this.peek().kind === 'punct' && this.peek().text === ']')) this.fail(this.peek(), 'list expected comma or closing RBRACK');
      }
      this.next();
      return list;
    }
    this.fail(token, 'unknown token');
  }
}

const isObject = (value: Value): value is HclObject => typeof value === 'object' && !Array.isArray(value);

/** go-multierror's text for errors that a caller prefixed with multierror.Prefix. */
const multiError = (messages: string[]): string =>
  `${messages.length === 1 ? '1 error occurred' : `${messages.length} errors occurred`}:\n${messages.map((m) => `\t* ${m}`).join('\n')}\n\n`;

function checkKeys(object: HclObject, valid: readonly string[], prefix: string): void {
  const invalid = object.items.filter((item) => !valid.includes(item.keys[0] as string));
  if (invalid.length > 0) {
    throw new PolicyParseError(multiError(invalid.map((item) => `${prefix}invalid key ${JSON.stringify(item.keys[0])} on line ${item.line}`)));
  }
}

function stringList(value: Value, key: string, pattern: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string')) {
    throw new PolicyParseError(`path ${JSON.stringify(pattern)}: ${key} must be a list of strings`);
  }
  return list as string[];
}

function parsePathBlock(key: string, body: HclObject): PathRule {
  const prefix = `path ${JSON.stringify(key)}: `;
  checkKeys(body, [...MODELLED_KEYS, ...UNMODELLED_KEYS], prefix);
  const unmodelled = body.items.find((item) => UNMODELLED_KEYS.includes(item.keys[0] as string));
  if (unmodelled !== undefined) {
    throw new PolicyParseError(`${prefix}${unmodelled.keys[0] as string} is valid in Vault but not modelled by the simulator`);
  }
  const pattern = key.startsWith('/') ? key.slice(1) : key;
  if (pattern.includes('+*')) throw new PolicyParseError(`path ${JSON.stringify(pattern)}: invalid use of wildcards ('+*' is forbidden)`);
  let names: string[] = [];
  for (const item of body.items) {
    if (item.keys[0] === 'policy') {
      const old = OLD_POLICIES[String(item.value)];
      if (old === undefined) throw new PolicyParseError(`path ${JSON.stringify(key)}: invalid policy ${JSON.stringify(item.value)}`);
      names = [...names, ...old];
    }
  }
  for (const item of body.items) {
    if (item.keys[0] === 'capabilities') names = [...names, ...stringList(item.value, 'capabilities', key)];
  }
  const capabilities = new Set<Capability>();
  for (const name of names) {
    if (name === 'deny') {
      capabilities.clear();
      capabilities.add('deny');
      break;
    }
    if (!(CAPABILITIES as readonly string[]).includes(name)) {
      throw new PolicyParseError(`path ${JSON.stringify(key)}: invalid capability ${JSON.stringify(name)}`);
    }
    capabilities.add(name as Capability);
  }
  return { pattern, capabilities };
}

/** The path rules of a policy text; throws PolicyParseError with the text after "failed to parse policy: ". */
export function parsePolicy(text: string): PathRule[] {
  const document = new HclReader(tokenize(text)).document();
  checkKeys(document, ['name', 'path'], '');
  const rules: PathRule[] = [];
  for (const item of document.items) {
    if (item.keys[0] !== 'path') continue;
    if (!isObject(item.value)) throw new PolicyParseError(`path: a path needs a block, got ${JSON.stringify(item.value)}`);
    rules.push(parsePathBlock(item.keys[1] ?? 'path', item.value));
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------
// The ACL of a set of policies.

interface Candidate {
  /** Position of the first '+' or '*'. */
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  /** The pattern without its trailing '*'. */
  readonly body: string;
  readonly capabilities: ReadonlySet<Capability>;
}

/** True when `a` has lower priority than `b` (vault/acl.go wildcardPathDescriptorComparePriority). */
function lowerPriority(a: Candidate, b: Candidate): boolean {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard < b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix;
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards;
  if (a.body.length !== b.body.length) return a.body.length < b.body.length;
  return a.body < b.body;
}

const hasSegmentWildcards = (pattern: string): boolean => pattern === '+' || pattern.includes('/+') || pattern.startsWith('+/');

function merge(into: Map<string, Set<Capability>>, key: string, capabilities: ReadonlySet<Capability>): void {
  const existing = into.get(key);
  if (existing === undefined) {
    into.set(key, new Set(capabilities));
  } else if (existing.has('deny')) {
    // an explicit deny already stands
  } else if (capabilities.has('deny')) {
    existing.clear();
    existing.add('deny');
  } else {
    capabilities.forEach((cap) => existing.add(cap));
  }
}

export class Acl {
  private readonly exact = new Map<string, Set<Capability>>();
  private readonly prefixes = new Map<string, Set<Capability>>();
  private readonly segmentWildcards = new Map<string, Set<Capability>>();

  constructor(rules: readonly PathRule[]) {
    for (const rule of rules) {
      if (hasSegmentWildcards(rule.pattern)) merge(this.segmentWildcards, rule.pattern, rule.capabilities);
      else if (rule.pattern.endsWith('*')) merge(this.prefixes, rule.pattern.slice(0, -1), rule.capabilities);
      else merge(this.exact, rule.pattern, rule.capabilities);
    }
  }

  private candidates(path: string): Candidate[] {
    const found: Candidate[] = [];
    let longest: string | undefined;
    for (const prefix of this.prefixes.keys()) {
      if (path.startsWith(prefix) && (longest === undefined || prefix.length > longest.length)) longest = prefix;
    }
    if (longest !== undefined) {
      found.push({ firstWildcard: longest.length, isPrefix: true, wildcards: 0, body: longest, capabilities: this.prefixes.get(longest) as Set<Capability> });
    }
    const parts = path.split('/');
    for (const [pattern, capabilities] of this.segmentWildcards) {
      const isPrefix = pattern.endsWith('*');
      const body = isPrefix ? pattern.slice(0, -1) : pattern;
      const segments = body.split('/');
      if (parts.length < segments.length) continue;
      if (!isPrefix && segments.length !== parts.length) continue;
      let wildcards = 0;
      const matches = segments.every((segment, i) => {
        const part = parts[i] as string;
        if (segment === '+') {
          wildcards += 1;
          return true;
        }
        if (segment === part) return true;
        return isPrefix && i === segments.length - 1 && part.startsWith(segment);
      });
      if (matches) found.push({ firstWildcard: pattern.indexOf('+'), isPrefix, wildcards, body, capabilities });
    }
    return found;
  }

  private best(candidates: readonly Candidate[]): Candidate | undefined {
    return candidates.reduce<Candidate | undefined>((winner, c) => (winner === undefined || lowerPriority(winner, c) ? c : winner), undefined);
  }

  /** The capabilities that govern `operation` on `path` (empty when no rule matches). */
  capabilitiesFor(path: string, operation: Operation): ReadonlySet<Capability> {
    const clean = path.replace(/^\/+/, '');
    const exact = this.exact.get(clean) ?? (operation === 'list' ? this.exact.get(clean.replace(/\/$/, '')) : undefined);
    if (exact !== undefined) return exact;
    if (operation === 'list' && clean.endsWith('/')) {
      const all = [...this.candidates(clean.slice(0, -1)), ...this.candidates(clean)];
      if (all.length === 0) return new Set();
      const bestDeny = this.best(all.filter((c) => c.capabilities.has('deny')));
      const bestList = this.best(all.filter((c) => c.capabilities.has('list')));
      if (bestDeny !== undefined && (bestList === undefined || lowerPriority(bestList, bestDeny))) return bestDeny.capabilities;
      if (bestList !== undefined) return bestList.capabilities;
      return (this.best(all) as Candidate).capabilities;
    }
    return this.best(this.candidates(clean))?.capabilities ?? new Set();
  }

  /** What sys/capabilities answers for `path`: Vault evaluates it as a LIST. */
  answer(path: string): string[] {
    const caps = this.capabilitiesFor(path, 'list');
    if (caps.has('deny')) return ['deny'];
    const listed = ANSWER_ORDER.filter((cap) => caps.has(cap));
    return listed.length === 0 ? ['deny'] : listed;
  }
}

/** Capabilities granted on `path` by `rules`, as a LIST would see them (deny: none). */
export function capabilitiesFor(rules: readonly PathRule[], path: string): Set<Capability> {
  const caps = new Acl(rules).capabilitiesFor(path, 'list');
  return caps.has('deny') ? new Set() : new Set(caps);
}

/**
 * Whether `caps` allow `operation`. A write is accepted with either create or update: the
 * simulator does not track whether the object already exists, which is what separates them in Vault.
 */
export function allows(caps: ReadonlySet<Capability>, operation: Operation, needsSudo: boolean): boolean {
  if (caps.has('deny')) return false;
  if (needsSudo && !caps.has('sudo')) return false;
  if (operation === 'update') return caps.has('update') || caps.has('create');
  return caps.has(operation);
}

import { parseDurationSeconds } from './duration';
import { Acl, PolicyParseError, allows, capabilitiesFor, parsePolicy } from './policy';
import { PolicyStore, sanitizePolicies } from './policy-store';
import { canonicalPrincipalArn, principalMatches } from './aws-login';

const block = (path: string, ...caps: string[]): string => `path "${path}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`;
/** What sys/capabilities would answer for `path` under `policies` (each a list of blocks). */
const answer = (path: string, ...policies: string[]): string[] => new Acl(policies.flatMap((text) => parsePolicy(text))).answer(path).sort();

describe('policy parsing (vault/policy.go)', () => {
  it('reads the HCL a policy is written in: comments of three kinds, several blocks, the old policy form', () => {
    const rules = parsePolicy(`
      # the DR operation policy, as docs/contracts.md writes it
      path "sys/replication/dr/*" {
        capabilities = ["create", "read", "update", "sudo"]
      }
      // a second comment style
      path "/secret/+/config" { capabilities = ["list"] }
      /* and a block comment
         over two lines */
      path "old/read" { policy = "read" }
      path "old/write" { policy = "write" }
      name = "ignored"
    `);
    expect(rules.map((rule) => [rule.pattern, [...rule.capabilities].sort()])).toEqual([
      ['sys/replication/dr/*', ['create', 'read', 'sudo', 'update']],
      ['secret/+/config', ['list']],
      ['old/read', ['list', 'read']],
      ['old/write', ['create', 'delete', 'list', 'read', 'update']],
    ]);
  });

  it('keeps only deny when deny is among the capabilities', () => {
    expect([...(parsePolicy(block('x', 'read', 'deny', 'update'))[0]?.capabilities ?? [])]).toEqual(['deny']);
  });

  it.each([
    ['an unknown capability', 'path "x" { capabilities = ["fly"] }', 'path "x": invalid capability "fly"'],
    ['"+*"', block('a/+*', 'read'), `path "a/+*": invalid use of wildcards ('+*' is forbidden)`],
    ['an unknown old policy', 'path "x" { policy = "all" }', 'path "x": invalid policy "all"'],
    ['an unknown key, with the line of its "="', 'path "x" {\n  capabilities = ["read"]\n  colour = "red"\n}', '1 error occurred:\n\t* path "x": invalid key "colour" on line 3\n\n'],
    ['an unknown top-level key', 'paths "x" { capabilities = ["read"] }', '1 error occurred:\n\t* invalid key "paths" on line 1\n\n'],
    ['an unterminated block (as HCL 1 reports it: the column after the end)', 'path "x" { capabilities = ["read"] ', 'At 1:37: object expected closing RBRACE got: EOF'],
  ])('refuses %s with Vault\'s message', (_what, text, message) => {
    expect(() => parsePolicy(text)).toThrow(new PolicyParseError(message));
  });

  it('refuses keys Vault accepts but the simulator does not model, saying so', () => {
    expect(() => parsePolicy('path "x" {\n  capabilities = ["update"]\n  allowed_parameters = { "a" = [] }\n}')).toThrow(/allowed_parameters is valid in Vault but not modelled/);
  });
});

describe('ACL matching (vault/acl.go; docs concepts/policies "Priority matching")', () => {
  it('lets an exact path win over any glob, and the longest glob over a shorter one', () => {
    const text = block('secret/*', 'read') + block('secret/app/*', 'list') + block('secret/app/db', 'update');
    expect(answer('secret/app/db', text)).toEqual(['update']);
    expect(answer('secret/app/other', text)).toEqual(['list']);
    expect(answer('secret/other', text)).toEqual(['read']);
    expect(answer('secre', text)).toEqual(['deny']);
  });

  it('treats a trailing * as a prefix of any characters, not only whole segments', () => {
    const text = block('secret/team-*', 'read');
    expect(answer('secret/team-blue/x', text)).toEqual(['read']);
    expect(answer('secret/team', text)).toEqual(['deny']);
  });

  it('matches + as exactly one segment, and only as a whole segment', () => {
    const text = block('secret/+/config', 'read') + block('lit/a+b', 'list');
    expect(answer('secret/app/config', text)).toEqual(['read']);
    expect(answer('secret/a/b/config', text)).toEqual(['deny']);
    expect(answer('secret/config', text)).toEqual(['deny']);
    // "a+b" is not a segment wildcard: it matches itself only.
    expect(answer('lit/a+b', text)).toEqual(['list']);
    expect(answer('lit/aXb', text)).toEqual(['deny']);
  });

  it("orders competing wildcard patterns as Vault's docs list", () => {
    // 1. The later first wildcard wins: secret/foo/* over secret/+/*.
    expect(answer('secret/foo/bar', block('secret/+/*', 'read') + block('secret/foo/*', 'list'))).toEqual(['list']);
    // 2. Not ending in * wins: secret/+/bar over secret/*.
    expect(answer('secret/foo/bar', block('secret/*', 'read') + block('secret/+/bar', 'update'))).toEqual(['update']);
    // 3. Fewer + segments win: secret/a/+/c over secret/+/+/c.
    expect(answer('secret/a/b/c', block('secret/+/+/c', 'read') + block('secret/a/+/c', 'delete'))).toEqual(['delete']);
    // 4. The longer pattern wins: secret/+/bar/baz* over secret/+/bar/ba*.
    expect(answer('secret/x/bar/bazz', block('secret/+/bar/ba*', 'read') + block('secret/+/bar/baz*', 'patch'))).toEqual(['patch']);
  });

  it('merges the same pattern across policies, and a deny there wins', () => {
    expect(answer('kv/x', block('kv/*', 'read'), block('kv/*', 'list'))).toEqual(['list', 'read']);
    expect(answer('kv/x', block('kv/*', 'read'), block('kv/*', 'deny'))).toEqual(['deny']);
    // A deny on a less specific pattern does not reach a more specific one.
    expect(answer('kv/app/x', block('kv/*', 'deny'), block('kv/app/*', 'read'))).toEqual(['read']);
  });

  it('answers root for the root policy and deny for no match', () => {
    const store = new PolicyStore();
    expect(store.capabilities(['root'], 'anything')).toEqual(['root']);
    expect(store.capabilities(['missing-policy'], 'anything')).toEqual(['deny']);
    expect(store.capabilities(['default'], 'auth/token/lookup-self')).toEqual(['read']);
  });

  it('lets a more specific deny win a LIST on a path ending in "/", where Vault 1.21 differs from older servers', () => {
    // vault/acl.go resolveACLPermsForListOp: both "kv1/private" and "kv1/private/" are considered.
    const acl = new Acl([...parsePolicy(block('kv1/+', 'list')), ...parsePolicy(block('kv1/private/*', 'deny'))]);
    expect(acl.answer('kv1/private/')).toEqual(['deny']);
    expect(acl.answer('kv1/public/')).toEqual(['list']);
  });

  it('maps writes to create or update, checks sudo, and never allows through a deny', () => {
    const caps = capabilitiesFor(parsePolicy(block('sys/replication/dr/*', 'create', 'read', 'update', 'sudo')), 'sys/replication/dr/primary/demote');
    expect(allows(caps, 'update', true)).toBe(true);
    expect(allows(caps, 'delete', false)).toBe(false);
    expect(allows(new Set(['create'] as const), 'update', false)).toBe(true);
    expect(allows(new Set(['read'] as const), 'read', true)).toBe(false);
    expect(allows(new Set(['deny'] as const), 'read', false)).toBe(false);
  });
});

describe('policy names and token policy lists', () => {
  it('sanitises as policyutil.SanitizePolicies: trimmed, lower-cased, unique, sorted, default added, root alone', () => {
    expect(sanitizePolicies([' B ', 'a', 'b', ''], true)).toEqual(['a', 'b', 'default']);
    expect(sanitizePolicies(['a', 'root', 'b'], true)).toEqual(['root']);
    expect(sanitizePolicies(['x'], false)).toEqual(['x']);
  });

  it('stores policies under lower-cased names', () => {
    const store = new PolicyStore();
    store.write('My-Policy', block('x', 'read'));
    expect(store.read('my-policy')).toContain('path "x"');
    expect(store.names()).toEqual(['default', 'my-policy', 'root']);
  });
});

describe('Vault durations', () => {
  it.each([
    ['8h', 28800],
    ['30m', 1800],
    ['2s', 2],
    ['1h30m', 5400],
    ['300', 300],
    [600, 600],
    ['', 0],
  ])('%p is %p seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['8x', 'h', '-1', {}, '1h 2m'])('%p is not a duration', (input) => {
    expect(parseDurationSeconds(input)).toBeUndefined();
  });
});

describe('IAM principal matching', () => {
  it('turns an assumed-role session ARN into its role ARN', () => {
    expect(canonicalPrincipalArn('arn:aws:sts::123456789012:assumed-role/login-fn/session-1')).toBe(
      'arn:aws:iam::123456789012:role/login-fn',
    );
    expect(canonicalPrincipalArn('arn:aws:iam::123456789012:user/alice')).toBe('arn:aws:iam::123456789012:user/alice');
  });

  it('matches exactly or with a trailing * glob', () => {
    const arn = 'arn:aws:iam::123456789012:role/login-fn';
    expect(principalMatches([arn], arn)).toBe(true);
    expect(principalMatches(['arn:aws:iam::123456789012:role/*'], arn)).toBe(true);
    expect(principalMatches(['arn:aws:iam::123456789012:role/login'], arn)).toBe(false);
  });
});

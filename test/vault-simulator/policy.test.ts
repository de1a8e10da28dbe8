import { parseDurationSeconds } from './duration';
import { PolicyParseError, allows, capabilitiesFor, matchesPattern, parsePolicy } from './policy';
import { canonicalPrincipalArn, principalMatches } from './aws-login';

describe('policy parsing and matching', () => {
  const rules = parsePolicy(`
    # the DR operation policy, as docs/contracts.md writes it
    path "sys/replication/dr/*" {
      capabilities = ["create", "read", "update", "sudo"]
    }
    path "sys/replication/dr/secondary/promote" { capabilities = ["read"] } // narrower wins
    path "secret/+/config" { capabilities = ["list"] }
    path "secret/denied/*" { capabilities = ["deny"] }
    path "secret/*" { capabilities = ["read"] }
  `);

  it('parses the HCL subset', () => {
    expect(rules.map((rule) => rule.pattern)).toEqual([
      'sys/replication/dr/*',
      'sys/replication/dr/secondary/promote',
      'secret/+/config',
      'secret/denied/*',
      'secret/*',
    ]);
    expect([...(rules[0]?.capabilities ?? [])]).toEqual(['create', 'read', 'update', 'sudo']);
  });

  it('refuses what it does not understand', () => {
    expect(() => parsePolicy('path "x" { capabilities = ["fly"] }')).toThrow(PolicyParseError);
    expect(() => parsePolicy('path "x" { allowed_parameters = {} }')).toThrow(PolicyParseError);
    expect(() => parsePolicy('nonsense')).toThrow(PolicyParseError);
  });

  it('matches * as a prefix and + as one segment', () => {
    expect(matchesPattern('sys/replication/dr/*', 'sys/replication/dr/secondary/promote')).toBe(true);
    expect(matchesPattern('sys/replication/dr/*', 'sys/replication/performance/status')).toBe(false);
    expect(matchesPattern('secret/+/config', 'secret/app/config')).toBe(true);
    expect(matchesPattern('secret/+/config', 'secret/a/b/config')).toBe(false);
    expect(matchesPattern('auth/token/create/dr-batch-dev-test', 'auth/token/create/dr-batch-dev-test-x')).toBe(false);
  });

  it("applies only the most specific matching path, as Vault's priority rules say", () => {
    expect([...capabilitiesFor(rules, 'sys/replication/dr/primary/demote')].sort()).toEqual(['create', 'read', 'sudo', 'update']);
    expect([...capabilitiesFor(rules, 'sys/replication/dr/secondary/promote')]).toEqual(['read']);
    expect([...capabilitiesFor(rules, 'secret/app/config')]).toEqual(['list']);
    expect([...capabilitiesFor(rules, 'secret/denied/x')]).toEqual([]);
    expect([...capabilitiesFor(rules, 'secret/other')]).toEqual(['read']);
  });

  it('maps writes to create or update and checks sudo', () => {
    const caps = capabilitiesFor(rules, 'sys/replication/dr/primary/demote');
    expect(allows(caps, 'update', true)).toBe(true);
    expect(allows(caps, 'delete', false)).toBe(false);
    expect(allows(capabilitiesFor(rules, 'secret/other'), 'read', true)).toBe(false);
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

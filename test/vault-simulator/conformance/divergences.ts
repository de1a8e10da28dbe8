/**
 * Every known difference between the simulator and OpenBao, with its reason. The conformance test
 * fails on a difference not listed here (the simulator drifted, or OpenBao changed) and on an entry
 * that no longer matches anything (the list drifted). test/vault-simulator/README.md has one row
 * per entry, by id; a test checks that.
 *
 * Kinds:
 * - enterprise: Vault Enterprise answers more than open-source Vault (and so OpenBao) does.
 * - vault-version: Vault changed after OpenBao forked from it (1.14); Vault's source or docs are
 *   the authority, so the simulator follows Vault.
 * - openbao: OpenBao changed after the fork; Vault's source says otherwise.
 * - deployment: the two servers are configured differently (KMS auto-unseal and Raft, as this
 *   project deploys, against OpenBao's in-memory dev server).
 * - simulator: a limitation of the simulator itself, with what covers it.
 */
import type { Difference } from './compare';

export type DivergenceKind = 'enterprise' | 'vault-version' | 'openbao' | 'deployment' | 'simulator';

export interface Divergence {
  readonly id: string;
  readonly kind: DivergenceKind;
  matches(d: Difference): boolean;
}

const PARSE_PREFIX = 'failed to parse policy: ';
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const onlyInSimulator = (d: Difference): boolean => d.simulator !== undefined && d.openbao === undefined;
const onlyInOpenBao = (d: Difference): boolean => d.simulator === undefined && d.openbao !== undefined;
/** A field at `body.<name>` or `body.data.<name>`. */
const field = (d: Difference, names: readonly string[]): boolean =>
  names.some((name) => d.at === `body.${name}` || d.at === `body.data.${name}`);

export const DIVERGENCES: readonly Divergence[] = [
  {
    // vault http/sys_health.go HealthResponse: enterprise, echo_duration_ms, clock_skew_ms,
    // replication_primary_canary_age_ms (Vault 1.15+); OpenBao's has none of them.
    id: 'health-vault-fields',
    kind: 'vault-version',
    matches: (d) => d.scenario === 'health' && onlyInSimulator(d) && field(d, ['enterprise', 'echo_duration_ms', 'clock_skew_ms', 'replication_primary_canary_age_ms']),
  },
  {
    // Vault's HealthResponse has performance_standby (false on open-source Vault); OpenBao removed it.
    id: 'health-performance-standby',
    kind: 'openbao',
    matches: (d) => d.scenario === 'health' && onlyInSimulator(d) && d.at === 'body.performance_standby',
  },
  {
    id: 'seal-status-deployment',
    kind: 'deployment',
    matches: (d) => d.scenario === 'seal status' && ['body.type', 'body.t', 'body.n', 'body.recovery_seal', 'body.storage_type'].includes(d.at),
  },
  {
    // Vault 1.19+ reports removed_from_cluster in sys/health and sys/seal-status when its HA backend
    // is Raft (http/sys_health.go, http/sys_seal.go: core.IsRemovedFromCluster()); the project's
    // clusters run Raft, OpenBao's dev server in-memory storage.
    id: 'raft-removed-from-cluster',
    kind: 'deployment',
    matches: (d) => (d.scenario === 'health' || d.scenario === 'seal status') && onlyInSimulator(d) && d.at === 'body.removed_from_cluster',
  },
  {
    // Vault http/sys_seal.go SealStatusResponse: build_date; OpenBao answers commit_date instead.
    id: 'seal-status-build-date',
    kind: 'openbao',
    matches: (d) =>
      d.scenario === 'seal status' && ((d.at === 'body.build_date' && onlyInSimulator(d)) || (d.at === 'body.commit_date' && onlyInOpenBao(d))),
  },
  {
    // Node's HTTP parser refuses methods it does not know with 400 before the simulator sees the
    // request. Vault's Go client sends a list as GET ?list=true (api/logical.go ListWithContext),
    // which the scenarios also check.
    id: 'list-verb',
    kind: 'simulator',
    matches: (d) => /^list (?:roles|with LIST)$/.test(d.label) && (d.at === 'status' || d.at === 'body'),
  },
  {
    // Vault 1.17+: an unknown, revoked or expired token answers 403 with "permission denied" and
    // "invalid token" (docs concepts/tokens "Error responses"; hashicorp/vault#26687).
    id: 'invalid-token-message',
    kind: 'vault-version',
    matches: (d) =>
      d.at === 'body.errors[0]' && d.simulator === '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n' && d.openbao === 'permission denied',
  },
  {
    // OpenBao keeps versioned, check-and-set policies; Vault's read answers name and policy only
    // (vault/logical_system.go handlePoliciesRead).
    id: 'policy-cas-fields',
    kind: 'openbao',
    matches: (d) =>
      d.scenario === 'policies' &&
      onlyInOpenBao(d) &&
      field(d, ['version', 'cas_required', 'modified', 'allow_slashes_in_identity_templates', 'allow_wildcards_in_identity_templates']),
  },
  {
    // vault/policy.go parsePaths: `path %q: invalid capability %q` (and the '+*' error), wrapped once
    // in "failed to parse policy: "; OpenBao repeats the path prefix.
    id: 'policy-error-path-prefix',
    kind: 'openbao',
    matches: (d) => {
      const sim = str(d.simulator);
      const match = /^failed to parse policy: (path "[^"]*": )/.exec(sim);
      return match !== null && str(d.openbao) === sim.replace(match[1] as string, `${match[1] as string}${match[1] as string}`);
    },
  },
  {
    // vault/policy.go: multierror.Prefix over hclutil.CheckHCLKeys' multierror prefixes each error
    // inside it; OpenBao puts the prefix outside.
    id: 'policy-error-invalid-key',
    kind: 'openbao',
    matches: (d) =>
      d.label === 'write an unknown key' &&
      str(d.simulator) === `${PARSE_PREFIX}1 error occurred:\n\t* path "x": invalid key "colour" on line 2\n\n` &&
      str(d.openbao) === `${PARSE_PREFIX}path "x": 1 error occurred:\n\t* invalid key "colour" on line 2\n\n`,
  },
  {
    // The simulator's HCL reader words a syntax error its own way ("At line:column: ..."), not as
    // HCL 1's parser does; the status and the prefix match.
    id: 'hcl-syntax-error-text',
    kind: 'simulator',
    matches: (d) => d.at === 'body.errors[0]' && str(d.simulator).startsWith(`${PARSE_PREFIX}At `) && str(d.openbao).startsWith(`${PARSE_PREFIX}At `),
  },
  {
    // Vault 1.16+ has the `subscribe` capability (event subscriptions; vault/policy.go
    // SubscribeCapability); OpenBao does not.
    id: 'subscribe-capability',
    kind: 'vault-version',
    matches: (d) => d.label === 'write the subscribe capability' && (d.at === 'status' || d.at === 'body'),
  },
  {
    // Vault http/helpers.go parseJSONRequest: "failed to parse JSON input: %w"; OpenBao says "decode".
    id: 'json-error-verb',
    kind: 'openbao',
    matches: (d) => {
      const sim = str(d.simulator);
      return sim.startsWith('failed to parse JSON input: ') && str(d.openbao) === sim.replace('failed to parse JSON input: ', 'failed to decode JSON input: ');
    },
  },
];

/**
 * Token prefixes are compared by a test of their own rather than through the diff (the
 * normaliser hides token values): Vault 1.10+ issues hvs./hvb. tokens, OpenBao the legacy s./b.
 * forms (vault/token_store.go; OpenBao disables server-side consistent tokens).
 */
export const TOKEN_PREFIX_DIVERGENCE = { id: 'token-prefixes', kind: 'vault-version' as const };

export const ALL_DIVERGENCE_IDS: readonly string[] = [...DIVERGENCES.map((d) => d.id), TOKEN_PREFIX_DIVERGENCE.id];

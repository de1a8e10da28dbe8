/**
 * The Vault ACL policies of the DR automation, as HCL text. No cdktf here: the construct deploys
 * these texts (VaultDrAccess) and the tests that run the functions against the simulator or OpenBao
 * grant the same ones (test/support/dr-harness.ts), so the functions are tested against the policy
 * that is deployed.
 */

/** A Vault ACL policy in HCL, one block per path, in the given order. */
function policyText(paths: ReadonlyArray<readonly [path: string, capabilities: readonly string[]]>): string {
  return paths.map(([path, capabilities]) => [`path "${path}" {`, `  capabilities = [${capabilities.map((c) => `"${c}"`).join(', ')}]`, '}', ''].join('\n')).join('\n');
}

/**
 * The batch DR operation token: the two DR-secondary operations, by exact path, and nothing else.
 *
 * On a DR secondary Vault authorizes promote and update-primary by the `dr_operation_token` in the
 * body (replication-dr API docs, "Promote DR Secondary", "Update DR Secondary's Primary"; DR
 * operation tokens doc, "Operations that need a DR operation token"). generate-public-key is not
 * among the operations that take one (same two pages: it takes an ordinary X-Vault-Token), so it
 * is not here; operations on a primary (demote, secondary-token) use dr-operations' own short-lived
 * login token instead (primaryOperationsPolicyText).
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-dr
 * https://developer.hashicorp.com/vault/docs/enterprise/replication/disaster-recovery/operation-token
 */
export function drOperationPolicyText(): string {
  return policyText([
    ['sys/replication/dr/secondary/promote', ['update']],
    ['sys/replication/dr/secondary/update-primary', ['update']],
  ]);
}

/** dr-token-generator's login token may only create DR tokens through the batch token role. */
export function tokenCreatorPolicyText(batchTokenRole: string): string {
  return policyText([[`auth/token/create/${batchTokenRole}`, ['update']]]);
}

/**
 * dr-operations' login token: what a re-link needs on the primary. Vault requires sudo on
 * secondary-token (its system backend lists `replication/dr/primary/secondary-token` among the root
 * paths; API docs: "This endpoint requires 'sudo' capability"), not on demote (not a root path).
 * https://github.com/hashicorp/vault/blob/main/vault/logical_system.go (PathsSpecial.Root)
 */
export function primaryOperationsPolicyText(): string {
  return policyText([
    ['sys/replication/dr/primary/demote', ['update']],
    ['sys/replication/dr/primary/secondary-token', ['update', 'sudo']],
  ]);
}

/**
 * dr-operations' login, for bootstrap only: enable DR replication on a primary whose replication is
 * disabled. Its activation token for the new secondary comes from secondary-token, which the
 * primary-operations policy already grants. No sudo: the API docs name none for primary/enable, and
 * neither Vault's client list of sudo paths (api/sudo_paths.go) nor its root paths include it.
 * The would-be secondary is not reached by this role at all: before replication it has its own
 * storage, without the functions' AWS auth method (docs/contracts.md, "Bootstrap").
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-dr#enable-dr-primary-replication
 */
export function bootstrapPolicyText(): string {
  return policyText([['sys/replication/dr/primary/enable', ['update']]]);
}

/**
 * dr-operations' login, with performance secondaries: what making a performance secondary follow a
 * new primary takes, by exact path. Performance replication operations take an ordinary token, not
 * a DR operation token ("Manage performance replication": "Performance replication operations use
 * a normal Vault token"), so this is a login-token policy, never the batch DR token's. On the
 * (new) primary: secondary-token, which needs sudo (same page: "The secondary token endpoint also
 * needs sudo"; API: "This endpoint requires 'sudo' capability"). On the performance secondary:
 * update-primary (its login token there is its own: tokens are not replicated to performance
 * secondaries, the policy is). dr-operations calls update-primary on each cluster of its
 * `VAULT_PERFORMANCE_SECONDARIES` after a failover or switchover (DrAutomation writes that list
 * from `performanceSecondaries`); bootstrap of a performance secondary enables performance
 * replication on the primary (primary/enable: no sudo, as for DR, and only here, so a deployment
 * without performance secondaries cannot enable it) and issues its activation token (secondary-token).
 * https://developer.hashicorp.com/vault/docs/enterprise/replication/performance/manage
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-performance
 */
export function performanceOperationsPolicyText(): string {
  return policyText([
    ['sys/replication/performance/primary/enable', ['update']],
    ['sys/replication/performance/primary/secondary-token', ['update', 'sudo']],
    ['sys/replication/performance/secondary/update-primary', ['update']],
  ]);
}

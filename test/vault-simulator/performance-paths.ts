/**
 * Which writes a performance secondary handles itself and which it forwards to its primary.
 *
 * A performance secondary "answers reads and other requests locally, and forwards writes to
 * replicated data to the primary"; "Each performance secondary issues and manages its own tokens
 * and leases" (https://developer.hashicorp.com/vault/docs/enterprise/replication/performance):
 * tokens and leases are not replicated. So a secondary keeps the writes that only touch its own
 * tokens (logins, token creation, renewal, revocation, lookups sent as POST), the read-only POSTs
 * (capabilities), and its own replication endpoints; every other write (secrets, policies, token
 * roles, auth mounts and their configuration and roles) changes replicated storage and goes to the
 * primary. README.md, "Performance replication", cites each.
 */
const LOCAL_WRITES: readonly RegExp[] = [
  // Its own replication role: sys/replication/dr/* and sys/replication/performance/*.
  /^sys\/replication\//,
  // Its own tokens.
  /^auth\/token\/(create|create-orphan|renew|renew-self|renew-accessor|revoke|revoke-self|revoke-accessor|revoke-orphan|lookup|lookup-self|lookup-accessor)(\/|$)/,
  // Logins issue tokens there: auth/<mount>/login (and auth/<mount>/login/<name>).
  /^auth\/.+\/login(\/[^/]+)?$/,
  // Read-only POSTs.
  /^sys\/capabilities(-self|-accessor)?$/,
];

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'DELETE']);

/** Whether a performance secondary forwards this request to its primary. */
export function forwardedToPerformancePrimary(method: string, path: string): boolean {
  if (!WRITE_METHODS.has(method.toUpperCase())) return false;
  return !LOCAL_WRITES.some((local) => local.test(path));
}

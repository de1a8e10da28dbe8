/**
 * A cluster's ACL policy store (DR replication copies it with the rest of the cluster's storage).
 * "root" is built in and grants everything; "default" is built in with the self-service paths of
 * Vault's default policy (vault/policy_store.go `defaultPolicy`, without the identity-templated and
 * Enterprise-only paths the simulator has no use for) and, as in Vault, may be rewritten but not
 * deleted. Names are lower-cased on write and read (vault/logical_system.go `handlePoliciesSet`:
 * `strings.ToLower(name)`).
 */
import { Acl, type Operation, type PathRule, allows, parsePolicy } from './policy';

export const ROOT_POLICY = 'root';
export const DEFAULT_POLICY = 'default';

const DEFAULT_POLICY_TEXT = `
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its resultant ACL from all policies
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}
`;

/**
 * Vault's policyutil.SanitizePolicies: trim, lower-case, drop empty names; "root" alone if present;
 * add "default" when asked and absent; de-duplicate and sort.
 */
export function sanitizePolicies(policies: readonly string[], addDefault: boolean): string[] {
  const names = policies.map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (names.includes(ROOT_POLICY)) return [ROOT_POLICY];
  if (addDefault && !names.includes(DEFAULT_POLICY)) names.push(DEFAULT_POLICY);
  return [...new Set(names)].sort();
}

interface StoredPolicy {
  readonly text: string;
  readonly rules: readonly PathRule[];
}

export class PolicyStore {
  private readonly policies = new Map<string, StoredPolicy>();

  constructor() {
    this.write(DEFAULT_POLICY, DEFAULT_POLICY_TEXT);
  }

  /** Throws PolicyParseError for text Vault would refuse or the simulator does not model. */
  write(name: string, text: string): void {
    this.policies.set(name.toLowerCase(), { text, rules: parsePolicy(text) });
  }

  read(name: string): string | undefined {
    const key = name.toLowerCase();
    return key === ROOT_POLICY ? '' : this.policies.get(key)?.text;
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return key === ROOT_POLICY || this.policies.has(key);
  }

  delete(name: string): void {
    this.policies.delete(name.toLowerCase());
  }

  /** [name, text] of every stored policy: what DR replication ships in a storage snapshot. */
  exportPolicies(): [string, string][] {
    return [...this.policies.entries()].map(([name, stored]) => [name, stored.text]);
  }

  /**
   * Replaces every stored policy (a DR secondary applying its primary's storage). A storage without
   * "default" (a wiped one) gets it back, as Vault's policy store creates it when it is missing
   * (vault/policy_store.go `setupPolicyStore` -> `loadDefaultPolicies`).
   */
  importPolicies(policies: readonly (readonly [string, string])[]): void {
    const previous = new Map(this.policies);
    this.policies.clear();
    for (const [name, text] of policies) {
      const known = previous.get(name);
      if (known !== undefined && known.text === text) this.policies.set(name, known);
      else this.write(name, text);
    }
    if (!this.policies.has(DEFAULT_POLICY)) this.write(DEFAULT_POLICY, DEFAULT_POLICY_TEXT);
  }

  /** Sorted, "root" included, as sys/policies/acl lists them. */
  names(): string[] {
    return [...this.policies.keys(), ROOT_POLICY].sort();
  }

  /** The ACL of a token's policies; policies that do not exist grant nothing, as in Vault. */
  acl(policyNames: readonly string[]): Acl {
    return new Acl(policyNames.flatMap((name) => this.policies.get(name.toLowerCase())?.rules ?? []));
  }

  /** What sys/capabilities answers for a token with these policies on `path`: sorted, as vault/capabilities.go returns them. */
  capabilities(policyNames: readonly string[], path: string): string[] {
    if (policyNames.includes(ROOT_POLICY)) return ['root'];
    return this.acl(policyNames).answer(path).sort();
  }

  allows(policyNames: readonly string[], path: string, operation: Operation, needsSudo: boolean): boolean {
    if (policyNames.includes(ROOT_POLICY)) return true;
    return allows(this.acl(policyNames).capabilitiesFor(path, operation), operation, needsSudo);
  }
}

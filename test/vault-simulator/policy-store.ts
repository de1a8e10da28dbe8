/**
 * A cluster's ACL policy store (DR replication copies it with the rest of the cluster's storage).
 * "root" is built in and grants everything; "default" is built in with the self-service paths
 * Vault's default policy has.
 */
import { type Capability, type Operation, type PathRule, allows, capabilitiesFor, parsePolicy } from './policy';

export const ROOT_POLICY = 'root';

const DEFAULT_POLICY_TEXT = `
path "auth/token/lookup-self" { capabilities = ["read"] }
path "auth/token/renew-self" { capabilities = ["update"] }
path "auth/token/revoke-self" { capabilities = ["update"] }
path "sys/capabilities-self" { capabilities = ["update"] }
path "sys/wrapping/lookup" { capabilities = ["update"] }
path "sys/wrapping/unwrap" { capabilities = ["update"] }
`;

interface StoredPolicy {
  readonly text: string;
  readonly rules: readonly PathRule[];
}

export class PolicyStore {
  private readonly policies = new Map<string, StoredPolicy>();

  constructor() {
    this.write('default', DEFAULT_POLICY_TEXT);
  }

  /** Throws PolicyParseError for text outside the supported subset. */
  write(name: string, text: string): void {
    this.policies.set(name, { text, rules: parsePolicy(text) });
  }

  read(name: string): string | undefined {
    return name === ROOT_POLICY ? '' : this.policies.get(name)?.text;
  }

  delete(name: string): void {
    this.policies.delete(name);
  }

  /** [name, text] of every stored policy: what DR replication ships in a storage snapshot. */
  exportPolicies(): [string, string][] {
    return [...this.policies.entries()].map(([name, stored]) => [name, stored.text]);
  }

  /** Replaces every stored policy (a DR secondary applying its primary's storage). */
  importPolicies(policies: readonly (readonly [string, string])[]): void {
    const previous = new Map(this.policies);
    this.policies.clear();
    for (const [name, text] of policies) {
      const known = previous.get(name);
      if (known !== undefined && known.text === text) this.policies.set(name, known);
      else this.write(name, text);
    }
  }

  names(): string[] {
    return [...this.policies.keys(), ROOT_POLICY].sort();
  }

  /** Policies that do not exist grant nothing, as in Vault. */
  capabilities(policyNames: readonly string[], path: string): Set<Capability> {
    const rules = policyNames.flatMap((name) => this.policies.get(name)?.rules ?? []);
    return capabilitiesFor(rules, path);
  }

  allows(policyNames: readonly string[], path: string, operation: Operation, needsSudo: boolean): boolean {
    if (policyNames.includes(ROOT_POLICY)) return true;
    return allows(this.capabilities(policyNames, path), operation, needsSudo);
  }
}

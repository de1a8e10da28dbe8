/**
 * The replicated ACL policy store. "root" is built in and grants everything; "default" is built
 * in with the self-service paths Vault's default policy has.
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

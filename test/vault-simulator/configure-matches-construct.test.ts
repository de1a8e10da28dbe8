/**
 * configureDr (the simulator's stand-in for what Terraform applies) creates exactly the Vault
 * objects the DR automation construct synthesizes: the same policies (paths and capabilities), the
 * same token role, the same AWS auth mount and roles with the same token policies and TTLs. Both
 * sides are read as data: the synthesized JSON, and the simulator's answers through its own API.
 * The two known differences are by design (docs/contracts.md): the simulator cannot resolve IAM
 * unique ids, and its roles are bound to the harness's role ARNs rather than Terraform references.
 */
import { DrAutomation } from '../../modules/dr-automation/dr-automation';
import { drAutomationProps } from '../modules/support/dr-automation-fixtures';
import { type Block, synthesize, type Synthesized } from '../modules/support/synthesized';
import { startVaultPair, vaultRequest, type ConfiguredDrNames, type VaultPair } from './index';

/** `path "p" { capabilities = [...] }` blocks as a map of path to sorted capabilities. */
function parsePolicy(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const match of text.matchAll(/path\s+"([^"]+)"\s*\{\s*capabilities\s*=\s*\[([^\]]*)\]\s*\}/g)) {
    out[match[1] as string] = [...(match[2] as string).matchAll(/"([^"]+)"/g)].map((m) => m[1] as string).sort();
  }
  return out;
}

/** A `${vault_policy.<id>.name}` reference, resolved to the policy's name. */
function resolvePolicyRef(synth: Synthesized, value: string): string {
  const match = /^\$\{vault_policy\.([A-Za-z0-9_]+)\.name\}$/.exec(value);
  return match ? (synth.resources('vault_policy')[match[1] as string] as Block).name : value;
}

describe('configureDr creates what the DR automation construct creates', () => {
  let pair: VaultPair;
  let names: ConfiguredDrNames;
  let synth: Synthesized;
  const read = async (path: string) => {
    const res = await vaultRequest(pair.clusters[0].address, pair.caPem, { path, token: pair.rootToken });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as Block;
  };

  beforeAll(async () => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps()));
    const { environment, identifier } = drAutomationProps();
    pair = await startVaultPair({ initialState: 'primary-only', healthChecks: false });
    names = await pair.configureDr({
      environment,
      identifier,
      generatorRoleArn: 'arn:aws:iam::123456789012:role/dr-token-generator-test-main',
      operationsRoleArn: 'arn:aws:iam::123456789012:role/dr-operations-test-main',
    });
  }, 30_000);

  afterAll(() => pair?.stop());

  it('writes the same policies, path for path and capability for capability', async () => {
    const synthesized = Object.fromEntries(Object.values(synth.resources('vault_policy')).map((p) => [p.name, parsePolicy(p.policy)]));
    const listed = ((await read('sys/policies/acl?list=true')).keys as string[]).filter((n) => n !== 'default' && n !== 'root');
    const configured = Object.fromEntries(await Promise.all(listed.map(async (n) => [n, parsePolicy((await read(`sys/policies/acl/${n}`)).policy)] as const)));
    expect(Object.keys(synthesized).sort()).toEqual(['dr-bootstrap-test-main', 'dr-operation-test-main', 'dr-primary-ops-test-main', 'dr-token-creator-test-main']);
    expect(configured).toEqual(synthesized);
  });

  it('writes the same batch token role', async () => {
    const role = synth.resource('vault_token_auth_backend_role').body;
    const configured = await read(`auth/token/roles/${names.tokenRole}`);
    expect(names.tokenRole).toBe(role.role_name);
    expect({
      allowed_policies: configured.allowed_policies,
      orphan: configured.orphan,
      renewable: configured.renewable,
      token_type: configured.token_type,
      token_no_default_policy: configured.token_no_default_policy,
    }).toEqual({
      allowed_policies: role.allowed_policies.map((p: string) => resolvePolicyRef(synth, p)),
      orphan: role.orphan,
      renewable: role.renewable,
      token_type: role.token_type,
      token_no_default_policy: role.token_no_default_policy,
    });
  });

  it('mounts the AWS auth method at the same path, with one role per logging-in function carrying the same policies and TTLs', async () => {
    expect(names.awsAuthMount).toBe(synth.resource('vault_auth_backend').body.path);
    const synthesizedRoles = Object.values(synth.resources('vault_aws_auth_backend_role'));
    expect(synthesizedRoles.map((r) => r.role).sort()).toEqual([names.operationsAuthRole, names.generatorAuthRole].sort());
    for (const role of synthesizedRoles) {
      const configured = await read(`auth/${names.awsAuthMount}/role/${role.role}`);
      expect({
        auth_type: configured.auth_type,
        token_policies: configured.token_policies,
        token_ttl: configured.token_ttl,
        token_max_ttl: configured.token_max_ttl,
        principals: (configured.bound_iam_principal_arns as string[]).length,
      }).toEqual({
        auth_type: role.auth_type,
        token_policies: role.token_policies.map((p: string) => resolvePolicyRef(synth, p)),
        token_ttl: role.token_ttl,
        token_max_ttl: role.token_max_ttl,
        principals: role.bound_iam_principal_arns.length,
      });
    }
  });
});

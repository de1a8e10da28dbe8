/**
 * The performance operations policy (a topology with performance secondaries), loaded into a real
 * policy engine (OpenBao, `bao server -dev`), and dr-operations' login token asked with
 * sys/capabilities on every replication path. Expectations from HashiCorp's docs, not from the
 * construct: performance replication operations take an ordinary token, and secondary-token needs
 * sudo ("Manage performance replication"); update-primary on a performance secondary is how it
 * follows a new primary; bootstrap of a performance secondary enables performance replication on the
 * primary (primary/enable, no sudo). The batch DR token and the other logins gain nothing.
 * https://developer.hashicorp.com/vault/docs/enterprise/replication/performance/manage
 */
import { VaultDrStack } from '../../stacks/vault-dr-stack';
import { type Block, synthesizeStack, type Synthesized, testApp } from '../modules/support/synthesized';
import { clusterSettings, stackProps } from '../stacks/support/stack-props';
import { startOpenBao, type OpenBaoServer } from '../support/openbao';

const PATHS = [
  'sys/replication/performance/primary/secondary-token',
  'sys/replication/performance/secondary/update-primary',
  'sys/replication/performance/primary/enable',
  'sys/replication/performance/primary/demote',
  'sys/replication/performance/primary/disable',
  'sys/replication/performance/primary/revoke-secondary',
  'sys/replication/performance/primary/paths-filter/x',
  'sys/replication/performance/secondary/enable',
  'sys/replication/performance/secondary/promote',
  'sys/replication/performance/secondary/disable',
  'sys/replication/performance/secondary/generate-public-key',
  'sys/replication/performance/status',
  'sys/replication/dr/primary/secondary-token',
  'sys/replication/dr/primary/demote',
  'sys/replication/dr/primary/enable',
  'sys/replication/dr/secondary/promote',
  'sys/replication/dr/secondary/update-primary',
  'sys/replication/primary/enable',
  'sys/raw',
  'sys/policy',
  'auth/token/create',
] as const;

/** dr-operations' login with performance secondaries: its two DR policies and the performance one. */
const OPERATIONS: Readonly<Partial<Record<(typeof PATHS)[number], readonly string[]>>> = {
  'sys/replication/performance/primary/enable': ['update'],
  'sys/replication/performance/primary/secondary-token': ['sudo', 'update'],
  'sys/replication/performance/secondary/update-primary': ['update'],
  'sys/replication/dr/primary/secondary-token': ['sudo', 'update'],
  'sys/replication/dr/primary/demote': ['update'],
  'sys/replication/dr/primary/enable': ['update'],
};

describe('the performance operations policy, on a real policy engine (OpenBao)', () => {
  let bao: OpenBaoServer;
  let synth: Synthesized;
  const root = async (method: string, path: string, body?: unknown) => {
    const res = await bao.request(method, path, { token: bao.rootToken, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Block;
  };
  const capabilitiesOf = async (policies: string[]) => {
    const token = (await root('POST', 'auth/token/create', { policies, no_default_policy: true })).auth.client_token as string;
    const body = await root('POST', 'sys/capabilities', { token, paths: PATHS });
    return Object.fromEntries(PATHS.map((path) => [path, [...(body.data[path] as string[])].sort()]));
  };
  const policyName = (reference: string) => {
    const id = /^\$\{vault_policy\.([A-Za-z0-9_-]+)\.name\}$/.exec(reference)?.[1];
    return id === undefined ? reference : synth.resources('vault_policy')[id]!.name;
  };

  beforeAll(async () => {
    const props = stackProps({
      performanceSecondaries: [{ cluster: clusterSettings('euw1', 'eu-west-1', '10.2') }],
      nearestVaultAddress: 'https://vault-test-near.example.com:8200',
    });
    synth = synthesizeStack(new VaultDrStack(testApp(), props));
    bao = await startOpenBao();
    for (const policy of Object.values(synth.resources('vault_policy'))) await root('PUT', `sys/policies/acl/${policy.name}`, { policy: policy.policy });
  }, 60_000);

  afterAll(() => bao?.stop());

  it('loads five policies, the performance one among them, which the parser accepts', async () => {
    const names = Object.values(synth.resources('vault_policy')).map((p) => p.name).sort();
    expect(names).toEqual(['dr-bootstrap-test-main', 'dr-operation-test-main', 'dr-perf-ops-test-main', 'dr-primary-ops-test-main', 'dr-token-creator-test-main']);
    expect((await root('GET', 'sys/policies/acl/dr-perf-ops-test-main')).data.policy).toContain('secondary-token');
  });

  it('the performance policy alone: primary/enable, secondary-token (with sudo) and update-primary, denied everywhere else', async () => {
    const actual = await capabilitiesOf(['dr-perf-ops-test-main']);
    const granted: Readonly<Record<string, readonly string[]>> = {
      'sys/replication/performance/primary/enable': ['update'],
      'sys/replication/performance/primary/secondary-token': ['sudo', 'update'],
      'sys/replication/performance/secondary/update-primary': ['update'],
    };
    const expected = Object.fromEntries(PATHS.map((path) => [path, [...(granted[path] ?? ['deny'])]]));
    expect(actual).toEqual(expected);
  });

  it('dr-operations\' login token (its AWS auth role\'s policies): the DR primary operations and the performance ones, nothing else', async () => {
    const role = synth.resource('vault_aws_auth_backend_role', (r) => r.role === 'dr-operations-test-main').body;
    expect(role.token_no_default_policy).toBe(true);
    const actual = await capabilitiesOf(role.token_policies.map(policyName));
    expect(actual).toEqual(Object.fromEntries(PATHS.map((path) => [path, [...(OPERATIONS[path] ?? ['deny'])].sort()])));
  });

  it('the batch DR token\'s policy gains nothing of performance replication', async () => {
    const actual = await capabilitiesOf(['dr-operation-test-main']);
    expect(actual['sys/replication/performance/primary/secondary-token']).toEqual(['deny']);
    expect(actual['sys/replication/performance/secondary/update-primary']).toEqual(['deny']);
    expect(actual['sys/replication/dr/secondary/promote']).toEqual(['update']);
  });
});

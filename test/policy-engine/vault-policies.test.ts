/**
 * The synthesized Vault policies and token role, loaded into a real policy engine (OpenBao, the
 * open-source fork of Vault; `bao server -dev` on 127.0.0.1), and each token's capabilities asked
 * of it with sys/capabilities on every replication path: allowed exactly where intended, denied
 * everywhere else. The expectations below are written from HashiCorp's API docs (which endpoint
 * takes which token, which needs sudo), not from the construct.
 *
 * What OpenBao cannot show: DR replication itself and the AWS auth method (Enterprise, and not in
 * OpenBao). The AWS auth roles' token_policies and token_no_default_policy are applied to tokens
 * created directly, as an AWS login through those roles would be.
 */
import { dev } from '../../environments/dev';
import { VaultDrStack } from '../../stacks/vault-dr-stack';
import { FIXTURE_BUNDLES_DIRECTORY } from '../modules/support/dr-automation-fixtures';
import { type Block, synthesizeStack, type Synthesized, testApp } from '../modules/support/synthesized';
import { startOpenBao, type OpenBaoServer } from '../support/openbao';

/** Every replication path Vault Enterprise serves (api-docs/system/replication/*), plus the paths a leaked token must never reach. */
const PATHS = [
  'sys/replication/dr/secondary/promote',
  'sys/replication/dr/secondary/update-primary',
  'sys/replication/dr/secondary/generate-public-key',
  'sys/replication/dr/secondary/enable',
  'sys/replication/dr/secondary/disable',
  'sys/replication/dr/secondary/reindex',
  'sys/replication/dr/secondary/merkle-check',
  'sys/replication/dr/secondary/operation-token/delete',
  'sys/replication/dr/secondary/generate-operation-token/attempt',
  'sys/replication/dr/secondary/license/status',
  'sys/replication/dr/primary/enable',
  'sys/replication/dr/primary/demote',
  'sys/replication/dr/primary/disable',
  'sys/replication/dr/primary/secondary-token',
  'sys/replication/dr/primary/revoke-secondary',
  'sys/replication/dr/status',
  'sys/replication/performance/primary/enable',
  'sys/replication/performance/primary/demote',
  'sys/replication/performance/primary/disable',
  'sys/replication/performance/primary/secondary-token',
  'sys/replication/performance/primary/revoke-secondary',
  'sys/replication/performance/primary/paths-filter/x',
  'sys/replication/performance/secondary/enable',
  'sys/replication/performance/secondary/promote',
  'sys/replication/performance/secondary/update-primary',
  'sys/replication/performance/secondary/disable',
  'sys/replication/performance/secondary/generate-public-key',
  'sys/replication/performance/status',
  'sys/replication/primary/enable',
  'sys/replication/secondary/promote',
  'sys/replication/reindex',
  'sys/replication/recover',
  'sys/replication/status',
  'sys/raw',
  'sys/raw/core/keyring',
  'sys/policy',
  'sys/policy/dr-operation-dev-main',
  'sys/policies/acl/dr-operation-dev-main',
  'sys/auth/aws',
  'sys/audit/file',
  'sys/storage/raft/autopilot/state',
  'sys/storage/raft/snapshot',
  'auth/token/create',
  'auth/token/create-orphan',
  'auth/token/create/dr-batch-dev-main',
  'auth/token/create/another-role',
  'auth/token/roles/dr-batch-dev-main',
  'auth/token/lookup-self',
  'auth/token/renew-self',
  'auth/dr-aws-dev-main/role/dr-operations-dev-main',
  'secret/data/anything',
  'cubbyhole/anything',
] as const;

type Capabilities = Readonly<Partial<Record<(typeof PATHS)[number], readonly string[]>>>;

/**
 * What each token may do, from HashiCorp's docs; every path not named is denied.
 * - Batch DR token: what a DR secondary authorizes with `dr_operation_token` and this automation
 *   uses: promote, update-primary (replication-dr API; DR operation tokens doc).
 * - dr-token-generator's login: create a token through the batch role, nothing else.
 * - dr-operations' login: demote (update) and secondary-token (update; "This endpoint requires
 *   'sudo' capability"); for bootstrap, enable on a primary (update; the docs name no sudo for it).
 * - The bootstrap policy on its own: enable on a primary, and nothing else (not secondary/enable:
 *   the would-be secondary is authorized by a token of its own, docs/contracts.md).
 */
const EXPECTED: Readonly<Record<'batch' | 'tokenCreator' | 'primaryOperations' | 'bootstrapOnly', Capabilities>> = {
  batch: {
    'sys/replication/dr/secondary/promote': ['update'],
    'sys/replication/dr/secondary/update-primary': ['update'],
  },
  tokenCreator: {
    'auth/token/create/dr-batch-dev-main': ['update'],
  },
  primaryOperations: {
    'sys/replication/dr/primary/demote': ['update'],
    'sys/replication/dr/primary/secondary-token': ['sudo', 'update'],
    'sys/replication/dr/primary/enable': ['update'],
  },
  bootstrapOnly: {
    'sys/replication/dr/primary/enable': ['update'],
  },
};

/** The named resource a `${<type>.<id>.<attribute>}` reference points at, resolved to that attribute. */
function resolve(synth: Synthesized, value: string): string {
  const match = /^\$\{([a-z_]+)\.([A-Za-z0-9_]+)\.([a-z_]+)\}$/.exec(value);
  if (!match) return value;
  const target = synth.resources(match[1]!)[match[2]!];
  if (!target || typeof target[match[3]!] !== 'string') throw new Error(`cannot resolve ${value} from the synthesized JSON`);
  return target[match[3]!];
}

describe('the synthesized Vault policies, on a real policy engine (OpenBao)', () => {
  let bao: OpenBaoServer;
  let synth: Synthesized;
  const tokens: Record<keyof typeof EXPECTED, string> = { batch: '', tokenCreator: '', primaryOperations: '', bootstrapOnly: '' };
  let batchAuth: Block;

  const root = (method: string, path: string, body?: unknown) => bao.request(method, path, { token: bao.rootToken, body });
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await root(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Block;
  };
  const capabilities = async (token: string): Promise<Record<string, string[]>> => {
    const body = await ok('POST', 'sys/capabilities', { token, paths: PATHS });
    return Object.fromEntries(PATHS.map((path) => [path, [...(body.data[path] as string[])].sort()]));
  };
  const authRole = (role: string) => synth.resource('vault_aws_auth_backend_role', (r) => r.role === role).body;
  /** A token as a login through this AWS auth role would issue it (OpenBao has no AWS auth). */
  const loginTokenOf = async (role: string) => {
    const body = authRole(role);
    const auth = (
      await ok('POST', 'auth/token/create', {
        policies: body.token_policies.map((p: string) => resolve(synth, p)),
        no_default_policy: body.token_no_default_policy === true,
        ttl: `${body.token_ttl}s`,
        explicit_max_ttl: `${body.token_max_ttl}s`,
      })
    ).auth;
    return auth.client_token as string;
  };
  /** The token role from the synthesized JSON, optionally bound to other CIDRs, under another name. */
  const writeTokenRole = async (name: string, boundCidrs?: string[]) => {
    const role = synth.resource('vault_token_auth_backend_role').body;
    await ok('POST', `auth/token/roles/${name}`, {
      allowed_policies: role.allowed_policies.map((p: string) => resolve(synth, p)),
      orphan: role.orphan,
      renewable: role.renewable,
      token_type: role.token_type,
      token_no_default_policy: role.token_no_default_policy,
      token_bound_cidrs: boundCidrs ?? role.token_bound_cidrs,
    });
    return role;
  };

  beforeAll(async () => {
    // dev's values with this checkout's stack: what the next apply writes to Vault.
    synth = synthesizeStack(new VaultDrStack(testApp(), { ...dev, drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY } }));
    bao = await startOpenBao();
    for (const policy of Object.values(synth.resources('vault_policy'))) {
      await ok('PUT', `sys/policies/acl/${policy.name}`, { policy: policy.policy });
    }
    const role = await writeTokenRole(synth.resource('vault_token_auth_backend_role').body.role_name);
    tokens.tokenCreator = await loginTokenOf('dr-token-generator-dev-main');
    tokens.primaryOperations = await loginTokenOf('dr-operations-dev-main');
    tokens.bootstrapOnly = (await ok('POST', 'auth/token/create', { policies: ['dr-bootstrap-dev-main'], no_default_policy: true })).auth.client_token;
    // The batch token as dr-token-generator makes it: through the role, with its login token.
    const created = await bao.request('POST', `auth/token/create/${role.role_name}`, { token: tokens.tokenCreator, body: { ttl: '8h' } });
    if (created.status !== 200) throw new Error(`the token creator could not create a DR token: ${JSON.stringify(created.body)}`);
    batchAuth = (created.body as Block).auth;
    tokens.batch = batchAuth.client_token;
  }, 60_000);

  afterAll(() => bao?.stop());

  it('loads the four synthesized policies, which Vault\'s parser accepts', async () => {
    const names = Object.values(synth.resources('vault_policy')).map((p) => p.name).sort();
    expect(names).toEqual(['dr-bootstrap-dev-main', 'dr-operation-dev-main', 'dr-primary-ops-dev-main', 'dr-token-creator-dev-main']);
    for (const name of names) expect((await ok('GET', `sys/policies/acl/${name}`)).data.policy).toBeTruthy();
  });

  it('issues the DR token as a batch, orphan, non-renewable token with the DR policy only, for 8 hours', () => {
    expect(batchAuth).toMatchObject({ token_type: 'batch', orphan: true, renewable: false, lease_duration: 28_800 });
    expect(batchAuth.policies).toEqual(['dr-operation-dev-main']);
  });

  it.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)('%s token: allowed exactly where intended, denied on every other path', async (kind) => {
    const actual = await capabilities(tokens[kind]);
    const expected = Object.fromEntries(PATHS.map((path) => [path, [...(EXPECTED[kind][path] ?? ['deny'])].sort()]));
    expect(actual).toEqual(expected);
  });

  it.each([
    'sys/replication/dr/primary/secondary-token',
    'sys/replication/dr/secondary/enable',
    'sys/replication/dr/primary/enable',
    'sys/replication/dr/secondary/disable',
    'sys/replication/dr/primary/disable',
    'sys/replication/dr/primary/revoke-secondary',
    'sys/replication/dr/primary/demote',
    'sys/replication/dr/secondary/generate-public-key',
    'sys/replication/performance/primary/enable',
    'sys/replication/performance/secondary/promote',
    'sys/raw',
    'sys/policy',
    'auth/token/create',
    'auth/token/create/dr-batch-dev-main',
  ])('the batch DR token is denied %s', async (path) => {
    const body = await ok('POST', 'sys/capabilities', { token: tokens.batch, paths: [path] });
    expect(body.data[path]).toEqual(['deny']);
  });

  it('lets the token creator hand out the DR policy only, through the one role', async () => {
    const other = await bao.request('POST', 'auth/token/create/dr-batch-dev-main', { token: tokens.tokenCreator, body: { policies: ['root'] } });
    expect(other.status).toBe(400);
    const direct = await bao.request('POST', 'auth/token/create', { token: tokens.tokenCreator, body: { policies: ['dr-operation-dev-main'] } });
    expect(direct.status).toBe(403);
  });

  it('binds the DR token to the functions\' subnets: refused from another address, served from a bound one', async () => {
    expect(synth.resource('vault_token_auth_backend_role').body.token_bound_cidrs).toEqual(dev.drFunctionsNetwork.subnetCidrs);
    const promote = 'sys/replication/dr/secondary/promote';
    // The token above is bound to dev's subnets; this test talks from 127.0.0.1.
    expect((await bao.request('POST', promote, { token: tokens.batch, body: {} })).status).toBe(403);
    // The same role bound to 127.0.0.1 gets past authorization (OpenBao then has no such endpoint).
    await writeTokenRole('dr-batch-local', ['127.0.0.1/32']);
    await ok('PUT', 'sys/policies/acl/dr-token-creator-local', { policy: 'path "auth/token/create/dr-batch-local" { capabilities = ["update"] }\n' });
    const creator = (await ok('POST', 'auth/token/create', { policies: ['dr-token-creator-local'], no_default_policy: true })).auth.client_token;
    const local = (await bao.request('POST', 'auth/token/create/dr-batch-local', { token: creator, body: {} })).body as Block;
    const answer = await bao.request('POST', promote, { token: local.auth.client_token, body: {} });
    expect(answer.status).not.toBe(403);
    expect(answer.status).toBe(404);
  });
});

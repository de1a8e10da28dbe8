/**
 * The list endpoints bootstrap's data check asks (README.md, "Who may call what"): sys/mounts,
 * sys/auth without sudo, and a LIST authorized on the path with a trailing slash, as Vault builds
 * it, so a `+/` policy lets a token list any mount's top level.
 */
import { call } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';

describe('listing a cluster', () => {
  let pair: VaultPair;
  let cluster: SimulatedCluster;
  const tokenWith = async (policy: string): Promise<string> => {
    const name = `p${Math.random().toString(36).slice(2, 8)}`;
    expect((await call(pair, cluster, { method: 'PUT', path: `sys/policies/acl/${name}`, token: pair.rootToken, body: { policy } })).status).toBe(204);
    const created = await call(pair, cluster, { method: 'POST', path: 'auth/token/create', token: pair.rootToken, body: { policies: [name], no_default_policy: true } });
    return created.body.auth.client_token as string;
  };

  beforeAll(async () => {
    pair = await startVaultPair({ initialState: 'standalone', healthChecks: false, nodes: 1 });
    cluster = pair.clusters[1];
  });
  afterAll(() => pair.stop());

  it('lists the secrets engines: the three built in, and the KV v1 engine at secret/, in data and on top', async () => {
    const res = await call(pair, cluster, { path: 'sys/mounts', token: pair.rootToken });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['cubbyhole/', 'identity/', 'secret/', 'sys/']);
    expect(res.body.data['secret/']).toEqual(expect.objectContaining({ type: 'kv', options: { version: '1' } }));
    expect(res.body['sys/']).toEqual(res.body.data['sys/']);
  });

  it('needs read on sys/mounts', async () => {
    const token = await tokenWith('path "sys/auth" { capabilities = ["read"] }');
    expect((await call(pair, cluster, { path: 'sys/mounts', token })).status).toBe(403);
  });

  it('lists auth methods to a token with read on sys/auth, without sudo (sudo is for sys/auth/<path>)', async () => {
    const token = await tokenWith('path "sys/auth" { capabilities = ["read"] }');
    const res = await call(pair, cluster, { path: 'sys/auth', token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data)).toEqual(['token/']);
    expect((await call(pair, cluster, { method: 'POST', path: 'sys/auth/userpass', token, body: { type: 'userpass' } })).status).toBe(403);
  });

  it('authorizes a LIST on the path with a trailing slash: `+/` lists any mount, `secret` alone does not', async () => {
    expect((await call(pair, cluster, { method: 'POST', path: 'secret/app/db', token: pair.rootToken, body: { password: 'x' } })).status).toBe(204);
    const anyMount = await tokenWith('path "+/" { capabilities = ["list"] }');
    const listed = await call(pair, cluster, { path: 'secret?list=true', token: anyMount });
    expect(listed.status).toBe(200);
    expect(listed.body.data.keys).toEqual(['app/']);
    // A read of the same path is not a list: `+/` grants nothing there.
    expect((await call(pair, cluster, { path: 'secret/app/db', token: anyMount })).status).toBe(403);
    const otherMount = await tokenWith('path "other/" { capabilities = ["list"] }');
    expect((await call(pair, cluster, { path: 'secret?list=true', token: otherMount })).status).toBe(403);
  });
});

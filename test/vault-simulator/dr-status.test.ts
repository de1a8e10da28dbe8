import { call } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';

describe('sys/replication/dr/status', () => {
  let pair: VaultPair;
  let primary: SimulatedCluster;
  let secondary: SimulatedCluster;
  beforeAll(async () => {
    pair = await startVaultPair({ names: ['use1', 'usw2'] });
    [primary, secondary] = pair.clusters;
  });
  afterAll(() => pair.stop());

  it('describes a replicating primary, in data and at the top level', async () => {
    const res = await call(pair, primary, { path: 'sys/replication/dr/status' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      mode: 'primary',
      state: 'running',
      cluster_id: expect.any(String),
      known_secondaries: ['usw2'],
      last_wal: expect.any(Number),
      last_dr_wal: expect.any(Number),
      merkle_root: expect.any(String),
      secondaries: [
        {
          node_id: 'usw2',
          api_address: secondary.address,
          cluster_address: expect.any(String),
          connection_status: 'connected',
          last_heartbeat: expect.any(String),
          last_heartbeat_duration_ms: expect.any(String),
          clock_skew_ms: '0',
        },
      ],
    });
    expect(res.body.mode).toBe('primary');
    expect(res.body).toMatchObject({ request_id: expect.any(String), lease_id: '', wrap_info: null, auth: null });
  });

  it('describes a streaming secondary connected to its primary, with the same replication cluster id', async () => {
    const res = await call(pair, secondary, { path: 'sys/replication/dr/status' });
    const primaryStatus = primary.drStatus();
    expect(res.body.data).toMatchObject({
      mode: 'secondary',
      state: 'stream-wals',
      connection_state: 'ready',
      cluster_id: primaryStatus.cluster_id,
      secondary_id: 'usw2',
      known_primary_cluster_addrs: [primary.address],
      primaries: [{ api_address: primary.address, connection_status: 'connected', last_heartbeat: expect.any(String) }],
    });
    // The snapshot accessor computes the same view (heartbeats move on, so they are left out).
    expect({ ...secondary.drStatus(), primaries: [] }).toEqual({ ...res.body.data, primaries: [] });
  });

  it('reports the link down (but keeps stream-wals) while the primary does not answer', async () => {
    for (const fault of ['down', 'blackhole', 'sealed', 'error500'] as const) {
      await primary.setFault(fault);
      const res = await call(pair, secondary, { path: 'sys/replication/dr/status' });
      expect(res.body.data).toMatchObject({
        state: 'stream-wals',
        connection_state: 'transient_failure',
        primaries: [{ connection_status: 'disconnected' }],
      });
    }
    await primary.setFault('slow');
    expect(secondary.drStatus().connection_state).toBe('ready');
    await primary.setFault('none');
  });

  it("reports a secondary the primary cannot reach as disconnected in the primary's view", async () => {
    await secondary.setFault('down');
    const res = await call(pair, primary, { path: 'sys/replication/dr/status' });
    expect(res.body.data.secondaries).toEqual([expect.objectContaining({ node_id: 'usw2', connection_status: 'disconnected' })]);
    await secondary.setFault('none');
    expect(primary.drStatus().secondaries?.[0]?.connection_status).toBe('connected');
  });

  it('setReplicationState changes what a secondary reports and is refused on a primary', () => {
    secondary.setReplicationState('merkle-sync');
    expect(secondary.drStatus().state).toBe('merkle-sync');
    secondary.setReplicationState('stream-wals');
    expect(() => primary.setReplicationState('idle')).toThrow(/not a DR secondary/);
  });

  it('sys/replication/status nests the DR status', async () => {
    const res = await call(pair, secondary, { path: 'sys/replication/status' });
    expect(res.body.data).toMatchObject({ dr: { mode: 'secondary' }, performance: { mode: 'disabled' } });
  });
});

describe('a DR secondary', () => {
  let pair: VaultPair;
  let secondary: SimulatedCluster;
  beforeAll(async () => {
    pair = await startVaultPair();
    secondary = pair.clusters[1];
  });
  afterAll(() => pair.stop());

  it.each([
    ['POST', 'auth/token/create'],
    ['POST', 'auth/aws/login'],
    ['GET', 'sys/policies/acl/default'],
    ['GET', 'secret/data/app'],
    ['POST', 'sys/replication/dr/primary/demote'],
    ['GET', 'auth/token/lookup-self'],
  ])('refuses %s %s with 400 "path disabled" even for the root token', async (method, path) => {
    const res = await call(pair, secondary, { method, path, token: pair.rootToken, body: method === 'POST' ? {} : undefined });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['path disabled in replication DR secondary mode'] });
  });

  it('answers the DR secondary endpoints (here, generate-public-key without a token)', async () => {
    const res = await call(pair, secondary, { method: 'POST', path: 'sys/replication/dr/secondary/generate-public-key' });
    expect(res.status).toBe(200);
    expect(res.body.data.secondary_public_key).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});

describe("initialState 'primary-only'", () => {
  let pair: VaultPair;
  beforeAll(async () => {
    pair = await startVaultPair({ initialState: 'primary-only' });
  });
  afterAll(() => pair.stop());

  it('has a primary without secondaries and a cluster with DR disabled that answers as active', async () => {
    const [primary, other] = pair.clusters;
    expect(primary.drStatus()).toMatchObject({ mode: 'primary', known_secondaries: [], secondaries: [] });
    const res = await call(pair, other, { path: 'sys/replication/dr/status' });
    expect(res.body.data).toEqual({ mode: 'disabled' });
    const health = await call(pair, other, { path: 'sys/health?standbyok=true' });
    expect(health.status).toBe(200);
    expect(health.body.replication_dr_mode).toBe('disabled');
    expect(pair.primaryNames()).toEqual(['east']);
    expect(pair.answeringPrimaryNames()).toEqual(['east']);
    expect(pair.maxAnsweringPrimaries()).toBe(1);
  });
});

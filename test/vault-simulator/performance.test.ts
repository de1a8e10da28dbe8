/**
 * Performance replication (README.md, "Performance replication"): a third cluster that is a
 * performance secondary of the DR primary. Each expectation is written from HashiCorp's docs (the
 * README cites them), not from the simulator's code.
 */
import { call, callClient, waitFor, writeSecret } from './testing/call';
import { startVaultPair, startVaultWorld } from './index';
import type { SimulatedCluster, StartVaultPairOptions, VaultPair, VaultWorld } from './index';

const PERF = 'sys/replication/performance';
const DR_ROLES = { generatorRoleArn: 'arn:aws:iam::123456789012:role/gen', operationsRoleArn: 'arn:aws:iam::123456789012:role/ops' };

interface Three {
  world: VaultPair;
  east: SimulatedCluster;
  west: SimulatedCluster;
  south: SimulatedCluster;
}

async function three(options: StartVaultPairOptions = {}): Promise<Three> {
  const world = await startVaultPair({ nodes: 3, performanceSecondaries: ['south'], ...options });
  const [east, west, south] = world.clusters;
  return { world, east, west, south: south as SimulatedCluster };
}

/** `token` null: no X-Vault-Token at all. */
const post = (world: VaultWorld, cluster: SimulatedCluster, path: string, body: object = {}, token: string | null = world.rootToken) =>
  call(world, cluster, { method: 'POST', path, body, ...(token === null ? {} : { token }) });
const get = (world: VaultWorld, cluster: SimulatedCluster, path: string, token?: string) =>
  call(world, cluster, { method: 'GET', path, ...(token === undefined ? {} : { token }) });
const readSecret = (world: VaultWorld, cluster: SimulatedCluster, path: string, token = world.rootToken) =>
  callClient(world, cluster, { method: 'GET', path: `secret/${path}`, token });

/** A token made on `cluster` with `policies` (a service token unless `type` says otherwise). */
async function tokenOn(world: VaultWorld, cluster: SimulatedCluster, body: object): Promise<string> {
  const res = await post(world, cluster, 'auth/token/create', body);
  expect(res.status).toBe(200);
  return res.body.auth.client_token as string;
}

describe('the world: two clusters by default, a third as an option', () => {
  it('a default pair has two clusters and performance replication disabled everywhere', async () => {
    const pair = await startVaultPair({ nodes: 1 });
    try {
      expect(pair.clusters).toHaveLength(2);
      for (const cluster of pair.clusters) {
        expect(cluster.performanceMode()).toBe('disabled');
        const status = await get(pair, cluster, 'sys/replication/status');
        expect(status.body.data.performance).toEqual({ mode: 'disabled' });
      }
      expect(pair.observer.topology().map((view) => view.performanceMode)).toEqual(['disabled', 'disabled']);
    } finally {
      await pair.stop();
    }
  });

  it('performanceSecondaries adds performance secondaries of the DR primary, DR disabled', async () => {
    const { world, east, west, south } = await three();
    try {
      expect(world.clusters.map((c) => c.name)).toEqual(['east', 'west', 'south']);
      expect([east.drMode(), west.drMode(), south.drMode()]).toEqual(['primary', 'secondary', 'disabled']);
      expect([east.performanceMode(), west.performanceMode(), south.performanceMode()]).toEqual(['primary', 'disabled', 'secondary']);
      expect(south.performancePrimary()).toBe('east');
    } finally {
      await world.stop();
    }
  });

  it('refuses impossible shapes, naming the field', async () => {
    await expect(
      startVaultWorld({ clusters: [{ name: 'a', dr: 'primary' }, { name: 'b', dr: { secondaryOf: 'a' }, performance: 'primary' }] }),
    ).rejects.toThrow(/cluster "b": a DR secondary takes its DR primary's performance role/);
    await expect(startVaultWorld({ clusters: [{ name: 'a' }, { name: 'b', performance: { secondaryOf: 'a' } }] })).rejects.toThrow(
      /cluster "b": performance.secondaryOf must name a cluster with performance 'primary'/,
    );
    await expect(startVaultPair({ performance: { followPromotedPrimary: 'sometimes' as never } })).rejects.toThrow(/performance.followPromotedPrimary must be one of/);
    await expect(startVaultPair({ performance: { forwardedWriteWaitMs: -1 } })).rejects.toThrow(/performance.forwardedWriteWaitMs must be/);
  });
});

describe('status endpoints', () => {
  let t: Three;
  beforeEach(async () => {
    t = await three();
  });
  afterEach(() => t.world.stop());

  it('performance/status answers without a token: the primary lists the secondary, the secondary streams from it', async () => {
    const primary = await get(t.world, t.east, `${PERF}/status`);
    expect(primary.status).toBe(200);
    expect(primary.body.data).toMatchObject({ mode: 'primary', state: 'running', known_secondaries: ['south'] });
    expect(primary.body.data.secondaries).toEqual([expect.objectContaining({ node_id: 'south', connection_status: 'connected' })]);
    expect(primary.body.data.last_performance_wal).toBe(primary.body.data.last_wal);
    const secondary = await get(t.world, t.south, `${PERF}/status`);
    expect(secondary.body.data).toMatchObject({ mode: 'secondary', state: 'stream-wals', connection_state: 'ready', secondary_id: 'south', cluster_id: primary.body.data.cluster_id });
    expect(secondary.body.data.primaries).toEqual([expect.objectContaining({ api_address: t.east.address, connection_status: 'connected' })]);
  });

  it('sys/replication/status shows both kinds; the perf primary is DR primary at once', async () => {
    const east = await get(t.world, t.east, 'sys/replication/status');
    expect(east.body.data.dr.mode).toBe('primary');
    expect(east.body.data.performance.mode).toBe('primary');
    const south = await get(t.world, t.south, 'sys/replication/status');
    expect(south.body.data.dr).toEqual({ mode: 'disabled' });
    expect(south.body.data.performance.mode).toBe('secondary');
  });

  it('sys/health reports replication_performance_mode per cluster', async () => {
    const health = async (cluster: SimulatedCluster) => (await get(t.world, cluster, 'sys/health?standbyok=true&drsecondarycode=200')).body;
    expect((await health(t.east)).replication_performance_mode).toBe('primary');
    expect((await health(t.south)).replication_performance_mode).toBe('secondary');
    expect((await health(t.south)).replication_dr_mode).toBe('disabled');
  });
});

describe('what a DR secondary reports as its performance mode (undocumented: performance.drSecondaryReports)', () => {
  it.each([
    ['disabled', 'disabled'],
    ['inherited', 'primary'],
  ] as const)('%s: reports %s', async (setting, expected) => {
    const t = await three({ performance: { drSecondaryReports: setting } });
    try {
      const status = await get(t.world, t.west, `${PERF}/status`);
      expect(status.body.data.mode).toBe(expected);
      // Whatever it reports, it takes no part: it is not a performance secondary or primary in the observer's view.
      expect(t.west.performanceMode()).toBe('disabled');
    } finally {
      await t.world.stop();
    }
  });
});

describe('reads local, writes forwarded', () => {
  it('a client write on the performance secondary lands on the primary, streams back and to the DR secondary', async () => {
    const t = await three();
    try {
      const res = await writeSecret(t.world, t.south, 'app/config', { colour: 'blue' });
      expect(res.status).toBe(204);
      const [write] = t.world.observer.clientWrites();
      expect(write).toMatchObject({ cluster: 'east', via: 'south', path: 'app/config', answered: true });
      // The answer waited for the write to come back (best_effort_wal_wait_duration): a read there sees it.
      const read = await readSecret(t.world, t.south, 'app/config');
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual({ colour: 'blue' });
      expect(t.world.observer.clientReads().at(-1)).toMatchObject({ cluster: 'south', writeId: write?.id });
      await t.world.waitForReplication();
      expect(t.world.observer.writesMissingFrom('west')).toEqual([]);
      expect(t.world.observer.writesMissingFrom('south')).toEqual([]);
    } finally {
      await t.world.stop();
    }
  });

  it('with a WAL lag above the wait, the write is answered first and a read on the secondary is stale until the WAL arrives', async () => {
    const t = await three({ timings: { walLagMs: 60_000 }, performance: { forwardedWriteWaitMs: 20 } });
    try {
      expect((await writeSecret(t.world, t.south, 'app/x', { v: 1 })).status).toBe(204);
      expect(t.east.lastWal()).toBeGreaterThan(0);
      expect((await readSecret(t.world, t.south, 'app/x')).status).toBe(404);
      const lagging = await get(t.world, t.south, `${PERF}/status`);
      expect(lagging.body.data.last_remote_wal).toBeLessThan(t.east.lastWal());
      await t.world.waitForReplication({ advanceClock: true });
      expect((await readSecret(t.world, t.south, 'app/x')).status).toBe(200);
      expect((await get(t.world, t.south, `${PERF}/status`)).body.data.last_remote_wal).toBe(t.east.lastWal());
    } finally {
      await t.world.stop();
    }
  });

  it('the secondary keeps serving reads while its primary is down; its writes fail', async () => {
    const t = await three();
    try {
      await writeSecret(t.world, t.east, 'app/y', { v: 1 });
      await t.world.waitForReplication();
      await t.east.setFault('down');
      expect((await readSecret(t.world, t.south, 'app/y')).status).toBe(200);
      const write = await writeSecret(t.world, t.south, 'app/y', { v: 2 });
      expect(write.status).toBe(500);
      expect(write.body.errors[0]).toMatch(/performance primary/);
      expect(t.world.observer.readableNow()).toContain('south');
      expect((await get(t.world, t.south, `${PERF}/status`)).body.data.connection_state).toBe('transient_failure');
    } finally {
      await t.world.stop();
    }
  });

  it('a replication partition stops the stream and forwarded writes; reads go on', async () => {
    const t = await three();
    try {
      await t.south.setNetwork('replication', 'blackhole');
      expect((await writeSecret(t.world, t.south, 'p', { v: 1 })).status).toBe(500);
      expect((await writeSecret(t.world, t.east, 'p', { v: 1 })).status).toBe(204);
      expect((await readSecret(t.world, t.south, 'p')).status).toBe(404);
      const view = t.world.observer.topology().find((v) => v.cluster === 'south');
      expect(view).toMatchObject({ performancePrimary: 'east', performanceConnected: false, servesClientReads: true });
      await t.south.setNetwork('replication', 'up');
      await t.world.waitForReplication();
      expect((await readSecret(t.world, t.south, 'p')).status).toBe(200);
    } finally {
      await t.world.stop();
    }
  });
});

describe('tokens and leases stay on the cluster that issued them', () => {
  let t: Three;
  beforeEach(async () => {
    t = await three();
  });
  afterEach(() => t.world.stop());

  const lookupSelf = (cluster: SimulatedCluster, token: string) => get(t.world, cluster, 'auth/token/lookup-self', token);

  it("the primary's service tokens are not valid on the secondary, and the secondary's not on the primary", async () => {
    const fromEast = await tokenOn(t.world, t.east, { policies: ['default'] });
    await t.world.waitForReplication();
    expect((await lookupSelf(t.east, fromEast)).status).toBe(200);
    expect((await lookupSelf(t.south, fromEast)).status).toBe(403);
    const fromSouth = await tokenOn(t.world, t.south, { policies: ['default'] });
    expect((await lookupSelf(t.south, fromSouth)).status).toBe(200);
    expect((await lookupSelf(t.east, fromSouth)).status).toBe(403);
    // Issuing a token is local to the secondary: no write reached the primary.
    expect(t.world.observer.clientWrites()).toEqual([]);
  });

  it('an orphan batch token of the primary works on the secondary; a non-orphan one does not', async () => {
    const orphan = await tokenOn(t.world, t.east, { policies: ['default'], type: 'batch', no_parent: true });
    const child = await tokenOn(t.world, t.east, { policies: ['default'], type: 'batch' });
    expect((await lookupSelf(t.east, child)).status).toBe(200);
    expect((await lookupSelf(t.south, orphan)).status).toBe(200);
    expect((await lookupSelf(t.south, child)).status).toBe(403);
  });

  it('the DR secondary holds the primary\'s service tokens (DR replicates local data); promoted, it accepts them', async () => {
    await t.world.configureDr(DR_ROLES);
    const { token: drToken } = await t.world.createDrBatchToken();
    const service = await tokenOn(t.world, t.east, { policies: ['default'] });
    await t.world.waitForReplication();
    await t.east.setFault('down');
    expect((await post(t.world, t.west, 'sys/replication/dr/secondary/promote', { dr_operation_token: drToken }, null)).status).toBe(200);
    await waitFor(() => t.west.drMode() === 'primary');
    expect((await lookupSelf(t.west, service)).status).toBe(200);
  });
});

describe('the activation token: an ordinary token with the right policy, not a DR operation token', () => {
  let t: Three;
  beforeEach(async () => {
    t = await three();
  });
  afterEach(() => t.world.stop());

  const policy = async (name: string, capabilities: string[]) => {
    const res = await post(t.world, t.east, `sys/policies/acl/${name}`, {
      policy: `path "${PERF}/primary/secondary-token" { capabilities = ${JSON.stringify(capabilities)} }`,
    });
    expect(res.status).toBe(204);
    return tokenOn(t.world, t.east, { policies: [name] });
  };

  it('needs update and sudo on the path', async () => {
    const withoutSudo = await policy('perf-no-sudo', ['update']);
    expect((await post(t.world, t.east, `${PERF}/primary/secondary-token`, { id: 'x' }, withoutSudo)).status).toBe(403);
    const withSudo = await policy('perf-sudo', ['update', 'sudo']);
    const res = await post(t.world, t.east, `${PERF}/primary/secondary-token`, { id: 'x' }, withSudo);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.wrap_info).toMatchObject({ ttl: 1800, creation_path: `${PERF}/primary/secondary-token` });
    expect(t.world.issuedSecrets()).toContain(res.body.wrap_info.token);
  });

  it('a dr_operation_token in the body opens nothing; the endpoints want an X-Vault-Token', async () => {
    await t.world.configureDr(DR_ROLES);
    const { token: drToken } = await t.world.createDrBatchToken();
    const res = await post(t.world, t.east, `${PERF}/primary/secondary-token`, { id: 'y', dr_operation_token: drToken }, null);
    expect(res.status).toBe(403);
    const promote = await post(t.world, t.south, `${PERF}/secondary/promote`, { dr_operation_token: drToken }, null);
    expect(promote.status).toBe(403);
    expect(t.south.performanceMode()).toBe('secondary');
  });

  it('refuses a missing or reused id, and a cluster that is not a performance primary', async () => {
    expect((await post(t.world, t.east, `${PERF}/primary/secondary-token`, {})).status).toBe(400);
    const reused = await post(t.world, t.east, `${PERF}/primary/secondary-token`, { id: 'south' });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0]).toContain('south');
    const onSecondary = await post(t.world, t.south, `${PERF}/primary/secondary-token`, { id: 'z' });
    expect(onSecondary.status).toBe(400);
    expect(onSecondary.body.errors[0]).toBe('this cluster is not a performance primary');
  });
});

describe('enable, demote, promote, revoke', () => {
  it('secondary/enable with an activation token wipes the cluster, then it takes the primary\'s data and streams', async () => {
    const world = await startVaultWorld({
      timings: { updatePrimaryMs: 40 },
      clusters: [
        { name: 'east', nodes: 1, dr: 'primary', performance: 'primary' },
        { name: 'south', nodes: 1 },
      ],
    });
    try {
      const [east, south] = world.clusters as [SimulatedCluster, SimulatedCluster];
      await writeSecret(world, east, 'shared', { v: 1 });
      await writeSecret(world, south, 'own', { v: 1 });
      const issued = await post(world, east, `${PERF}/primary/secondary-token`, { id: 'south' });
      const activation = issued.body.wrap_info.token as string;
      const res = await post(world, south, `${PERF}/secondary/enable`, { token: activation });
      expect(res.status).toBe(200);
      expect(res.body.warnings).toHaveLength(1);
      // Mid-transition: unavailable for a brief period.
      expect((await get(world, south, `${PERF}/status`)).status).toBe(503);
      await waitFor(() => south.performanceMode() === 'secondary' && south.performanceStatus().state === 'stream-wals');
      // "This will immediately clear all data in the secondary cluster!": its own root token too.
      expect((await readSecret(world, south, 'shared')).status).toBe(403);
      const token = await tokenOn(world, east, { policies: ['root'], type: 'batch', no_parent: true });
      expect((await readSecret(world, south, 'shared', token)).status).toBe(200);
      expect((await readSecret(world, south, 'own', token)).status).toBe(404);
      // The activation token is single use.
      const again = await post(world, south, `${PERF}/secondary/update-primary`, { token: activation }, token);
      expect(again.status).toBe(400);
      expect(again.body.errors[0]).toMatch(/already been used/);
    } finally {
      await world.stop();
    }
  });

  it('demote: the old primary becomes a performance secondary of no one; its secondary follows a demoted cluster', async () => {
    const t = await three({ timings: { demoteMs: 30 } });
    try {
      expect((await post(t.world, t.east, `${PERF}/primary/demote`)).status).toBe(200);
      await waitFor(() => t.east.performanceMode() === 'secondary');
      const status = (await get(t.world, t.east, `${PERF}/status`)).body.data;
      expect(status).toMatchObject({ mode: 'secondary', connection_state: 'idle', primaries: [] });
      // It keeps its DR role: demoting performance replication is not a DR demotion.
      expect(t.east.drMode()).toBe('primary');
      const south = t.world.observer.topology().find((v) => v.cluster === 'south');
      expect(south).toMatchObject({ performancePrimary: 'east', performanceConnected: false, followsActivePerformancePrimary: false, servesClientReads: true });
      expect(t.world.observer.performanceFollowing().filter((f) => f.cluster === 'south').map((f) => f.connected)).toEqual([true, false]);
    } finally {
      await t.world.stop();
    }
  });

  it('promote of a performance secondary takes time, refuses a second promote, then it is a primary with no secondaries', async () => {
    const t = await three({ timings: { promoteMs: 60 } });
    try {
      expect((await post(t.world, t.south, `${PERF}/secondary/promote`)).status).toBe(200);
      const during = await get(t.world, t.south, 'sys/health');
      expect(during.status).toBe(474);
      expect((await post(t.world, t.south, `${PERF}/secondary/promote`)).status).toBe(503);
      await waitFor(() => t.south.performanceMode() === 'primary');
      expect(t.south.performanceStatus()).toMatchObject({ mode: 'primary', known_secondaries: [] });
      expect(t.world.performanceTransitions().map((x) => [x.cluster, x.from, x.to, x.cause])).toEqual([
        ['south', 'secondary', 'primary', `${PERF}/secondary/promote`],
      ]);
    } finally {
      await t.world.stop();
    }
  });

  it('primary/enable on a DR primary is one role change in the log, by its endpoint (not a second one seen after the fact)', async () => {
    const world = await startVaultPair({ nodes: 3 });
    try {
      const [east] = world.clusters;
      expect((await post(world, east!, `${PERF}/primary/enable`)).status).toBeLessThan(300);
      expect(world.performanceTransitions().map((x) => [x.cluster, x.from, x.to, x.cause])).toEqual([['east', 'disabled', 'primary', `${PERF}/primary/enable`]]);
    } finally {
      await world.stop();
    }
  });

  it('revoke-secondary disconnects the secondary at once', async () => {
    const t = await three();
    try {
      expect((await post(t.world, t.east, `${PERF}/primary/revoke-secondary`, { id: 'south' })).status).toBe(200);
      expect(t.east.performanceStatus().known_secondaries).toEqual([]);
      expect(t.south.performanceStatus().connection_state).toBe('transient_failure');
      expect((await writeSecret(t.world, t.south, 'r', { v: 1 })).status).toBe(500);
    } finally {
      await t.world.stop();
    }
  });

  it('an update-primary whose answer is lost still re-points the secondary (apply-then-drop)', async () => {
    const t = await three();
    try {
      t.south.dropAnswers({ path: `${PERF}/secondary/update-primary`, times: 1 });
      await expect(post(t.world, t.south, `${PERF}/secondary/update-primary`, { token: '' })).rejects.toThrow();
      expect(t.south.performancePrimary()).toBeUndefined();
      expect(t.south.performanceStatus()).toMatchObject({ mode: 'secondary', state: 'idle', connection_state: 'idle' });
    } finally {
      await t.world.stop();
    }
  });
});

describe('disable', () => {
  it('secondary/disable: the cluster stops following, keeps its data, and now takes writes itself', async () => {
    const t = await three();
    try {
      await writeSecret(t.world, t.east, 'kept', { v: 1 });
      await t.world.waitForReplication();
      expect((await post(t.world, t.south, `${PERF}/secondary/disable`)).status).toBe(200);
      expect(t.south.performanceMode()).toBe('disabled');
      expect(t.south.performanceStatus()).toEqual({ mode: 'disabled' });
      expect(t.world.observer.topology().find((v) => v.cluster === 'south')?.performancePrimary).toBeUndefined();
      expect((await readSecret(t.world, t.south, 'kept')).status).toBe(200);
      expect((await writeSecret(t.world, t.south, 'mine', { v: 1 })).status).toBe(204);
      expect(t.world.observer.clientWrites().at(-1)).toMatchObject({ cluster: 'south' });
      expect(t.world.observer.clientWrites().at(-1)?.via).toBeUndefined();
    } finally {
      await t.world.stop();
    }
  });

  it('primary/disable: its secondaries can no longer connect', async () => {
    const t = await three();
    try {
      expect((await post(t.world, t.east, `${PERF}/primary/disable`)).status).toBe(200);
      expect(t.east.performanceMode()).toBe('disabled');
      expect(t.east.drMode()).toBe('primary');
      expect(t.south.performanceStatus().connection_state).toBe('transient_failure');
    } finally {
      await t.world.stop();
    }
  });
});

describe('sys/health on a performance secondary', () => {
  it('a standby answers 473 when standbys are performance standbys, 200 with perfstandbyok', async () => {
    const t = await three({ performanceStandbys: true, healthChecks: false });
    try {
      t.south.answerHealthFrom('standby');
      const plain = await get(t.world, t.south, 'sys/health');
      expect(plain.status).toBe(473);
      expect(plain.body).toMatchObject({ performance_standby: true, replication_performance_mode: 'secondary' });
      expect((await get(t.world, t.south, 'sys/health?perfstandbyok=true')).status).toBe(200);
      t.south.answerHealthFrom('active');
      expect((await get(t.world, t.south, 'sys/health')).status).toBe(200);
    } finally {
      await t.world.stop();
    }
  });
});

describe('a DR failover of the performance primary', () => {
  async function failedOver(options: StartVaultPairOptions = {}): Promise<Three> {
    const t = await three(options);
    await t.world.configureDr(DR_ROLES);
    const { token } = await t.world.createDrBatchToken();
    await writeSecret(t.world, t.east, 'before', { v: 1 });
    await t.world.waitForReplication();
    await t.east.setFault('down');
    expect((await post(t.world, t.west, 'sys/replication/dr/secondary/promote', { dr_operation_token: token }, null)).status).toBe(200);
    await waitFor(() => t.west.drMode() === 'primary');
    return t;
  }

  it('the promoted DR secondary joins the performance replication set as its primary, knowing the secondaries', async () => {
    const t = await failedOver();
    try {
      expect(t.west.performanceMode()).toBe('primary');
      expect(t.west.performanceStatus()).toMatchObject({ mode: 'primary', known_secondaries: ['south'] });
      expect(t.west.performanceStatus().cluster_id).toBe(t.south.performanceStatus().cluster_id);
    } finally {
      await t.world.stop();
    }
  });

  it('default (update-primary): the secondary keeps following the dead primary until update-primary; its clients read throughout', async () => {
    const t = await failedOver();
    try {
      const south = () => t.world.observer.topology().find((v) => v.cluster === 'south');
      expect(south()).toMatchObject({ performancePrimary: 'east', performanceConnected: false, followsActivePerformancePrimary: false });
      expect((await readSecret(t.world, t.south, 'before')).status).toBe(200);
      expect(t.world.observer.readableIntervals().filter((i) => i.cluster === 'south')).toEqual([expect.objectContaining({ to: undefined })]);
      // HashiCorp's rule of thumb for performance secondaries: update_primary_addrs.
      const res = await post(t.world, t.south, `${PERF}/secondary/update-primary`, { update_primary_addrs: [t.west.address] });
      expect(res.status).toBe(200);
      await waitFor(() => south()?.performanceConnected === true);
      expect(south()).toMatchObject({ performancePrimary: 'west', followsActivePerformancePrimary: true });
      expect((await writeSecret(t.world, t.south, 'after', { v: 2 })).status).toBe(204);
      expect(t.world.observer.clientWrites().at(-1)).toMatchObject({ cluster: 'west', via: 'south' });
      expect(t.world.observer.readableIntervals().filter((i) => i.cluster === 'south')).toHaveLength(1);
    } finally {
      await t.world.stop();
    }
  });

  it('update-primary with a new activation token generated on the new primary works too (a new id)', async () => {
    const t = await failedOver();
    try {
      const reused = await post(t.world, t.west, `${PERF}/primary/secondary-token`, { id: 'south' });
      expect(reused.status).toBe(400);
      const issued = await post(t.world, t.west, `${PERF}/primary/secondary-token`, { id: 'south-2' });
      const res = await post(t.world, t.south, `${PERF}/secondary/update-primary`, { token: issued.body.wrap_info.token });
      expect(res.status).toBe(200);
      await waitFor(() => t.south.performanceStatus().connection_state === 'ready');
      expect(t.south.performanceStatus()).toMatchObject({ secondary_id: 'south-2', primary_cluster_addr: t.west.address });
      // Changing the primary does not wipe the secondary.
      expect((await readSecret(t.world, t.south, 'before')).status).toBe(200);
    } finally {
      await t.world.stop();
    }
  });

  it('update_primary_addrs and token together are refused; addresses of no primary of the set are refused', async () => {
    const t = await failedOver();
    try {
      const both = await post(t.world, t.south, `${PERF}/secondary/update-primary`, { token: 'x', update_primary_addrs: [t.west.address] });
      expect(both.status).toBe(400);
      expect(both.body.errors[0]).toMatch(/mutually exclusive/);
      const dead = await post(t.world, t.south, `${PERF}/secondary/update-primary`, { update_primary_addrs: [t.east.address] });
      expect(dead.status).toBe(400);
      expect(t.south.performancePrimary()).toBe('east');
    } finally {
      await t.world.stop();
    }
  });

  it('an old primary that comes back undemoted takes its secondary back: two performance primaries, visible to the observer', async () => {
    const t = await failedOver();
    try {
      await t.east.setFault('none');
      await waitFor(() => t.south.performanceStatus().connection_state === 'ready');
      expect(t.south.performancePrimary()).toBe('east');
      expect(t.world.observer.topology().filter((v) => v.performanceMode === 'primary').map((v) => v.cluster).sort()).toEqual(['east', 'west']);
    } finally {
      await t.world.stop();
    }
  });

  it('followPromotedPrimary automatic (undocumented, a setting): the secondary follows the promoted cluster by itself', async () => {
    const t = await failedOver({ performance: { followPromotedPrimary: 'automatic' } });
    try {
      await waitFor(() => t.south.performanceStatus().connection_state === 'ready');
      expect(t.south.performancePrimary()).toBe('west');
      expect(t.world.performanceTransitions().at(-1)).toMatchObject({ cluster: 'south', primary: 'west' });
      expect((await writeSecret(t.world, t.south, 'auto', { v: 1 })).status).toBe(204);
      expect(t.world.observer.clientWrites().at(-1)).toMatchObject({ cluster: 'west', via: 'south' });
    } finally {
      await t.world.stop();
    }
  });

  it('a DR-demoted old primary takes no part in performance replication; a secondary following it is not following an active primary', async () => {
    const t = await three({ transitionMs: 20 });
    try {
      await t.world.configureDr(DR_ROLES);
      const { token } = await t.world.createDrBatchToken();
      expect((await post(t.world, t.east, 'sys/replication/dr/primary/demote')).status).toBe(200);
      await waitFor(() => t.east.drMode() === 'secondary');
      expect(t.east.performanceMode()).toBe('disabled');
      expect(t.world.observer.topology().find((v) => v.cluster === 'south')).toMatchObject({ performancePrimary: 'east', followsActivePerformancePrimary: false });
      expect((await post(t.world, t.west, 'sys/replication/dr/secondary/promote', { dr_operation_token: token }, null)).status).toBe(200);
      await waitFor(() => t.west.performanceMode() === 'primary');
      expect((await post(t.world, t.south, `${PERF}/secondary/update-primary`, { update_primary_addrs: [t.west.address] })).status).toBe(200);
      await waitFor(() => t.world.observer.topology().find((v) => v.cluster === 'south')?.followsActivePerformancePrimary === true);
    } finally {
      await t.world.stop();
    }
  });
});

describe("a performance secondary's own DR secondary", () => {
  it('promoted, it connects to the performance primary with the same secondary id, holding the secondary\'s own tokens', async () => {
    const world = await startVaultWorld({
      timings: { promoteMs: 20 },
      clusters: [
        { name: 'east', nodes: 1, dr: 'primary', performance: 'primary' },
        { name: 'south', nodes: 1, dr: 'primary', performance: { secondaryOf: 'east' } },
        { name: 'south-dr', nodes: 1, dr: { secondaryOf: 'south' } },
      ],
    });
    try {
      const [east, south, southDr] = world.clusters as [SimulatedCluster, SimulatedCluster, SimulatedCluster];
      expect(southDr.performanceMode()).toBe('disabled');
      // A batch DR operation token of south's DR pair, made on south (its own token store).
      expect((await post(world, south, 'sys/policies/acl/dr-promote', { policy: 'path "sys/replication/dr/secondary/promote" { capabilities = ["update"] }' })).status).toBe(204);
      expect((await post(world, south, 'auth/token/roles/dr-batch', { allowed_policies: ['dr-promote'], orphan: true, renewable: false, token_type: 'batch' })).status).toBe(204);
      const drToken = await tokenOn(world, south, {});
      const batch = (await post(world, south, 'auth/token/create/dr-batch', { ttl: '1h' })).body.auth.client_token as string;
      await world.waitForReplication();
      await south.setFault('down');
      expect((await post(world, southDr, 'sys/replication/dr/secondary/promote', { dr_operation_token: batch }, null)).status).toBe(200);
      await waitFor(() => southDr.performanceStatus().connection_state === 'ready');
      expect(southDr.performanceMode()).toBe('secondary');
      expect(southDr.performanceStatus()).toMatchObject({ secondary_id: 'south', primary_cluster_addr: east.address });
      // DR replication carried south's own (local) tokens.
      expect((await get(world, southDr, 'auth/token/lookup-self', drToken)).status).toBe(200);
      expect((await writeSecret(world, southDr, 'from-south-dr', { v: 1 })).status).toBe(204);
      expect(world.observer.clientWrites().at(-1)).toMatchObject({ cluster: 'east', via: 'south-dr' });
    } finally {
      await world.stop();
    }
  });
});

describe('a performance primary newer than its secondary (replication.newerPrimary, as for DR)', () => {
  it.each([
    ['refused', false],
    ['stream-stops', false],
    ['streams', true],
  ] as const)('%s: WALs flow to the older secondary: %s', async (setting, flows) => {
    const t = await three({ replication: { newerPrimary: setting } });
    try {
      t.east.setVersion('1.22.0+ent');
      await writeSecret(t.world, t.east, 'v', { v: 1 });
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(t.south.performanceStatus().connection_state).toBe(flows ? 'ready' : 'transient_failure');
      expect((await readSecret(t.world, t.south, 'v')).status).toBe(flows ? 200 : 404);
    } finally {
      await t.world.stop();
    }
  });
});

describe('refusals', () => {
  it('a DR secondary refuses the performance endpoints (it takes no part), but answers performance/status', async () => {
    const t = await three();
    try {
      const res = await post(t.world, t.west, `${PERF}/primary/secondary-token`, { id: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(['path disabled in replication DR secondary mode']);
      expect((await get(t.world, t.west, `${PERF}/status`)).status).toBe(200);
    } finally {
      await t.world.stop();
    }
  });

  it('primary/enable on a performance secondary: it must be promoted', async () => {
    const t = await three();
    try {
      const res = await post(t.world, t.south, `${PERF}/primary/enable`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatch(/promote/);
    } finally {
      await t.world.stop();
    }
  });

  it('update_primary_addrs on a performance-demoted cluster needs an activation token instead', async () => {
    const t = await three({ timings: { demoteMs: 0 } });
    try {
      expect((await post(t.world, t.east, `${PERF}/primary/demote`)).status).toBe(200);
      const res = await post(t.world, t.east, `${PERF}/secondary/update-primary`, { update_primary_addrs: [t.south.address] });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatch(/demoted/);
    } finally {
      await t.world.stop();
    }
  });

  it('promote in merkle-diff is refused without force, done with it (after an update-primary with a key-bound token)', async () => {
    const t = await three({ timings: { merkleDiffMs: 60_000, promoteMs: 0 } });
    try {
      const key = (await post(t.world, t.south, `${PERF}/secondary/generate-public-key`)).body.data.secondary_public_key as string;
      const issued = await post(t.world, t.east, `${PERF}/primary/secondary-token`, { id: 'south-2', secondary_public_key: key });
      expect(issued.body.wrap_info).toBeNull();
      expect((await post(t.world, t.south, `${PERF}/secondary/update-primary`, { token: issued.body.data.token })).status).toBe(200);
      await waitFor(() => t.south.performanceStatus().state === 'merkle-diff');
      const refused = await post(t.world, t.south, `${PERF}/secondary/promote`);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toMatch(/merkle-diff/);
      expect((await post(t.world, t.south, `${PERF}/secondary/promote`, { force: true })).status).toBe(200);
      await waitFor(() => t.south.performanceMode() === 'primary');
    } finally {
      await t.world.stop();
    }
  });
});

describe('the observer: who can serve client reads', () => {
  it('a DR secondary cannot, a performance secondary and a primary can; a cut clients network or a transition closes the interval', async () => {
    const t = await three({ timings: { promoteMs: 30 } });
    try {
      expect(t.world.observer.readableNow().sort()).toEqual(['east', 'south']);
      await t.south.setNetwork('clients', 'blackhole');
      expect(t.world.observer.readableNow()).toEqual(['east']);
      await t.south.setNetwork('clients', 'up');
      expect((await post(t.world, t.south, `${PERF}/secondary/promote`)).status).toBe(200);
      expect(t.world.observer.readableNow()).toEqual(['east']);
      await waitFor(() => t.world.observer.readableNow().includes('south'));
      const south = t.world.observer.readableIntervals().filter((i) => i.cluster === 'south');
      expect(south).toHaveLength(3);
      expect(south.slice(0, 2).every((i) => i.to !== undefined)).toBe(true);
      expect(t.world.observer.events().filter((e) => e.kind === 'readable' && e.cluster === 'south').map((e) => e.detail)).toEqual([
        'can serve client reads',
        'can no longer serve client reads',
        'can serve client reads',
        'can no longer serve client reads',
        'can serve client reads',
      ]);
    } finally {
      await t.world.stop();
    }
  });
});

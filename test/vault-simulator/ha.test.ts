/**
 * Raft and HA inside a cluster: one active node, standbys that forward requests to it and answer
 * sys/health themselves, elections after the active node is lost (with quorum) and none without,
 * and standbys that learn the active node's replication mode late.
 */
import { call, callAnswered, callClient, outcome, waitFor, writeSecret } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';
import { FUNCTION_ROLES } from './testing/roles';

const ELECTION_MS = 30_000;

function standbyIndex(cluster: SimulatedCluster): number {
  return cluster.nodes.findIndex((n) => n.role() === 'standby' && n.fault() === 'none');
}

describe('standbys', () => {
  let pair: VaultPair;
  beforeAll(async () => {
    pair = await startVaultPair({ healthChecks: false, seed: 2 });
  });
  afterAll(() => pair.stop());

  it('forward every request to the active node: writes land wherever the load balancer sends them', async () => {
    const east = pair.clusters[0];
    east.clearRequests();
    for (let i = 0; i < 20; i++) expect((await writeSecret(pair, east, `k${i}`, { i })).status).toBe(204);
    const receivers = new Set(east.requests().map((r) => r.node));
    expect(receivers.size).toBeGreaterThan(1);
    // Every write was applied by the active node.
    expect(new Set(pair.observer.clientWrites().map((w) => w.node))).toEqual(new Set([east.activeNode()?.id]));
  });

  it('answer sys/health 429, 200 with standbyok; the active node 200 and its last_wal', async () => {
    const east = pair.clusters[0];
    east.answerHealthFrom('standby');
    const standby = await call(pair, east, { path: 'sys/health' });
    expect(standby.status).toBe(429);
    expect(standby.body).toMatchObject({ standby: true, replication_dr_mode: 'primary', ha_connection_healthy: true });
    expect((await call(pair, east, { path: 'sys/health?standbyok=true' })).status).toBe(200);
    east.answerHealthFrom('active');
    const active = await call(pair, east, { path: 'sys/health' });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ standby: false, last_wal: east.lastWal() });
    east.answerHealthFrom('any');
  });

  it('answer 472 on every node of a DR secondary, standbyok or not', async () => {
    const west = pair.clusters[1];
    for (const from of ['standby', 'active'] as const) {
      west.answerHealthFrom(from);
      expect((await call(pair, west, { path: 'sys/health' })).status).toBe(472);
      expect((await call(pair, west, { path: 'sys/health?standbyok=true' })).status).toBe(472);
    }
    west.answerHealthFrom('any');
  });

  it('answer sys/leader with the active node, not themselves', async () => {
    const east = pair.clusters[0];
    const seen = new Set<boolean>();
    for (let i = 0; i < 20; i++) {
      const leader = await call(pair, east, { path: 'sys/leader' });
      expect(leader.body.leader_address).toContain(east.activeNode()?.id);
      seen.add(leader.body.is_self);
    }
    expect(seen).toEqual(new Set([true, false]));
  });
});

describe('performance standbys (a setting)', () => {
  it('answer 473, 200 with perfstandbyok, when the setting is on; 429 when it is off', async () => {
    for (const [performanceStandbys, code] of [
      [true, 473],
      [false, 429],
    ] as const) {
      const pair = await startVaultPair({ performanceStandbys });
      try {
        const east = pair.clusters[0];
        east.answerHealthFrom('standby');
        const res = await call(pair, east, { path: 'sys/health' });
        expect(res.status).toBe(code);
        expect(res.body.performance_standby).toBe(performanceStandbys);
        expect((await call(pair, east, { path: 'sys/health?perfstandbyok=true&standbyok=true' })).status).toBe(200);
      } finally {
        await pair.stop();
      }
    }
  });
});

describe('elections', () => {
  let pair: VaultPair;
  let east: SimulatedCluster;
  beforeEach(async () => {
    pair = await startVaultPair({ healthChecks: false, timings: { electionMs: ELECTION_MS } });
    east = pair.clusters[0];
  });
  afterEach(() => pair.stop());

  it('elect a standby after electionMs when the active node dies and a majority is alive', async () => {
    const old = east.activeNode()?.id as string;
    await east.node(old).setFault('refused');
    const startedAt = pair.observer.events().find((e) => e.kind === 'election')?.at as number;
    expect(east.activeNode()).toBeUndefined();
    expect(east.canAcceptClientWrites()).toBe(false);
    // Meanwhile standbys have no active node to forward to or heartbeat.
    east.answerHealthFrom('standby');
    expect((await callAnswered(pair, east, { path: 'sys/health?standbyok=true' })).status).toBe(474);
    const forwarded = await callAnswered(pair, east, { path: 'sys/replication/dr/status' });
    expect(forwarded.status).toBe(500);
    expect(forwarded.body).toEqual({ errors: ['local node not active but active cluster node not found'] });
    // Real time runs on the simulated clock too: count what the requests above took.
    pair.advanceClock(startedAt + ELECTION_MS - pair.now() - 100);
    expect(east.activeNode()).toBeUndefined();
    pair.advanceClock(100);
    const elected = east.activeNode()?.id;
    expect(elected).toBeDefined();
    expect(elected).not.toBe(old);
    expect(east.canAcceptClientWrites()).toBe(true);
    expect((await callAnswered(pair, east, { path: 'sys/health?standbyok=true' })).status).toBe(200);
    expect(pair.observer.events().filter((e) => e.kind === 'election' || e.kind === 'node-role').map((e) => e.detail)).toEqual([
      'active node is refused: steps down',
      expect.stringMatching(/^election started \(4 of 5 voters/),
      'became the active node',
    ]);
  });

  it('elect no one without quorum, however long; regaining quorum starts an election', async () => {
    const old = east.activeNode()?.id as string;
    await east.node(old).setFault('sealed');
    for (const index of [0, 1, 2, 3, 4].filter((i) => `east-${i}` !== old).slice(0, 2)) await east.setNodeFault(index, 'blackhole');
    pair.advanceClock(10 * ELECTION_MS);
    expect(east.activeNode()).toBeUndefined();
    expect(east.canAcceptClientWrites()).toBe(false);
    for (let i = 0; i < 5; i++) {
      const write = await outcome(callClient(pair, east, { method: 'POST', path: 'secret/x', token: pair.rootToken, body: { a: 1 }, timeoutMs: 300 }));
      expect([500, 503, 'ETIMEDOUT']).toContain(write);
    }
    expect(pair.observer.clientWrites()).toEqual([]);
    await east.node(old).setFault('none');
    expect(east.activeNode()).toBeUndefined();
    pair.advanceClock(ELECTION_MS);
    expect(east.activeNode()).toBeDefined();
  });

  it('keeps the active node when a standby dies', async () => {
    const active = east.activeNode()?.id;
    await east.setNodeFault(standbyIndex(east), 'refused');
    expect(east.activeNode()?.id).toBe(active);
  });
});

describe('standbys learn the replication mode late (standbyModeLagMs, a setting)', () => {
  async function promotedPair(standbyModeLagMs: number): Promise<VaultPair> {
    const pair = await startVaultPair({ healthChecks: false, transitionMs: 0, timings: { standbyModeLagMs } });
    await pair.configureDr(FUNCTION_ROLES);
    const { token } = await pair.createDrBatchToken();
    await pair.clusters[0].setFault('down');
    const promote = await call(pair, pair.clusters[1], { method: 'POST', path: 'sys/replication/dr/secondary/promote', body: { dr_operation_token: token } });
    expect(promote.status).toBe(200);
    await waitFor(() => pair.clusters[1].isAnsweringPrimary());
    return pair;
  }

  it('with a lag, a standby still answers 472 after the promotion, then 200 once it has learned', async () => {
    const pair = await promotedPair(5_000);
    try {
      const west = pair.clusters[1];
      west.answerHealthFrom('active');
      expect((await call(pair, west, { path: 'sys/health?standbyok=true' })).status).toBe(200);
      west.answerHealthFrom('standby');
      const stale = await call(pair, west, { path: 'sys/health?standbyok=true' });
      expect(stale.status).toBe(472);
      expect(stale.body.replication_dr_mode).toBe('secondary');
      pair.advanceClock(5_000);
      expect((await call(pair, west, { path: 'sys/health?standbyok=true' })).status).toBe(200);
    } finally {
      await pair.stop();
    }
  });

  it('without a lag, a standby answers 200 at once', async () => {
    const pair = await promotedPair(0);
    try {
      const west = pair.clusters[1];
      west.answerHealthFrom('standby');
      expect((await call(pair, west, { path: 'sys/health?standbyok=true' })).status).toBe(200);
    } finally {
      await pair.stop();
    }
  });
});

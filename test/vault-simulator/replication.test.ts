/**
 * Each cluster has its own storage; a primary's writes reach its DR secondaries through a WAL
 * stream with lag, visible in sys/replication/dr/status. A partition stops the stream; a promoted
 * secondary has what it received (the RPO is measurable); a demoted cluster keeps its data; a
 * re-attached secondary re-syncs (merkle-diff, merkle-sync) and then holds only its primary's data.
 */
import { call, callClient, waitFor, writeSecret } from './testing/call';
import { startVaultPair, startVaultWorld } from './index';
import type { StartVaultPairOptions, VaultPair, VaultWorld } from './index';
import { FUNCTION_ROLES } from './testing/roles';
import { BatchTokenRegistry } from './batch-tokens';
import { SimulatedClock } from './clock';
import { SecretLog } from './secrets';
import { ClusterState } from './state';
import { TokenStore } from './token-store';
import { WalLog } from './wal';

const LAG_MS = 5_000;
const PROMOTE = 'sys/replication/dr/secondary/promote';
const DEMOTE = 'sys/replication/dr/primary/demote';

async function lagging(options: StartVaultPairOptions = {}): Promise<VaultPair> {
  const pair = await startVaultPair({ healthChecks: false, transitionMs: 0, ...options, timings: { walLagMs: LAG_MS, ...(options.timings ?? {}) } });
  await pair.configureDr(FUNCTION_ROLES, { advanceClock: true });
  return pair;
}

const dr = (pair: VaultWorld, name: string) => pair.cluster(name).drStatus();

describe('the WAL log', () => {
  it('gives a due time to the first undelivered entry even once it is due, so the stream never stalls on it', () => {
    // The replication engine asks latestDue() then nextDueAt(); the clock moves in between, so an
    // entry can fall due after the first call. It must still get a (past) due time to be pumped.
    const clock = new SimulatedClock(1);
    const secrets = new SecretLog();
    const state = new ClusterState(clock, secrets, { stsEndpoint: undefined, iamServerIdHeaderValue: undefined }, new BatchTokenRegistry(clock), new TokenStore(clock, secrets).issueRoot());
    const wal = new WalLog(state, clock);
    state.kv.set('app/config', { data: { a: 1 }, writeId: 'test#1' });
    const entry = wal.commitIfChanged();
    expect(entry?.index).toBe(1);
    expect(wal.nextDueAt(0, 10)).toBe((entry?.at as number) + 10);
    clock.advance(50);
    expect(wal.nextDueAt(0, 10)).toBe((entry?.at as number) + 10);
    expect(wal.latestDue(0, 10)).toBe(entry);
    expect(wal.nextDueAt(1, 10)).toBeUndefined();
    clock.stop();
  });
});

describe('the WAL stream', () => {
  let pair: VaultPair;
  beforeEach(async () => {
    pair = await lagging();
  });
  afterEach(() => pair.stop());

  it('carries a write to the secondary walLagMs later; last_wal and last_remote_wal show the gap', async () => {
    const before = dr(pair, 'east').last_wal as number;
    expect(dr(pair, 'west').last_remote_wal).toBe(before);
    expect((await writeSecret(pair, pair.clusters[0], 'app', { v: 1 })).status).toBe(204);
    expect(dr(pair, 'east')).toMatchObject({ last_wal: before + 1, last_dr_wal: before + 1 });
    expect(dr(pair, 'west').last_remote_wal).toBe(before);
    expect(pair.observer.writesHeldBy('west')).toEqual([]);
    pair.advanceClock(LAG_MS);
    expect(dr(pair, 'west').last_remote_wal).toBe(before + 1);
    expect(pair.observer.writesHeldBy('west')).toEqual([`east#${before + 1}`]);
  });

  it('stops while the replication network is cut; heartbeats go stale; it catches up once restored', async () => {
    const [east, west] = pair.clusters;
    await west.setNetwork('replication', 'blackhole');
    expect(dr(pair, 'west')).toMatchObject({ connection_state: 'transient_failure', state: 'stream-wals', primaries: [{ connection_status: 'disconnected' }] });
    expect(dr(pair, 'east').secondaries).toEqual([expect.objectContaining({ node_id: 'west', connection_status: 'disconnected' })]);
    const beatAtCut = Date.parse(dr(pair, 'west').primaries?.[0]?.last_heartbeat as string);
    await writeSecret(pair, east, 'during-cut', { v: 1 });
    pair.advanceClock(10 * 60_000);
    expect(dr(pair, 'west').last_remote_wal).toBeLessThan(east.lastWal());
    expect(Date.parse(dr(pair, 'west').primaries?.[0]?.last_heartbeat as string)).toBe(beatAtCut);
    expect(pair.now() - beatAtCut).toBeGreaterThanOrEqual(10 * 60_000);

    await west.setNetwork('replication', 'up');
    expect(dr(pair, 'west').connection_state).toBe('ready');
    expect(Date.parse(dr(pair, 'west').primaries?.[0]?.last_heartbeat as string)).toBeGreaterThan(beatAtCut + 10 * 60_000 - 1);
    // The write is older than the lag: it is applied as soon as the link is back.
    expect(dr(pair, 'west').last_remote_wal).toBe(east.lastWal());
  });

  it('heartbeats keep coming while the link is up', () => {
    const first = Date.parse(dr(pair, 'west').primaries?.[0]?.last_heartbeat as string);
    pair.advanceClock(60_000);
    expect(Date.parse(dr(pair, 'west').primaries?.[0]?.last_heartbeat as string)).toBeGreaterThanOrEqual(first + 59_000);
  });
});

describe('what the clusters hold after a failover (RPO)', () => {
  let pair: VaultPair;
  let token: string;
  beforeEach(async () => {
    pair = await lagging();
    token = (await pair.createDrBatchToken()).token;
  });
  afterEach(() => pair.stop());

  async function failOver(): Promise<void> {
    const [east, west] = pair.clusters;
    await east.setFault('down');
    expect((await call(pair, west, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } })).status).toBe(200);
    await waitFor(() => west.isAnsweringPrimary());
  }

  it('a promoted lagging secondary lacks exactly the writes it had not received', async () => {
    const [east, west] = pair.clusters;
    await writeSecret(pair, east, 'replicated', { v: 1 });
    pair.advanceClock(LAG_MS);
    await writeSecret(pair, east, 'lost', { v: 2 });
    await failOver();
    const missing = pair.observer.writesMissingFrom('west');
    expect(missing.map((w) => w.path)).toEqual(['lost']);
    expect((await callClient(pair, west, { path: 'secret/replicated', token: pair.rootToken })).body.data).toEqual({ v: 1 });
    expect((await callClient(pair, west, { path: 'secret/lost', token: pair.rootToken })).status).toBe(404);
    // It continues the WAL numbering from what it received.
    expect(dr(pair, 'west').last_wal).toBe(missing[0]?.walIndex as number - 1);
  });

  it('a secondary that had caught up loses nothing', async () => {
    await writeSecret(pair, pair.clusters[0], 'replicated', { v: 1 });
    pair.advanceClock(LAG_MS);
    await failOver();
    expect(pair.observer.writesMissingFrom('west')).toEqual([]);
  });

  it('a service token made on the primary reaches the secondary only through the stream; a batch token is valid at once', async () => {
    const [east, west] = pair.clusters;
    await west.setNetwork('replication', 'blackhole');
    const service = (await call(pair, east, { method: 'POST', path: 'auth/token/create', token: pair.rootToken, body: { policies: ['default'] } })).body.auth.client_token as string;
    const batch = (await pair.createDrBatchToken()).token;
    await failOver();
    expect((await call(pair, west, { path: 'auth/token/lookup-self', token: service })).status).toBe(403);
    expect((await call(pair, west, { path: 'auth/token/lookup-self', token: batch })).status).toBe(200);
  });
});

describe('the keyring', () => {
  it("a cluster that never replicated the primary's keyring refuses its batch tokens; once attached it accepts them", async () => {
    const pair = await startVaultPair({ initialState: 'primary-only', healthChecks: false });
    try {
      const [east, west] = pair.clusters;
      await pair.configureDr(FUNCTION_ROLES);
      const { token } = await pair.createDrBatchToken();
      expect((await call(pair, west, { path: 'auth/token/lookup-self', token })).status).toBe(403);
      const activation = (await call(pair, east, { method: 'POST', path: 'sys/replication/dr/primary/secondary-token', token: pair.rootToken, body: { id: 'west' } })).body.wrap_info.token;
      expect((await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/enable', token: pair.rootToken, body: { token: activation } })).status).toBe(200);
      await west.setNetwork('replication', 'blackhole');
      await east.setFault('down');
      const promote = await call(pair, west, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } });
      expect(promote.status).toBe(200);
    } finally {
      await pair.stop();
    }
  });
});

describe('demote, re-attach and WAL indexes', () => {
  it('a demoted cluster keeps its data; re-attached by update-primary it re-syncs and holds only its new primary\'s', async () => {
    const pair = await lagging({ timings: { merkleDiffMs: 2_000, merkleSyncMs: 8_000 } });
    try {
      const [east, west] = pair.clusters;
      const { token } = await pair.createDrBatchToken();
      // West promoted while east still runs: both accept writes (a split brain).
      expect((await call(pair, west, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } })).status).toBe(200);
      await waitFor(() => west.isAnsweringPrimary());
      await writeSecret(pair, east, 'east-only', { v: 'e' });
      await writeSecret(pair, west, 'west-only', { v: 'w' });
      expect((await call(pair, east, { method: 'POST', path: DEMOTE, token: pair.rootToken })).status).toBe(200);
      await waitFor(() => east.drMode() === 'secondary');
      expect(pair.observer.writesHeldBy('east')).toContain(pair.observer.clientWrites()[0]?.id);

      const key = (await call(pair, east, { method: 'POST', path: 'sys/replication/dr/secondary/generate-public-key' })).body.data.secondary_public_key;
      const activation = (await call(pair, west, { method: 'POST', path: 'sys/replication/dr/primary/secondary-token', token: pair.rootToken, body: { id: 'east', secondary_public_key: key } })).body.data.token;
      expect((await call(pair, east, { method: 'POST', path: 'sys/replication/dr/secondary/update-primary', body: { dr_operation_token: token, token: activation } })).status).toBe(200);
      expect(dr(pair, 'east').state).toBe('merkle-diff');
      pair.advanceClock(2_000);
      expect(dr(pair, 'east').state).toBe('merkle-sync');
      // Until merkle-sync completes, east still holds its own write.
      expect(pair.observer.writesHeldBy('east').some((id) => id.startsWith('east#'))).toBe(true);
      pair.advanceClock(8_000);
      expect(dr(pair, 'east')).toMatchObject({ state: 'stream-wals', connection_state: 'ready', last_remote_wal: west.lastWal() });
      const held = pair.observer.writesHeldBy('east');
      expect(held).toEqual(pair.observer.writesHeldBy('west'));
      expect(pair.observer.writesMissingFrom('east').map((w) => w.path)).toEqual(['east-only']);
    } finally {
      await pair.stop();
    }
  });

  it('a re-sync phase waits for the link: a cut replication network holds it in merkle-diff', async () => {
    const pair = await startVaultPair({ initialState: 'primary-only', timings: { merkleDiffMs: 1_000 } });
    try {
      const [east, west] = pair.clusters;
      const activation = (await call(pair, east, { method: 'POST', path: 'sys/replication/dr/primary/secondary-token', token: pair.rootToken, body: { id: 'west' } })).body.wrap_info.token;
      expect((await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/enable', token: pair.rootToken, body: { token: activation } })).status).toBe(200);
      await west.setNetwork('replication', 'blackhole');
      pair.advanceClock(60_000);
      expect(dr(pair, 'west').state).toBe('merkle-diff');
      await west.setNetwork('replication', 'up');
      expect(dr(pair, 'west').state).toBe('stream-wals');
    } finally {
      await pair.stop();
    }
  });

  it.each([
    ['kept', 'continued'],
    ['reset', 'reset'],
  ] as const)('walIndexAfterDemote %s, walIndexAfterPromote %s: what the two clusters report', async (afterDemote, afterPromote) => {
    const pair = await lagging({ replication: { walIndexAfterDemote: afterDemote, walIndexAfterPromote: afterPromote } });
    try {
      const [east, west] = pair.clusters;
      const { token } = await pair.createDrBatchToken();
      await writeSecret(pair, east, 'a', { v: 1 });
      pair.advanceClock(LAG_MS);
      await writeSecret(pair, east, 'b', { v: 2 });
      const eastWal = east.lastWal();
      const westWal = dr(pair, 'west').last_remote_wal as number;
      expect(westWal).toBe(eastWal - 1);
      expect((await call(pair, east, { method: 'POST', path: DEMOTE, token: pair.rootToken })).status).toBe(200);
      await waitFor(() => east.drMode() === 'secondary');
      // Both are DR secondaries now: which holds the later data?
      expect(dr(pair, 'east').last_remote_wal).toBe(afterDemote === 'kept' ? eastWal : 0);
      expect((await call(pair, west, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } })).status).toBe(200);
      await waitFor(() => west.isAnsweringPrimary());
      expect(dr(pair, 'west').last_wal).toBe(afterPromote === 'continued' ? westWal : 0);
    } finally {
      await pair.stop();
    }
  });
});

describe('stateWhileDisconnected (a setting)', () => {
  it.each([
    ['stream-wals', 'stream-wals'],
    ['idle', 'idle'],
  ] as const)('%s: a secondary whose primary is gone reports state %s', async (setting, expected) => {
    const pair = await startVaultPair({ replication: { stateWhileDisconnected: setting } });
    try {
      await pair.clusters[0].setFault('down');
      expect(pair.clusters[1].drStatus()).toMatchObject({ state: expected, connection_state: 'transient_failure' });
      await pair.clusters[0].setFault('none');
      expect(pair.clusters[1].drStatus()).toMatchObject({ state: 'stream-wals', connection_state: 'ready' });
    } finally {
      await pair.stop();
    }
  });
});

describe('versions', () => {
  it('refuses to attach a secondary older than its primary, naming both versions', async () => {
    const pair = await startVaultPair({ initialState: 'primary-only', versions: ['1.21.0+ent', '1.20.4+ent'] });
    try {
      const [east, west] = pair.clusters;
      const activation = (await call(pair, east, { method: 'POST', path: 'sys/replication/dr/primary/secondary-token', token: pair.rootToken, body: { id: 'west' } })).body.wrap_info.token;
      const enable = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/enable', token: pair.rootToken, body: { token: activation } });
      expect(enable.status).toBe(400);
      expect(enable.body.errors[0]).toMatch(/1\.21\.0\+ent.*newer.*1\.20\.4\+ent/);
      expect(west.drMode()).toBe('disabled');
      expect((await call(pair, west, { path: 'sys/health?standbyok=true' })).body.version).toBe('1.20.4+ent');
    } finally {
      await pair.stop();
    }
  });

  it('stops the stream when the primary is upgraded past its secondary, and resumes once the secondary catches up', async () => {
    const pair = await startVaultPair();
    try {
      const [east, west] = pair.clusters;
      east.setVersion('1.22.0+ent');
      expect(west.drStatus().connection_state).toBe('transient_failure');
      west.setVersion('1.22.0+ent');
      expect(west.drStatus().connection_state).toBe('ready');
      // Upgrading the secondary first is the documented order: the stream never stops.
      west.setVersion('1.23.0+ent');
      expect(west.drStatus().connection_state).toBe('ready');
      expect(() => east.setVersion('latest')).toThrow(/must look like "1.21.0\+ent"/);
    } finally {
      await pair.stop();
    }
  });
});

describe('a world of three clusters', () => {
  it('streams from one primary to two DR secondaries', async () => {
    const world = await startVaultWorld({
      healthChecks: false,
      clusters: [
        { name: 'east', dr: 'primary' },
        { name: 'west', dr: { secondaryOf: 'east' } },
        { name: 'south', dr: { secondaryOf: 'east' }, nodes: 3 },
      ],
    });
    try {
      const east = world.cluster('east');
      expect(east.drStatus().known_secondaries).toEqual(['west', 'south']);
      await writeSecret(world, east, 'x', { v: 1 });
      await world.waitForReplication();
      expect(world.observer.writesHeldBy('west')).toEqual(world.observer.writesHeldBy('south'));
      expect(world.cluster('south').nodes).toHaveLength(3);
    } finally {
      await world.stop();
    }
  });
});

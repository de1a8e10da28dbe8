/**
 * Vault version upgrades: versions per node (sys/health answers the answering node's), a cluster's
 * version is its active node's, autopilot's automated upgrades (new nodes non-voters until they are
 * as many as the old voters, then promoted, with a leadership transfer), and what a DR primary newer
 * than its secondary does, both ways of the `replication.newerPrimary` setting. Expectations from
 * HashiCorp's docs: autopilot "automated upgrades", "upgrading replicated deployments", and the DR
 * API's promote ("It is not safe to replicate from a newer version of Vault to an older version").
 */
import { call, waitFor, writeSecret } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, StartVaultPairOptions, VaultPair } from './index';

const OLD = '1.21.0+ent';
const NEW = '1.21.3+ent';

async function pair(options: StartVaultPairOptions = {}): Promise<VaultPair> {
  return startVaultPair({ healthChecks: false, transitionMs: 0, timings: { electionMs: 0, walLagMs: 0 }, ...options });
}

const voters = (c: SimulatedCluster) => c.nodes.filter((n) => n.voter()).map((n) => n.id);
const newerPrimaryEvents = (p: VaultPair) => p.observer.events().filter((e) => e.kind === 'replication' && e.detail.startsWith('newer primary'));

describe('versions per node', () => {
  it('sys/health reports the answering node version; the cluster reports its active node version', async () => {
    const p = await pair();
    try {
      const [east] = p.clusters;
      const added = east.addNode({ version: NEW });
      expect(added.version()).toBe(NEW);
      expect(east.version()).toBe(OLD);
      const versions = new Set<string>();
      // The load balancer draws a node per connection: both versions answer, each its own.
      for (let i = 0; i < 60 && versions.size < 2; i++) {
        const health = await call(p, east, { path: 'sys/health?standbyok=true' });
        versions.add(health.body.version);
      }
      east.answerHealthFrom('active');
      expect((await call(p, east, { path: 'sys/health' })).body.version).toBe(OLD);
      expect(versions).toEqual(new Set([OLD, NEW]));
    } finally {
      await p.stop();
    }
  });
});

describe("autopilot's automated upgrades", () => {
  it('keeps new-version nodes non-voters until they are as many as the old voters, then promotes them and moves leadership to one', async () => {
    const p = await pair();
    try {
      const [east] = p.clusters;
      const old = voters(east);
      expect(old).toHaveLength(5);
      for (let i = 1; i <= 4; i++) {
        const node = east.addNode({ version: NEW });
        expect(node.voter()).toBe(false);
        expect(voters(east)).toEqual(old);
        expect(east.version()).toBe(OLD);
      }
      const fifth = east.addNode({ version: NEW });
      // Five new nodes, five old voters: "equal to or greater than the number of voting nodes on the old version".
      expect(fifth.voter()).toBe(true);
      expect(voters(east)).toEqual(east.nodes.filter((n) => n.version() === NEW).map((n) => n.id));
      expect(east.activeNode()?.version()).toBe(NEW);
      expect(east.version()).toBe(NEW);
      expect(p.observer.events().some((e) => e.kind === 'node-role' && /autopilot upgrade to 1\.21\.3\+ent.*leadership transferred/.test(e.detail))).toBe(true);
      // The old nodes are non-voters now: terminating them all leaves the active node and quorum alone.
      const active = east.activeNode()?.id;
      for (const id of old) await east.removeNode(id);
      expect(east.nodes).toHaveLength(5);
      expect(east.activeNode()?.id).toBe(active);
      expect(east.isAnsweringPrimary()).toBe(true);
    } finally {
      await p.stop();
    }
  });

  it('terminating old voters while the new nodes are still non-voters costs the quorum (why runbook 9.3 adds every new node first)', async () => {
    const p = await pair();
    try {
      const [east] = p.clusters;
      east.addNode({ version: NEW });
      east.addNode({ version: NEW });
      // Three old voters stopped without remove-peer: two of five configured voters alive.
      for (const index of [2, 3, 4]) await east.setNodeFault(index, 'refused');
      expect(east.activeNode()).toBeUndefined();
      expect(east.isAnsweringPrimary()).toBe(false);
    } finally {
      await p.stop();
    }
  });

  it('a node of the cluster version joins as a voter; removing the last node is refused', async () => {
    const p = await pair({ nodes: 1 });
    try {
      const [east] = p.clusters;
      expect(east.addNode().voter()).toBe(true);
      await east.removeNode(0);
      await expect(east.removeNode(0)).rejects.toThrow(/last node/);
      expect(() => east.addNode({ version: 'next' })).toThrow(/addNode version must look like/);
    } finally {
      await p.stop();
    }
  });
});

describe('a DR primary newer than its secondary', () => {
  it.each(['refused', 'stream-stops', 'streams'] as const)('upgrading the secondary first never inverts the versions (%s)', async (newerPrimary) => {
    const p = await pair({ replication: { newerPrimary } });
    try {
      const [east, west] = p.clusters;
      for (const c of [west, east]) for (let i = 0; i < 5; i++) c.addNode({ version: NEW });
      expect([east.version(), west.version()]).toEqual([NEW, NEW]);
      await writeSecret(p, east, 'after', { v: 1 });
      await p.waitForReplication();
      expect(west.drStatus()).toMatchObject({ state: 'stream-wals', connection_state: 'ready' });
      expect(newerPrimaryEvents(p)).toEqual([]);
    } finally {
      await p.stop();
    }
  });

  it.each([undefined, 'stream-stops'] as const)('%s (undefined: the default, refused): the primary upgraded first, the stream stops, visible in dr/status on both ends, until the secondary catches up', async (newerPrimary) => {
    const p = await pair(newerPrimary === undefined ? {} : { replication: { newerPrimary } });
    try {
      const [east, west] = p.clusters;
      for (let i = 0; i < 5; i++) east.addNode({ version: NEW });
      expect(east.version()).toBe(NEW);
      const secondary = (await call(p, west, { path: 'sys/replication/dr/status' })).body.data;
      expect(secondary).toMatchObject({ connection_state: 'transient_failure', primaries: [{ connection_status: 'disconnected' }] });
      expect((await call(p, east, { path: 'sys/replication/dr/status' })).body.data.secondaries[0].connection_status).toBe('disconnected');
      await writeSecret(p, east, 'unsent', { v: 1 });
      const written = p.observer.clientWrites().at(-1)?.id as string;
      p.advanceClock(10_000);
      expect(p.observer.writesHeldBy('west')).not.toContain(written);
      expect(newerPrimaryEvents(p).map((e) => e.detail)).toEqual([`newer primary: east runs ${NEW}, newer than this secondary's ${OLD}; nothing streams`]);
      west.setVersion(NEW);
      await waitFor(() => p.observer.writesHeldBy('west').includes(written));
      expect(west.drStatus().connection_state).toBe('ready');
    } finally {
      await p.stop();
    }
  });

  it('streams: Vault does not check, the WALs flow, and the observer records the inversion as not safe', async () => {
    const p = await pair({ replication: { newerPrimary: 'streams' } });
    try {
      const [east, west] = p.clusters;
      east.setVersion(NEW);
      await writeSecret(p, east, 'sent', { v: 1 });
      const written = p.observer.clientWrites().at(-1)?.id as string;
      await waitFor(() => p.observer.writesHeldBy('west').includes(written));
      expect(west.drStatus().connection_state).toBe('ready');
      expect(newerPrimaryEvents(p).map((e) => e.detail)).toEqual([`newer primary: east runs ${NEW}, newer than this secondary's ${OLD}; it streams anyway, which is not safe`]);
    } finally {
      await p.stop();
    }
  });

  it.each([
    ['refused', 400, undefined],
    ['stream-stops', 200, 'transient_failure'],
    ['streams', 200, 'ready'],
  ] as const)('%s: attaching an older secondary answers %s (then its connection is %s)', async (newerPrimary, status, connection) => {
    const p = await pair({ initialState: 'primary-only', versions: [NEW, OLD], replication: { newerPrimary } });
    try {
      const [east, west] = p.clusters;
      const activation = (await call(p, east, { method: 'POST', path: 'sys/replication/dr/primary/secondary-token', token: p.rootToken, body: { id: 'west' } })).body.wrap_info.token;
      const enable = await call(p, west, { method: 'POST', path: 'sys/replication/dr/secondary/enable', token: p.rootToken, body: { token: activation } });
      expect(enable.status).toBe(status);
      if (status === 400) expect(enable.body.errors[0]).toMatch(/the primary runs Vault 1\.21\.3\+ent, newer than this cluster's 1\.21\.0\+ent/);
      expect(west.drMode()).toBe(status === 200 ? 'secondary' : 'disabled');
      if (connection !== undefined) {
        p.advanceClock(1000);
        expect(west.drStatus().connection_state).toBe(connection);
      }
    } finally {
      await p.stop();
    }
  });

  it('refuses an unknown setting value, naming the choices', async () => {
    await expect(pair({ replication: { newerPrimary: 'maybe' as never } })).rejects.toThrow(/replication.newerPrimary must be one of refused, stream-stops, streams, got maybe/);
  });
});

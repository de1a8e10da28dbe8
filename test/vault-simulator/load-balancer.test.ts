/**
 * The load balancer in front of each cluster: a node per connection (seeded), node faults seen on
 * the connections routed to that node only, and the NLB target group's health checks (out after
 * interval x unhealthy threshold, back after the healthy threshold, fail open when all fail).
 */
import https from 'node:https';
import tls from 'node:tls';
import { call, keepAliveGet, outcome } from './testing/call';
import { startVaultPair } from './index';
import type { TargetHealthChecks, VaultPair } from './index';

const HEALTH = 'sys/health?standbyok=true';

async function nodesOf(pair: VaultPair, connections: number): Promise<string[]> {
  const east = pair.clusters[0];
  east.clearRequests();
  for (let i = 0; i < connections; i++) await call(pair, east, { path: HEALTH });
  return east.requests().map((r) => r.node);
}

describe('node choice', () => {
  it('spreads new connections over the nodes, and the same seed replays the same choices', async () => {
    const runs: string[][] = [];
    for (const seed of [7, 7, 8]) {
      const pair = await startVaultPair({ seed, healthChecks: false });
      try {
        expect(pair.seed).toBe(seed);
        runs.push(await nodesOf(pair, 30));
      } finally {
        await pair.stop();
      }
    }
    const [first, replay, other] = runs as [string[], string[], string[]];
    expect(new Set(first).size).toBe(5);
    expect(replay).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('keeps a keep-alive connection on the node it was given', async () => {
    const pair = await startVaultPair({ healthChecks: false });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const east = pair.clusters[0];
      for (let i = 0; i < 8; i++) expect(await keepAliveGet(pair, east.address, HEALTH, agent, 1000)).toBe(200);
      expect(new Set(east.requests().map((r) => r.node)).size).toBe(1);
    } finally {
      agent.destroy();
      await pair.stop();
    }
  });

  it('shows a fault of one node on the connections routed to it only', async () => {
    const pair = await startVaultPair({ healthChecks: false, seed: 11 });
    try {
      const east = pair.clusters[0];
      await east.setNodeFault('east-2', 'error500');
      east.clearRequests();
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await call(pair, east, { path: HEALTH })).status);
      expect(statuses).toContain(500);
      expect(statuses).toContain(200);
      const log = east.requests();
      expect(log.filter((r) => r.status === 500).every((r) => r.node === 'east-2')).toBe(true);
      expect(log.filter((r) => r.node === 'east-2').every((r) => r.status === 500)).toBe(true);
      // The cluster as a whole still accepts writes: the active node and the other standbys answer.
      expect(east.canAcceptClientWrites()).toBe(true);
    } finally {
      await pair.stop();
    }
  });

  it("resets connections routed to a 'refused' node; with every node refusing, the port refuses", async () => {
    const pair = await startVaultPair({ healthChecks: false, seed: 3 });
    try {
      const east = pair.clusters[0];
      await east.setNodeFault(4, 'refused');
      const results: (number | string)[] = [];
      for (let i = 0; i < 30; i++) results.push(await outcome(call(pair, east, { path: HEALTH })));
      expect(results).toContain(200);
      expect(results.filter((r) => r !== 200).length).toBeGreaterThan(0);
      expect(results.every((r) => r === 200 || r === 'ECONNRESET')).toBe(true);
      await east.setFault('down');
      expect(await outcome(call(pair, east, { path: HEALTH }))).toBe('ECONNREFUSED');
    } finally {
      await pair.stop();
    }
  });
});

describe('target group health checks', () => {
  const CHECKS: TargetHealthChecks = { intervalMs: 10_000, timeoutMs: 5_000, healthyThreshold: 3, unhealthyThreshold: 2 };

  it('takes a failing node out after interval x unhealthy threshold and back after the healthy threshold', async () => {
    const pair = await startVaultPair({ healthChecks: CHECKS });
    try {
      const east = pair.clusters[0];
      const node = east.node(3);
      await node.setFault('sealed');
      pair.advanceClock(10_000);
      expect(node.inRotation()).toBe(true); // one failure
      pair.advanceClock(10_000);
      expect(node.inRotation()).toBe(false); // two
      const routed = await nodesOf(pair, 25);
      expect(routed).not.toContain('east-3');
      await node.setFault('none');
      pair.advanceClock(20_000);
      expect(node.inRotation()).toBe(false); // two passes
      pair.advanceClock(10_000);
      expect(node.inRotation()).toBe(true); // three
      expect(pair.observer.events().filter((e) => e.kind === 'rotation').map((e) => `${e.node} ${e.detail}`)).toEqual([
        'east-3 out of rotation (failed health checks)',
        'east-3 back in rotation',
      ]);
    } finally {
      await pair.stop();
    }
  });

  it('without health checks, a failing node stays in rotation and keeps getting connections', async () => {
    const pair = await startVaultPair({ healthChecks: false, seed: 5 });
    try {
      const east = pair.clusters[0];
      await east.setNodeFault(3, 'sealed');
      pair.advanceClock(600_000);
      expect(east.node(3).inRotation()).toBe(true);
      expect(await nodesOf(pair, 30)).toContain('east-3');
    } finally {
      await pair.stop();
    }
  });

  it('counts a slow node that answers after the probe timeout as failing', async () => {
    const pair = await startVaultPair({ healthChecks: CHECKS, timings: { slowMs: 6_000 } });
    try {
      await pair.clusters[0].setNodeFault(1, 'slow');
      pair.advanceClock(20_000);
      expect(pair.clusters[0].node(1).inRotation()).toBe(false);
    } finally {
      await pair.stop();
    }
  });

  it('fails open when every node fails: connections reach the failing nodes again', async () => {
    const pair = await startVaultPair({ healthChecks: CHECKS });
    try {
      const east = pair.clusters[0];
      await east.setFault('sealed');
      pair.advanceClock(20_000);
      expect(east.nodes.every((n) => !n.inRotation())).toBe(true);
      const res = await call(pair, east, { path: HEALTH });
      expect(res.status).toBe(503);
      expect(res.body.sealed).toBe(true);
    } finally {
      await pair.stop();
    }
  });

  it('resets the open connections of a node that leaves rotation', async () => {
    const pair = await startVaultPair({ healthChecks: CHECKS });
    const east = pair.clusters[0];
    const socket = tls.connect({ host: '127.0.0.1', port: east.port, ca: pair.caPem });
    try {
      await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
      socket.on('error', () => undefined);
      socket.write('GET /v1/sys/health?standbyok=true HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((resolve) => socket.once('data', resolve));
      const node = east.requests()[0]?.node as string;
      await east.node(node).setFault('error500');
      pair.advanceClock(20_000);
      expect(east.node(node).inRotation()).toBe(false);
      expect(await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve(false), 1000))])).toBe(true);
    } finally {
      socket.destroy();
      await pair.stop();
    }
  });
});

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

const post = (world: VaultWorld, cluster: SimulatedCluster, path: string, body: object = {}, token: string | undefined = world.rootToken) =>
  call(world, cluster, { method: 'POST', path, body, ...(token === undefined ? {} : { token }) });
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

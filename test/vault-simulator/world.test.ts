/**
 * Starting worlds: options are checked before anything starts (each error names the field and the
 * fix), and a world starts in milliseconds once the process has its test CA.
 */
import { startVaultPair, startVaultWorld } from './index';
import type { StartVaultWorldOptions } from './index';

describe('options', () => {
  it.each<[string, StartVaultWorldOptions, RegExp]>([
    ['no cluster', { clusters: [] }, /clusters must list at least one cluster/],
    ['a duplicate name', { clusters: [{ name: 'a', dr: 'primary' }, { name: 'a' }] }, /names must differ, got "a" twice/],
    ['a bad name', { clusters: [{ name: 'East 1' }] }, /lower-case letters, digits and dashes/],
    ['a secondary of a non-primary', { clusters: [{ name: 'a' }, { name: 'b', dr: { secondaryOf: 'a' } }] }, /dr.secondaryOf must name a cluster with dr 'primary', got "a"/],
    ['zero nodes', { clusters: [{ name: 'a', nodes: 0 }] }, /nodes must be a whole number from 1 to 9, got 0/],
    ['a version that is not one', { clusters: [{ name: 'a', version: 'latest' }] }, /version must look like "1.21.0\+ent", got "latest"/],
    ['timeScale 0', { clusters: [{ name: 'a' }], timeScale: 0 }, /timeScale must be a finite number above 0/],
    ['a negative timing', { clusters: [{ name: 'a' }], timings: { promoteMs: -1 } }, /timings.promoteMs must be a finite number of simulated ms >= 0, got -1/],
    ['an unknown timing', { clusters: [{ name: 'a' }], timings: { promotionMs: 1 } as never }, /timings.promotionMs is not a setting/],
    ['a bad health check', { clusters: [{ name: 'a' }], healthChecks: { intervalMs: 10, timeoutMs: 5, healthyThreshold: 0, unhealthyThreshold: 2 } }, /healthChecks.healthyThreshold must be a whole number >= 1/],
    ['a bad replication setting', { clusters: [{ name: 'a' }], replication: { walIndexAfterDemote: 'zero' as never } }, /replication.walIndexAfterDemote must be one of kept, reset/],
    ['a bad seed', { clusters: [{ name: 'a' }], seed: -3 }, /seed must be a whole number >= 0/],
    ['an unknown generate-operation-token mode', { clusters: [{ name: 'a' }], drOperationTokenGeneration: 'open' as never }, /drOperationTokenGeneration must be 'unauthenticated' or 'token', got "open"/],
  ])('refuses %s', async (_what, options, message) => {
    await expect(startVaultWorld(options)).rejects.toThrow(message);
  });

  it('refuses two pair names that are the same', async () => {
    await expect(startVaultPair({ names: ['x', 'x'] })).rejects.toThrow(/must differ/);
  });

  it('fills in the defaults it uses, and reports them', async () => {
    const pair = await startVaultPair({ transitionMs: 7, timings: { walLagMs: 3 } });
    try {
      expect(pair.timings).toMatchObject({ promoteMs: 7, demoteMs: 7, walLagMs: 3, electionMs: 0 });
      expect(pair.timeScale).toBe(1);
      expect(pair.clusters.map((c) => c.nodes.length)).toEqual([5, 5]);
      expect(pair.clusters[0].version()).toBe('1.21.0+ent');
      expect(pair.clusters[0].clientAddress).not.toBe(pair.clusters[0].address);
    } finally {
      await pair.stop();
    }
  });
});

describe('start-up', () => {
  it('starts a pair in tens of milliseconds once the test CA exists', async () => {
    await (await startVaultPair()).stop();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const pair = await startVaultPair();
      times.push(performance.now() - started);
      await pair.stop();
    }
    times.sort((a, b) => a - b);
    expect(times[5]).toBeLessThan(50);
  });
});

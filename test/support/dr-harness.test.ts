/**
 * createDrWorld passes the simulator's options through (seed, timeScale, timings, nodes,
 * healthChecks, replication) so that randomized end-to-end tests can set them, and keeps fast
 * defaults when they are left out.
 */
import { FAST_TIMINGS, PROJECT_HEALTH_CHECKS } from '../vault-simulator';
import { createDrWorld, startAwsDoubles, type AwsDoubles, type DrWorld } from './dr-harness';

jest.setTimeout(30_000);

let aws: AwsDoubles;
const worlds: DrWorld[] = [];
beforeAll(async () => {
  aws = await startAwsDoubles();
});
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stop()));
});
afterAll(() => aws?.stop());

async function world(options: Parameters<typeof createDrWorld>[1]): Promise<DrWorld> {
  const w = await createDrWorld(aws, options);
  worlds.push(w);
  return w;
}

it('keeps the fast defaults: time scale 1, FAST_TIMINGS with 50 ms transitions, five nodes, the project health checks', async () => {
  const w = await world({});
  expect(w.vault.timeScale).toBe(1);
  expect(w.vault.timings).toEqual({ ...FAST_TIMINGS, promoteMs: 50, demoteMs: 50 });
  expect(w.vault.clusters.map((c) => c.nodes.length)).toEqual([5, 5]);
  // The project's target group runs: a node answering 500 leaves the rotation after its failed checks.
  const east = w.vault.cluster('east');
  await east.node(1).setFault('error500');
  w.vault.advanceClock((PROJECT_HEALTH_CHECKS.unhealthyThreshold + 1) * PROJECT_HEALTH_CHECKS.intervalMs);
  expect(east.node(1).inRotation()).toBe(false);
});

it('passes seed, timeScale, timings, nodes, healthChecks and the replication settings to the simulator', async () => {
  const w = await world({
    seed: 4242,
    timeScale: 3,
    timings: { walLagMs: 7, promoteMs: 900 },
    nodes: 3,
    healthChecks: false,
    replication: { stateWhileDisconnected: 'idle' },
  });
  expect(w.vault.seed).toBe(4242);
  expect(w.vault.timeScale).toBe(3);
  // timings wins over the harness's transitionMs shorthand, as in startVaultPair.
  expect(w.vault.timings).toMatchObject({ walLagMs: 7, promoteMs: 900, demoteMs: 50 });
  expect(w.vault.clusters.map((c) => c.nodes.length)).toEqual([3, 3]);
  // Without health checks every node stays in rotation, a failed one included.
  const east = w.vault.cluster('east');
  await east.node(1).setFault('error500');
  w.vault.advanceClock(60_000);
  expect(east.nodes.every((n) => n.inRotation())).toBe(true);
  // stateWhileDisconnected 'idle': west reports idle once its link to east is cut.
  const west = w.vault.cluster('west');
  expect(west.drStatus().state).toBe('stream-wals');
  await west.setNetwork('replication', 'blackhole');
  expect(west.drStatus()).toMatchObject({ state: 'idle', connection_state: 'transient_failure' });
});

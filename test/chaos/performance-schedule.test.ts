/**
 * The chaos opt-in with a performance secondary, run for real on two hand-written schedules (not
 * the randomized suite): east dies and a failover follows; the oracle, from the simulator's
 * observer, must find south following west at the end and serving reads throughout (invariants 6
 * and 7), beside the five DR invariants. The second schedule cuts the functions off south during
 * the failover: the failover still succeeds, and the oracle's next commands bring south over.
 */
import { CHAOS_TIME_SCALE } from './property';
import { runSchedule } from './run-schedule';
import type { Schedule } from './schedule';
import { useChaosDoubles } from './use-chaos-doubles';

jest.setTimeout(240_000);

const doubles = useChaosDoubles();

const base: Schedule = {
  seed: 12,
  timings: { electionMs: 500, promoteMs: 2000, demoteMs: 2000, updatePrimaryMs: 500, merkleDiffMs: 200, merkleSyncMs: 500, walLagMs: 100, heartbeatIntervalMs: 1000, standbyModeLagMs: 200, slowMs: 1000 },
  replication: { stateWhileDisconnected: 'stream-wals', walIndexAfterDemote: 'kept', walIndexAfterPromote: 'continued' },
  performanceStandbys: false,
  performanceSecondaries: ['south'],
  faults: [{ atMs: 1000, forMs: null, fault: { kind: 'cluster', cluster: 'east', fault: 'down' } }],
  drops: [],
  route53: { throttleChanges: 0, failChanges: 0, throttleReads: 0, pendingChanges: 0 },
  invocations: [{ atMs: 8000, operation: 'failover', force: false, onFailure: 'next-command', twin: null }],
  clientIntervalMs: 2000,
};

it('a disaster failover with south: south follows west at the end and its clients read throughout', async () => {
  const { aws, tap } = doubles();
  const report = await runSchedule(aws, base, { timeScale: CHAOS_TIME_SCALE, tap });
  expect(report.verdict.violations).toEqual([]);
  expect(report.finalPrimary).toBe('west');
});

it('south cut off from the functions during the failover: the DR part succeeds, and the next commands bring south over once it answers', async () => {
  const { aws, tap } = doubles();
  // The chaos fault kinds name east and west; south's cut is an operator-side fault here.
  const schedule: Schedule = { ...base, seed: 13 };
  const report = await runSchedule(aws, schedule, {
    timeScale: CHAOS_TIME_SCALE,
    tap,
    beforeStart: async (w) => {
      await w.vault.cluster('south').setNetwork('functions', 'refused');
    },
  });
  expect(report.verdict.violations).toEqual([]);
  expect(report.finalPrimary).toBe('west');
});

import { WATCHDOG_METRICS } from '../../../functions/dr-watchdog/settings';
import type { RunReport } from '../../../test/chaos/run-schedule';
import { BASE_SCHEDULE, type DrillScenario } from '../scenario';
import { failoverRuns, firstRunRuleMet, WATCHDOG_DEFAULTS, WATCHDOG_INTERVAL_MS, watchdogOnSchedule } from '../watchdog';

/** The DR side loses east (simulated ms), after two runs that saw both clusters (and read the lag). */
export const PARTITION_AT_MS = 90_000;
/** east really dies: after four scheduled runs in the partition, which cover the window and more. */
export const DEATH_AT_MS = 310_000;

/** The checks, for a run of this schedule (or of a variant, in the scenario's own tests). */
export function expectPartitionThenDeath(report: RunReport): string[] {
  const runs = report.watchdog?.runs ?? [];
  const observed = (r: (typeof runs)[number]): number => r.observedAtMs ?? r.scheduledAtMs;
  const inPartition = runs.filter((r) => observed(r) > PARTITION_AT_MS && observed(r) < DEATH_AT_MS);
  const early = failoverRuns(report).filter((r) => observed(r) < DEATH_AT_MS);
  const late = failoverRuns(report).filter((r) => observed(r) >= DEATH_AT_MS);
  // The rule would have been met by the watchdog's own probes alone: the partition lasted the window and more.
  const needed = Math.floor(WATCHDOG_DEFAULTS.windowMs / WATCHDOG_INTERVAL_MS) + 1;
  const eastThrough = report.activePrimaries.some((p) => p.cluster === 'east' && p.fromMs <= PARTITION_AT_MS && (p.toMs ?? Infinity) >= DEATH_AT_MS);
  const subjects = (report.watchdog?.pages ?? []).map((p) => p.subject);
  return [
    ...runs.filter((r) => r.error !== undefined || r.tookRealMs > r.timeoutMs).map((r) => `the run at +${r.scheduledAtMs} ms ${r.error ? `failed: ${r.error.message}` : `took ${r.tookRealMs} ms, past its ${r.timeoutMs} ms`}`),
    ...early.map((r) => `the watchdog decided to fail over at +${observed(r)} ms, while east was alive and served clients (it died at +${DEATH_AT_MS} ms): the DR side's view alone is no agreement`),
    ...(inPartition.length >= needed ? [] : [`${inPartition.length} runs in the partition, fewer than the ${needed} that cover the window`]),
    ...inPartition
      .filter((r) => !(r.answer?.round?.probes.length && r.answer.round.probes.every((v) => v === 'down') && r.answer.round.secondaryView === 'alive'))
      .map((r) => `the run at +${r.scheduledAtMs} ms should have found east down by its own probes and alive by west's view, found ${JSON.stringify(r.answer?.round)}`),
    ...inPartition.filter((r) => r.answer?.page !== undefined).map((r) => `the run at +${r.scheduledAtMs} ms paged during the partition (the rule is not met: no page)`),
    // What pages an operator instead: the no-active-primary alarm reads the pair's PrimaryActive.
    ...inPartition
      .filter((r) => r.metrics.find((m) => m.dimensions.Cluster === undefined)?.values[WATCHDOG_METRICS.primaryActive] !== 0)
      .map((r) => `the run at +${r.scheduledAtMs} ms should have published ${WATCHDOG_METRICS.primaryActive} 0 (the no-active-primary alarm reads it)`),
    ...(eastThrough ? [] : ['east should have stayed the active primary through the partition']),
    ...(report.clientWrites.accepted > 0 ? [] : ['clients should have kept writing to east']),
    ...(late.length === 1 ? [] : [`once east died the watchdog should have failed over once, did ${late.length} time(s)`]),
    ...(late.length === 1 && firstRunRuleMet(report) !== late[0]
      ? [`it should have failed over at the first run where every vantage point had agreed for the window, not at the run at +${late[0]?.scheduledAtMs} ms`]
      : []),
    ...(late.every((r) => r.answer?.failover?.outcome === 'succeeded') ? [] : [`its failover should have succeeded: ${late.map((r) => r.answer?.failover?.summary).join('; ')}`]),
    ...(subjects.join('\n') === ['Vault DR dev: automatic failover from east to west starting', 'Vault DR dev: automatic failover succeeded (east -> west)'].join('\n')
      ? []
      : [`the pages should be the failover's "starting" then "succeeded" only, got ${JSON.stringify(subjects)}`]),
    ...(report.finalPrimary === 'west' ? [] : [`west should be the primary in the end, found ${report.finalPrimary}`]),
  ];
}

/** The DR side cannot see a primary that is alive; later the primary really dies. */
const scenario: DrillScenario = {
  name: 'watchdog-partition',
  summary: "the DR side loses a primary that is alive (west still streams from it): dr-watchdog in auto does not fail over; when it really dies, it does",
  story:
    `From +${PARTITION_AT_MS / 1000} s the network between the DR region's functions and east is cut (blackholed): dr-watchdog's probes ` +
    "of east all fail, run after run, for well over the window. Clients keep writing to east and the replication link stays up, so west " +
    "reports its primary connected: the secondary's own view does not agree, and the watchdog in auto neither fails over nor pages " +
    "(its metrics show PrimaryActive 0, which the no-active-primary alarm pages on: runbook 12.3). At " +
    `+${DEATH_AT_MS / 1000} s east really dies (every node refuses): west's link goes down and its heartbeat ages, both vantage ` +
    'points agree for the window, and the watchdog fails over once, pages before and after, and DNS follows west.',
  schedule: {
    ...BASE_SCHEDULE,
    faults: [
      { atMs: PARTITION_AT_MS, forMs: null, fault: { kind: 'network', cluster: 'east', network: 'functions', state: 'blackhole' } },
      { atMs: DEATH_AT_MS, forMs: null, fault: { kind: 'cluster', cluster: 'east', fault: 'down' } },
    ],
    invocations: [],
    watchdog: watchdogOnSchedule('auto', 11),
  },
  expect: expectPartitionThenDeath,
};
export default scenario;

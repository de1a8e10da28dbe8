import { judgeUpgrade } from '../../../test/chaos/upgrade-oracle';
import type { OperatorStep, Schedule } from '../../../test/chaos/schedule';
import type { RunReport } from '../../../test/chaos/run-schedule';
import { BASE_SCHEDULE, type DrillScenario } from '../scenario';

export const FROM_VERSION = '1.21.0+ent';
export const TO_VERSION = '1.21.3+ent';
const PRIMARY = 'east';
const SECONDARY = 'west';

/** Simulated ms between two launches (or two terminations) of the instance refresh. */
const STEP_MS = 5000;
/** From the last launch to the first termination: the new nodes pass the load balancer's health checks (2 x 10 s) and autopilot has switched. */
const WARMUP_MS = 40_000;

/**
 * Runbook 9.3 on one cluster: five nodes of the new version launched one at a time (non-voters
 * until they are as many as the old voters; then autopilot promotes them and moves leadership),
 * then, after the warmup, the old nodes terminated and removed from Raft one at a time.
 */
function replaceNodes(cluster: 'east' | 'west', fromMs: number): { steps: OperatorStep[]; endMs: number } {
  const steps: OperatorStep[] = [];
  for (let i = 0; i < 5; i++) steps.push({ atMs: fromMs + i * STEP_MS, step: 'add-node', cluster, version: TO_VERSION });
  const removeFrom = fromMs + 4 * STEP_MS + WARMUP_MS;
  for (let i = 0; i < 5; i++) steps.push({ atMs: removeFrom + i * STEP_MS, step: 'remove-old-node', cluster });
  return { steps, endMs: removeFrom + 4 * STEP_MS };
}

/**
 * The version upgrade as a schedule: a snapshot of the primary, then the secondary's nodes, then
 * the primary's in place ('secondary-first', runbook 9.3); 'primary-first' is the wrong order, for
 * the test that proves the upgrade oracle catches it.
 */
export function upgradeSchedule(order: 'secondary-first' | 'primary-first' = 'secondary-first', newerPrimary?: 'refused' | 'stream-stops' | 'streams'): Schedule {
  const [first, second] = order === 'secondary-first' ? ([SECONDARY, PRIMARY] as const) : ([PRIMARY, SECONDARY] as const);
  const a = replaceNodes(first, 2000);
  const b = replaceNodes(second, a.endMs + STEP_MS);
  return {
    ...BASE_SCHEDULE,
    replication: { ...BASE_SCHEDULE.replication, ...(newerPrimary ? { newerPrimary } : {}) },
    versions: { east: FROM_VERSION, west: FROM_VERSION },
    operatorSteps: [{ atMs: 1000, step: 'snapshot', cluster: PRIMARY }, ...a.steps, ...b.steps],
    // Read-only, for the drill's reader: both clusters' roles and versions once the upgrade is done.
    invocations: [{ atMs: b.endMs + STEP_MS, operation: 'status', force: false, onFailure: 'stop', twin: null }],
  };
}

/** The upgrade oracle's problems for a run of an upgrade schedule. */
export function upgradeProblems(report: RunReport): string[] {
  return judgeUpgrade({
    primary: PRIMARY,
    secondary: SECONDARY,
    version: TO_VERSION,
    operatorSteps: report.operatorSteps,
    events: report.events,
    lost: report.verdict.lost,
    finalVersions: report.versions,
    ...(report.operatorSteps[0] ? { start: report.operatorSteps[0].at - report.operatorSteps[0].step.atMs } : {}),
  });
}

const scenario: DrillScenario = {
  name: 'upgrade',
  summary: `a Vault version upgrade (${FROM_VERSION} to ${TO_VERSION}) as runbook 9.3 does it: snapshot, the DR secondary, then the primary in place; no switchover, no step-down`,
  story:
    `Both clusters run ${FROM_VERSION}. The operator snapshots the primary (east; recorded: the simulator has no snapshot API), then ` +
    `upgrades the DR secondary (west): five nodes of ${TO_VERSION} join one at a time as non-voters; when they are as many as the old ` +
    "voters, autopilot's automated upgrade promotes them, demotes the old ones and moves leadership to a new node; after the warmup " +
    'the old nodes are terminated and removed one at a time. Then the primary the same way, in place. Clients write through the ' +
    'high-level name all along. The upgrade oracle checks the order (snapshot, secondary, primary), that a newer primary never ' +
    'replicated to an older secondary, that no acknowledged write was lost and writes kept flowing, and that there was no ' +
    "switchover and no leadership change but autopilot's.",
  schedule: upgradeSchedule(),
  timeScale: 20,
  expect: (report) => [
    ...upgradeProblems(report),
    ...(report.finalPrimary === PRIMARY ? [] : [`${PRIMARY} should still be the primary, found ${report.finalPrimary}`]),
  ],
};
export default scenario;

/**
 * A named drill scenario: a fault schedule (test/chaos/schedule.ts) run end to end against the real
 * functions, judged by the chaos oracle, plus what this scenario expects on top of the invariants.
 * Add a scenario by adding one file to scripts/drill/scenarios/ that default-exports a
 * DrillScenario; `make drill SCENARIO=list` lists them (registry.ts reads the folder).
 */
import type { RunReport } from '../../test/chaos/run-schedule';
import type { Schedule } from '../../test/chaos/schedule';
import type { DrWorld } from '../../test/support/dr-harness';

/** What a scenario's own client measured: printed under the oracle's verdict; any problem fails the scenario. */
export interface CompanionFindings {
  readonly lines: readonly string[];
  readonly problems: readonly string[];
}

/**
 * A client of the scenario's own beside the schedule's writer (the three-clusters reader of the
 * performance secondary). One per run: it holds what that run measured.
 */
export interface ScenarioCompanion {
  /** Set-up on the world before the schedule's +0 (run-schedule's `beforeStart`). */
  prepare?(world: DrWorld): Promise<void>;
  /** Started at the schedule's +0 (`t0`, simulated epoch ms), stopped once the run converged (run-schedule's `companion`). */
  start(world: DrWorld, t0: number): { stop(): Promise<void> };
  /** What it measured, once the run is over. */
  findings(report: RunReport): CompanionFindings;
}

export interface DrillScenario {
  /** `make drill SCENARIO=<name>`: lower-case letters, digits and dashes; the file's name. */
  readonly name: string;
  /** One line for the list. */
  readonly summary: string;
  /** What happens and what the functions must do, for the operator reading the drill. */
  readonly story: string;
  readonly schedule: Schedule;
  /**
   * Simulated ms per real ms. Lower than the chaos runs' 40: a drill shows one path, and with more
   * real time per simulated second a loaded machine does not turn a probe into a timeout.
   * @default DRILL_TIME_SCALE
   */
  readonly timeScale?: number;
  /** Problems with the outcome beyond the oracle's invariants (empty when as expected). */
  expect(report: RunReport): string[];
  /** Makes a fresh companion client for each run. @default none */
  readonly companion?: () => ScenarioCompanion;
}

export const DRILL_TIME_SCALE = 10;

/** Quiet defaults a scenario overrides: fast transitions, no lost answers, Route 53 well. */
export const BASE_SCHEDULE: Schedule = {
  seed: 42,
  timings: {
    electionMs: 2000,
    promoteMs: 3000,
    demoteMs: 3000,
    updatePrimaryMs: 2000,
    merkleDiffMs: 1000,
    merkleSyncMs: 2000,
    walLagMs: 500,
    heartbeatIntervalMs: 1000,
    standbyModeLagMs: 1000,
    slowMs: 3000,
  },
  replication: { stateWhileDisconnected: 'stream-wals', walIndexAfterDemote: 'kept', walIndexAfterPromote: 'continued' },
  performanceStandbys: false,
  faults: [],
  drops: [],
  route53: { throttleChanges: 0, failChanges: 0, throttleReads: 0, pendingChanges: 0 },
  invocations: [],
  clientIntervalMs: 1000,
};

/** A failover by one operator at +2 s (simulated), who does nothing more if it fails. */
export const FAILOVER_AT_2S = { atMs: 2000, operation: 'failover', force: false, onFailure: 'stop', twin: null } as const;

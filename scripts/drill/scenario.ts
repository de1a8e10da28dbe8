/**
 * A named drill scenario: a fault schedule (test/chaos/schedule.ts) run end to end against the real
 * functions, judged by the chaos oracle, plus what this scenario expects on top of the invariants.
 * Add a scenario by adding one file to scripts/drill/scenarios/ that default-exports a
 * DrillScenario; `make drill SCENARIO=list` lists them (registry.ts reads the folder).
 */
import type { RunReport } from '../../test/chaos/run-schedule';
import type { Schedule } from '../../test/chaos/schedule';

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

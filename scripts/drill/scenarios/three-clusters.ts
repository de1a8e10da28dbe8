import type { RunReport } from '../../../test/chaos/run-schedule';
import type { DrWorld } from '../../../test/support/dr-harness';
import type { PerformanceFollowInterval, RecordedRequest } from '../../../test/vault-simulator';
import { readAvailability, seedReadPath, startPerformanceReader, type PerformanceReader } from '../performance-reader';
import { BASE_SCHEDULE, DRILL_TIME_SCALE, type CompanionFindings, type DrillScenario, type ScenarioCompanion } from '../scenario';

export const PRIMARY = 'east';
export const DR_SECONDARY = 'west';
export const PERFORMANCE_SECONDARY = 'south';
/** When east dies (simulated ms): the reader has been reading from south for a few seconds by then. */
export const DEATH_AT_MS = 5000;
/** When the operator runs failover (simulated ms). */
export const FAILOVER_AT_MS = 8000;
/** Simulated ms between two reads of the reader (one read per second, as the writer writes). */
export const READ_INTERVAL_MS = 1000;
const READ_PATH = 'drill/read-through-failover';
const UPDATE_PRIMARY = 'sys/replication/performance/secondary/update-primary';
/** run-schedule's fault event once the schedule is over (test/chaos/run-schedule.ts). */
const HEALED = 'every fault healed';

/** What the reader saw and the simulator recorded, as the companion hands it to the checks. */
export interface ThreeClustersObservation {
  /** Simulated epoch ms of the schedule's +0. */
  readonly t0: number;
  readonly reader: {
    readonly attempts: ReturnType<PerformanceReader['attempts']>;
    readonly startedAt: number;
    readonly stoppedAt: number;
    /** Simulated ms a read may take before it counts as unanswered (its real timeout times the scale). */
    readonly timeoutMs: number;
  };
  /** Simulated epoch ms run-schedule healed every fault (the end of the schedule), when it did. */
  readonly healedAt?: number;
  /** observer.performanceFollowing() once the run converged. */
  readonly following: readonly PerformanceFollowInterval[];
  /** The update-primary requests south received (the functions' re-point), in order. */
  readonly updatePrimary: readonly Pick<RecordedRequest, 'status' | 'simulatedAt'>[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const at = (ms: number, t0: number): string => `+${((ms - t0) / 1000).toFixed(1)} s`;

/**
 * The read availability lines and the problems, from what was observed: pure, so that the
 * scenario's tests can hand it outcomes written from the story and see each check fail.
 */
export function judgeThreeClusters(o: ThreeClustersObservation, report: Pick<RunReport, 'finalPrimary'>): CompanionFindings {
  // The gaps are measured over the schedule, until run-schedule heals every fault: after that the
  // oracle converges, advancing the simulated clock by whole minutes at a time to let transitions
  // settle, and a jump of the clock is no gap in reading. The reads then are counted all the same.
  const scheduleEnd = o.healedAt ?? o.reader.stoppedAt;
  const schedule = readAvailability(o.reader.attempts, o.reader.startedAt, scheduleEnd);
  const after = readAvailability(o.reader.attempts.filter((a) => a.startedAt > scheduleEnd), scheduleEnd, o.reader.stoppedAt);
  // The failover as south's clients live it: from east's death until south follows the new
  // primary, connected (its first such interval after the death).
  const deathAt = o.t0 + DEATH_AT_MS;
  const followsNew = o.following.find((f) => f.cluster === PERFORMANCE_SECONDARY && f.primary === DR_SECONDARY && f.connected && f.from >= deathAt);
  const during = followsNew === undefined ? undefined : readAvailability(o.reader.attempts, deathAt, followsNew.from);
  const last = o.following.filter((f) => f.cluster === PERFORMANCE_SECONDARY).at(-1);
  const endFollows = last === undefined || last.to !== undefined ? 'no cluster' : `${last.primary ?? 'no cluster'}${last.connected ? ', connected' : ', not connected'}`;
  // The longest gap one unanswered read (a loaded machine past the real read timeout) can leave:
  // the interval, the read that times out, the interval, the next read taking all its time. A
  // longer one means the reads really stopped.
  const bound = 2 * (READ_INTERVAL_MS + o.reader.timeoutMs);
  const lines = [
    `read availability of ${PERFORMANCE_SECONDARY} (its own reader, one read every ${seconds(READ_INTERVAL_MS)}):`,
    `    schedule (${at(o.reader.startedAt, o.t0)} to ${at(scheduleEnd, o.t0)}${o.healedAt === undefined ? '' : ', every fault healed'}): ` +
      `${schedule.attempted} reads attempted, ${schedule.served} served, ${schedule.refused} refused, ${schedule.unanswered} unanswered; ` +
      `longest gap without a served read ${seconds(schedule.longestGap.ms)} (${at(schedule.longestGap.from, o.t0)} to ${at(schedule.longestGap.to, o.t0)}; a read may take ${seconds(o.reader.timeoutMs)})`,
    during === undefined || followsNew === undefined
      ? `    failover: ${PERFORMANCE_SECONDARY} never followed ${DR_SECONDARY}, connected, after ${PRIMARY} died`
      : `    failover (${PRIMARY} dies at ${at(deathAt, o.t0)}, ${PERFORMANCE_SECONDARY} follows ${DR_SECONDARY}, connected, at ${at(followsNew.from, o.t0)}): ` +
        `${during.attempted} reads attempted, ${during.served} served; longest gap ${seconds(during.longestGap.ms)}`,
    `    while the oracle converged (the simulated clock jumps ahead: no gap measured): ${after.attempted} reads attempted, ${after.served} served`,
    `  update-primary received by ${PERFORMANCE_SECONDARY}: ${o.updatePrimary.length === 0 ? 'none' : o.updatePrimary.map((r) => `${at(r.simulatedAt, o.t0)} (${r.status})`).join(', ')}`,
    `  at the end ${PERFORMANCE_SECONDARY} follows ${endFollows}`,
  ];
  const final = report.finalPrimary;
  const notServed = schedule.refused + schedule.unanswered + after.refused + after.unanswered;
  const problems = [
    ...(final === DR_SECONDARY ? [] : [`${DR_SECONDARY} should be the primary in the end, found ${final ?? 'none (the run did not converge)'}`]),
    ...(last !== undefined && last.to === undefined && last.primary === final && last.connected
      ? []
      : [`${PERFORMANCE_SECONDARY} should follow the final primary (${final ?? 'none'}), connected, at the end; it follows ${endFollows}`]),
    // followPromotedPrimary is 'update-primary' (the simulator's default): south can only have come
    // over because dr-operations sent it update-primary; a run where it did not is not this story.
    ...(o.updatePrimary.some((r) => r.status === 200 || r.status === 204) ? [] : [`${PERFORMANCE_SECONDARY} should have accepted update-primary from dr-operations; it received ${o.updatePrimary.length} (none accepted)`]),
    ...(followsNew === undefined ? [`${PERFORMANCE_SECONDARY} never followed ${DR_SECONDARY}, connected, after ${PRIMARY} died`] : []),
    ...(during === undefined || during.served > 0 ? [] : [`no read of ${PERFORMANCE_SECONDARY} was served during the failover`]),
    ...(schedule.refused + after.refused === 0 ? [] : [`${schedule.refused + after.refused} read(s) of ${PERFORMANCE_SECONDARY} refused: its clients could not read`]),
    ...(notServed <= 1 ? [] : [`${notServed} read(s) of ${PERFORMANCE_SECONDARY} not served`]),
    ...(schedule.longestGap.ms <= bound
      ? []
      : [`the clients of ${PERFORMANCE_SECONDARY} went ${seconds(schedule.longestGap.ms)} without a served read (${at(schedule.longestGap.from, o.t0)} to ${at(schedule.longestGap.to, o.t0)}), past ${seconds(bound)}`]),
  ];
  return { lines, problems };
}

/** The reader of south, started at +0 and stopped once the run converged, with what the simulator recorded for it. */
function readerOfSouth(timeScale: number): ScenarioCompanion {
  let observed: ThreeClustersObservation | undefined;
  // As the writer's: 5 simulated seconds, never under 100 real ms.
  const readTimeoutMs = Math.max(100, Math.round(5000 / timeScale));
  return {
    prepare: (w: DrWorld) => seedReadPath(w, PRIMARY, PERFORMANCE_SECONDARY, READ_PATH),
    start(w: DrWorld, t0: number) {
      const reader = startPerformanceReader(w, { cluster: PERFORMANCE_SECONDARY, path: READ_PATH, intervalMs: READ_INTERVAL_MS, readTimeoutMs });
      return {
        async stop() {
          await reader.stop();
          observed = {
            t0,
            reader: { attempts: reader.attempts(), startedAt: reader.startedAt, stoppedAt: reader.stoppedAt() ?? w.vault.now(), timeoutMs: readTimeoutMs * timeScale },
            following: w.vault.observer.performanceFollowing(),
            updatePrimary: w.vault
              .cluster(PERFORMANCE_SECONDARY)
              .requests()
              .filter((r) => r.path === UPDATE_PRIMARY)
              .map((r) => ({ status: r.status, simulatedAt: r.simulatedAt })),
          };
        },
      };
    },
    findings: (report) => {
      if (observed === undefined) return { lines: [], problems: ['the reader of south never stopped: the run ended before it converged'] };
      const healed = report.faults.find((f) => f.what === HEALED);
      return judgeThreeClusters({ ...observed, ...(healed === undefined ? {} : { healedAt: observed.t0 + healed.atMs }) }, report);
    },
  };
}

/** A DR failover of the primary while a performance secondary serves reads; it follows the new primary. */
const scenario: DrillScenario = {
  name: 'three-clusters',
  summary: 'the primary dies while a performance secondary (south) serves reads; failover promotes west, DNS moves, south follows west and its clients keep reading',
  story:
    `Three clusters: ${PRIMARY} (DR primary and performance primary), ${DR_SECONDARY} (its DR secondary) and ${PERFORMANCE_SECONDARY} (a performance ` +
    `secondary of ${PRIMARY}, listed in VAULT_PERFORMANCE_SECONDARIES). A client writes through the high-level name; another reads from ` +
    `${PERFORMANCE_SECONDARY} (its own load balancer) every ${READ_INTERVAL_MS / 1000} s, a value written on ${PRIMARY} before the drill. At ` +
    `+${DEATH_AT_MS / 1000} s every node of ${PRIMARY} refuses connections. At +${FAILOVER_AT_MS / 1000} s the operator runs failover: it confirms ${PRIMARY} down ` +
    `over the window, promotes ${DR_SECONDARY} (which becomes the performance primary of the same replication set), the chained dns-switch ` +
    `moves the name to ${DR_SECONDARY}, and then, since ${PERFORMANCE_SECONDARY} still follows the dead ${PRIMARY}, it sends ${PERFORMANCE_SECONDARY} ` +
    `update-primary (with its own login there, never the DR operation token) and waits until it follows ${DR_SECONDARY}, connected. ` +
    `${PERFORMANCE_SECONDARY} serves reads from its own storage all along. The drill prints the read availability the reader measured and whom ` +
    `${PERFORMANCE_SECONDARY} follows at the end.`,
  schedule: {
    ...BASE_SCHEDULE,
    performanceSecondaries: [PERFORMANCE_SECONDARY],
    faults: [{ atMs: DEATH_AT_MS, forMs: null, fault: { kind: 'cluster', cluster: PRIMARY, fault: 'down' } }],
    invocations: [{ atMs: FAILOVER_AT_MS, operation: 'failover', force: false, onFailure: 'stop', twin: null }],
  },
  // The scenario's own scale: the reader's real timeout is its simulated 5 s at that scale.
  companion: () => readerOfSouth(scenario.timeScale ?? DRILL_TIME_SCALE),
  expect: (report) => [
    ...(report.invocations.some((l) => /operator A: dr-operations \{"operation":"failover"\}.* -> succeeded: /.test(l)) ? [] : ["the operator's failover should have succeeded"]),
  ],
};
export default scenario;

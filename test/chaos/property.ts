/**
 * The randomized fault schedules as a fast-check property: each drawn schedule (with fast-check's
 * scheduler for the start order of concurrent invocations) is run end to end and judged by the
 * oracle; a violation fails the property, fast-check shrinks the schedule, and the report names
 * the seed, the shrunk schedule and the one-line command that replays it. Several lanes (each its
 * own fast-check run with its own seed) run at once in one process: most of a run is the functions
 * waiting on the scaled clock.
 */
import fc from 'fast-check';
import type { AwsDoubles } from '../support/dr-harness';
import type { LogTap } from './log-tap';
import { runSchedule, type RunReport } from './run-schedule';
import { describeSchedule, performanceScheduleArbitrary, scheduleArbitrary, type Schedule } from './schedule';

/** Simulated ms per real ms in the chaos runs: a two-minute promotion takes 3 real seconds. */
export const CHAOS_TIME_SCALE = 40;

export interface ChaosOptions {
  readonly runs: number;
  readonly seed: number;
  /** Concurrent fast-check runs (lanes); runs are split between them. @default 1 */
  readonly lanes?: number;
  /** Replays one counterexample: fast-check's path (from a failure report), with lanes = 1. */
  readonly path?: string;
  readonly timeScale?: number;
  /** Shrink a failure (minutes); false stops at the first failing schedule. @default true */
  readonly shrink?: boolean;
  readonly onRun?: (report: RunReport, schedule: Schedule) => void;
  /** Every schedule with a performance secondary of the primary (issue 12; CHAOS_PERFORMANCE=1). @default false */
  readonly performanceSecondary?: boolean;
}

export interface LaneFailure {
  readonly seed: number;
  readonly path: string;
  readonly schedule: Schedule;
  readonly report: string;
  readonly replay: string;
}

export interface ChaosResult {
  readonly runs: number;
  readonly realMs: number;
  readonly failures: readonly LaneFailure[];
  readonly laneSeeds: readonly number[];
}

class ViolationError extends Error {}

/** Lane i's seed: distinct, and printed, so each lane replays alone. */
export const laneSeed = (seed: number, lane: number): number => (seed + lane * 7919) | 0;

export function formatFailure(schedule: Schedule, report: RunReport, scheduler?: fc.Scheduler): string {
  return [
    'schedule:',
    describeSchedule(schedule),
    ...(scheduler ? [`start order of concurrent invocations: ${String(scheduler)}`] : []),
    'invocations:',
    ...report.invocations.map((l) => `  ${l}`),
    'violations:',
    ...report.verdict.violations.map((v) => `  invariant ${v.invariant}: ${v.message}`),
    report.timeline,
  ].join('\n');
}

export async function checkSchedules(aws: AwsDoubles, tap: LogTap, options: ChaosOptions): Promise<ChaosResult> {
  const lanes = options.path === undefined ? Math.max(1, options.lanes ?? 1) : 1;
  const timeScale = options.timeScale ?? CHAOS_TIME_SCALE;
  const started = Date.now();
  const marks = new Set<number>();
  let runs = 0;
  const laneSeeds = Array.from({ length: lanes }, (_, i) => (options.path === undefined ? laneSeed(options.seed, i) : options.seed));
  const results = await Promise.all(
    laneSeeds.map(async (seed, lane) => {
      const numRuns = Math.floor(options.runs / lanes) + (lane < options.runs % lanes ? 1 : 0);
      if (numRuns === 0) return undefined;
      let lastReport = '';
      const property = fc.asyncProperty(options.performanceSecondary ? performanceScheduleArbitrary : scheduleArbitrary, fc.scheduler(), async (schedule, scheduler) => {
        const mark = tap.mark();
        marks.add(mark);
        let report: RunReport;
        try {
          report = await runSchedule(aws, schedule, { timeScale, tap, scheduler });
        } finally {
          marks.delete(mark);
          tap.forget(Math.min(tap.mark(), ...marks));
        }
        runs++;
        options.onRun?.(report, schedule);
        if (report.verdict.violations.length > 0) {
          lastReport = formatFailure(schedule, report, scheduler);
          throw new ViolationError(lastReport);
        }
      });
      const details = await fc.check(property, {
        seed,
        numRuns,
        ...(options.path === undefined ? {} : { path: options.path }),
        // A replay runs the one schedule the path names (no shrinking from it).
        endOnFailure: options.shrink === false || options.path !== undefined,
      });
      if (!details.failed || details.counterexample === null) {
        if (details.failed) throw new Error(`chaos lane ${lane} failed without a counterexample: ${String(details.errorInstance)}`);
        return undefined;
      }
      const [schedule] = details.counterexample;
      const error = details.errorInstance;
      return {
        seed,
        path: details.counterexamplePath ?? '',
        schedule,
        report: error instanceof ViolationError ? error.message : `${String(error)}\n${lastReport}`,
        replay: `make chaos SEED=${seed}${timeScale === CHAOS_TIME_SCALE ? '' : ` SCALE=${timeScale}`}${options.performanceSecondary ? ' PERFORMANCE=1' : ''} REPLAY=${details.counterexamplePath ?? ''}`,
      } satisfies LaneFailure;
    }),
  );
  return { runs, realMs: Date.now() - started, failures: results.filter((r): r is LaneFailure => r !== undefined), laneSeeds };
}

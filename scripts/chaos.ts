/**
 * make chaos RUNS=n SEED=s [LANES=l] [SCALE=k] [REPLAY=path] [SHRINK=0] [PERFORMANCE=1]: randomized fault
 * schedules against the real functions, judged by the oracle (test/chaos/); with PERFORMANCE=1 every
 * schedule also has a performance secondary of the primary (invariants 6 and 7). Prints progress,
 * then the figures: runs, time, violations, and what the runs did (promotions, convergence steps,
 * excused two-writer periods, lost writes and RPO). A violation prints its seed, the shrunk schedule and the command
 * that replays it, and the exit code is 1. Every progress line counts the runs with a violation so
 * far, and a violation is printed as soon as a run finds it (fast-check shrinks it before the end).
 * Stopped early (SIGINT, SIGTERM), it prints the figures of the schedules run so far, says it was
 * stopped, and exits 2 (1 if any run so far had a violation): a partial long run is a real figure.
 */
import { startAwsDoubles } from '../test/support/dr-harness';
import { installLogTap } from '../test/chaos/log-tap';
import { CHAOS_TIME_SCALE, checkSchedules } from '../test/chaos/property';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)} (e.g. make chaos RUNS=300 SEED=42)`);
  return value;
}

async function main(): Promise<void> {
  const runs = setting('RUNS', 300);
  const seed = setting('SEED', Math.floor(Math.random() * 2 ** 31));
  const lanes = setting('LANES', 3);
  // Simulated ms per real ms. The functions' timeouts are divided by it: on a machine whose CPU is
  // shared, a lower scale keeps a 60 ms probe timeout from being this machine's stall, not Vault's.
  const timeScale = setting('SCALE', CHAOS_TIME_SCALE);
  const replay = process.env.REPLAY || undefined;
  const performance = process.env.PERFORMANCE === '1';
  if (![undefined, '', '0', '1'].includes(process.env.PERFORMANCE)) throw new Error(`PERFORMANCE must be 1 (every schedule with a performance secondary) or 0, got ${JSON.stringify(process.env.PERFORMANCE)}`);
  if (runs < 1) throw new Error(`RUNS must be at least 1, got ${runs}`);
  if (lanes < 1 || lanes > 16) throw new Error(`LANES must be 1 to 16, got ${lanes}`);
  if (timeScale < 1 || timeScale > 100) throw new Error(`SCALE must be 1 to 100, got ${timeScale}`);
  const aws = await startAwsDoubles();
  const tap = installLogTap();
  const stats = { runs: 0, violating: 0, promotedWest: 0, steps: [0, 0, 0, 0], excused: 0, lost: 0, rpoMax: 0, quiet: 0, invocations: 0, writes: 0, slowest: 0 };
  let lastPrint = Date.now();
  const started = Date.now();
  const figures = (realMs: number): string =>
    [
      `  ${stats.invocations} invocations (chained dns-switch and the oracle's next commands included), ${stats.quiet} quiet ends checked literally`,
      `  final primary west (a promotion happened) in ${stats.promotedWest}; the oracle ran 0/1/2/3 next commands to converge in ${stats.steps.join('/')} runs`,
      `  ${stats.excused} two-writer periods, each forced or with the old primary unreachable and said first; ${stats.writes} client writes accepted, ${stats.lost} lost (each one the new primary had not received), largest RPO window ${stats.rpoMax} simulated ms`,
      `  slowest schedule ${stats.slowest} real ms; ${(realMs / 1000).toFixed(1)} s in all`,
    ].join('\n');
  const stop = (signal: string): void => {
    const realMs = Date.now() - started;
    tap.print(
      `chaos: STOPPED by ${signal} after ${stats.runs} of ${runs} schedules in ${(realMs / 1000).toFixed(1)} s (seed ${seed}, ${lanes} lanes, time scale ${timeScale}), ${stats.violating} with violations\n${figures(realMs)}`,
    );
    tap.uninstall();
    // The runs still in flight fail once moto stops: they are not counted, and not reported.
    process.on('unhandledRejection', () => undefined);
    void aws.stop().finally(() => process.exit(stats.violating > 0 ? 1 : 2));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    tap.print(`chaos: ${replay ? `replaying seed ${seed} path ${replay}` : `${runs} schedules, seed ${seed}, ${lanes} lanes`}, time scale ${timeScale}${performance ? ', each with a performance secondary' : ''}`);
    const result = await checkSchedules(aws, tap, {
      runs: replay ? 1 : runs,
      seed,
      lanes,
      timeScale,
      ...(replay ? { path: replay } : {}),
      shrink: process.env.SHRINK !== '0',
      performanceSecondary: performance,
      onRun(report, schedule) {
        stats.runs++;
        if (report.verdict.violations.length > 0) {
          stats.violating++;
          tap.print(`  VIOLATION in run ${stats.runs} (shrinking follows; the replay command is printed at the end):\n${report.verdict.violations.map((v) => `    invariant ${v.invariant}: ${v.message}`).join('\n')}`);
          // The first few in full, so that a run stopped before its end still gives the schedule.
          if (stats.violating <= 3) tap.print(`  invocations:\n${report.invocations.map((l) => `    ${l}`).join('\n')}\n  schedule JSON: ${JSON.stringify(schedule)}`);
        }
        if (report.finalPrimary === 'west') stats.promotedWest++;
        stats.steps[Math.min(3, report.convergenceSteps)]++;
        stats.excused += report.verdict.excusedOverlaps;
        stats.lost += report.verdict.lost.length;
        stats.rpoMax = Math.max(stats.rpoMax, ...report.verdict.rpo.map((r) => r.windowMs));
        stats.quiet += report.verdict.quietEndsChecked;
        stats.invocations += report.invocations.length;
        stats.writes += report.clientWrites.accepted;
        stats.slowest = Math.max(stats.slowest, report.realMs);
        if (replay) tap.print(report.invocations.join('\n'));
        if (Date.now() - lastPrint > 15_000) {
          lastPrint = Date.now();
          tap.print(`  ${stats.runs} schedules run, ${stats.violating} with violations, ${((Date.now() - started) / 1000).toFixed(0)} s...`);
        }
      },
    });
    const seconds = (result.realMs / 1000).toFixed(1);
    tap.print(
      `chaos: ${result.runs} schedules in ${seconds} s (${(result.realMs / Math.max(1, result.runs)).toFixed(0)} ms each on average, ${lanes} lanes, time scale ${timeScale}; lane seeds ${result.laneSeeds.join(', ')}), ${result.failures.length} with violations\n${figures(result.realMs)}`,
    );
    for (const failure of result.failures) {
      tap.print(`\nVIOLATION (lane seed ${failure.seed}, path ${failure.path})\n${failure.report}\nreplay: ${failure.replay}\nschedule JSON: ${JSON.stringify(failure.schedule)}`);
    }
    process.exitCode = result.failures.length > 0 ? 1 : 0;
  } finally {
    tap.uninstall();
    await aws.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * The chaos oracle in the jest suite: the drill scenarios (scripts/drill/scenarios), the schedules
 * on which the oracle found violations (regressions.ts), and a few randomized schedules
 * (CHAOS_RUNS, default 8; `make chaos` runs 300 in CI and as many as asked for long runs). Each
 * runs the real functions against the simulator and moto and must break no invariant.
 */
import { loadScenarios } from '../../scripts/drill/registry';
import { formatScenario, runScenario } from '../../scripts/drill/run-scenario';
import { useChaosDoubles } from './use-chaos-doubles';
import { CHAOS_TIME_SCALE, checkSchedules } from './property';
import { REGRESSIONS } from './regressions';
import { formatFailure } from './property';
import { runSchedule } from './run-schedule';

const doubles = useChaosDoubles();

describe('drill scenarios', () => {
  it.each(loadScenarios().map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const { report, problems, details } = await runScenario(doubles().aws, doubles().tap, scenario);
    if (report.verdict.violations.length > 0 || problems.length > 0) throw new Error(formatScenario(scenario, report, problems, details));
  }, 120_000);
});

describe('schedules on which the oracle found a violation', () => {
  it.each(Object.entries(REGRESSIONS))('%s', async (_name, schedule) => {
    const report = await runSchedule(doubles().aws, schedule, { timeScale: CHAOS_TIME_SCALE, tap: doubles().tap });
    if (report.verdict.violations.length > 0) throw new Error(formatFailure(schedule, report));
  }, 60_000);
});

it('randomized fault schedules break no invariant', async () => {
  const runs = Number(process.env.CHAOS_RUNS ?? 8);
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31);
  const result = await checkSchedules(doubles().aws, doubles().tap, { runs, seed, lanes: 2, shrink: false, performanceSecondary: process.env.CHAOS_PERFORMANCE === '1' });
  if (result.failures.length > 0) throw new Error(result.failures.map((f) => `${f.report}\nreplay: ${f.replay}`).join('\n\n'));
  expect(result.runs).toBe(runs);
}, 300_000);

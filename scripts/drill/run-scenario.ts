/**
 * Runs one drill scenario and prints, for an operator: the story, the schedule, every invocation
 * (the functions' own timeline), the simulator's timeline of every node and network, the
 * watchdog's runs, pages and timing (when the schedule runs it), the oracle's verdict invariant by
 * invariant, and the RPO. Returns whether it passed.
 */
import { installLogTap, type LogTap } from '../../test/chaos/log-tap';
import { runSchedule, type RunReport } from '../../test/chaos/run-schedule';
import { describeSchedule } from '../../test/chaos/schedule';
import { startAwsDoubles, type AwsDoubles, type DrWorld } from '../../test/support/dr-harness';
import { DRILL_TIME_SCALE, type DrillScenario } from './scenario';
import { describeWatchdog } from './watchdog';

const INVARIANTS: Record<number, string> = {
  1: 'never two clusters accepting client writes at once, unless forced or the old primary was unreachable and the result said so first',
  2: 'each end leaves DNS on the one active primary, or names the next command, which converges',
  3: 'every invocation answered before its Lambda timeout',
  4: 'the writes lost are those a promoted cluster had not received (RPO)',
  5: 'no secret in any log line',
  6: 'no performance secondary follows a demoted or dead cluster once an operation ends; each follows the final primary',
  7: 'clients of a performance secondary keep reading throughout a DR failover of the primary',
};
/** The invariants judged only when the schedule has performance secondaries. */
const PERFORMANCE_INVARIANTS = new Set([6, 7]);

export function formatScenario(scenario: DrillScenario, report: RunReport, problems: readonly string[], details: readonly string[] = []): string {
  const v = report.verdict;
  const performance = (scenario.schedule.performanceSecondaries?.length ?? 0) > 0;
  const lines = [
    `== drill scenario ${scenario.name}: ${scenario.summary}`,
    scenario.story,
    '',
    'schedule (simulated ms from the start):',
    describeSchedule(scenario.schedule),
    '',
    'invocations (the functions, the chained dns-switch, then the oracle\'s next commands):',
    ...report.invocations.map((l) => `  ${l}`),
    '',
    `${report.timeline}\n  (the schedule's +0 ms is at +${(report.timelineOffsetMs / 1000).toFixed(3)}s on this timeline)`,
    '',
    ...(report.watchdog === undefined ? [] : [...describeWatchdog(report), '']),
    `oracle (time scale ${scenario.timeScale ?? DRILL_TIME_SCALE}: simulated ms per real ms; the run took ${report.realMs} real ms):`,
    ...Object.entries(INVARIANTS).map(([n, what]) => {
      const found = v.violations.filter((x) => x.invariant === Number(n));
      if (!performance && PERFORMANCE_INVARIANTS.has(Number(n))) return `  n/a  ${n}. ${what} (no performance secondary)`;
      return found.length === 0 ? `  ok   ${n}. ${what}` : `  FAIL ${n}. ${what}\n${found.map((x) => `         ${x.message}`).join('\n')}`;
    }),
    `  final primary ${report.finalPrimary ?? 'none'}; the oracle ran ${report.convergenceSteps} next command(s) to converge; ${v.excusedOverlaps} two-writer period(s), each said first`,
    `  client writes: ${report.clientWrites.accepted} accepted, ${report.clientWrites.refused} refused, ${report.clientWrites.unanswered} unanswered; ${v.lost.length} acknowledged write(s) lost`,
    ...(v.rpo.length === 0
      ? ['  RPO: no promotion']
      : v.rpo.map((r) => `  RPO of the promotion of ${r.cluster}: ${r.missing} acknowledged write(s) it had not received${r.missing ? `, the oldest ${r.windowMs} ms before it` : ''}`)),
    ...details.map((d) => `  ${d}`),
    ...problems.map((p) => `  FAIL scenario: ${p}`),
    v.violations.length === 0 && problems.length === 0 ? `drill scenario ${scenario.name} passed` : `drill scenario ${scenario.name} FAILED`,
  ];
  return lines.join('\n');
}

/** Runs one scenario (with its companion client, if it has one); `details` is what the companion measured. */
export async function runScenario(aws: AwsDoubles, tap: LogTap, scenario: DrillScenario): Promise<{ report: RunReport; problems: string[]; details: readonly string[] }> {
  const companion = scenario.companion?.();
  const report = await runSchedule(aws, scenario.schedule, {
    timeScale: scenario.timeScale ?? DRILL_TIME_SCALE,
    tap,
    ...(companion?.prepare ? { beforeStart: companion.prepare.bind(companion) } : {}),
    ...(companion ? { companion: (w: DrWorld, t0: number) => companion.start(w, t0) } : {}),
  });
  const findings = companion?.findings(report);
  return { report, problems: [...scenario.expect(report), ...(findings?.problems ?? [])], details: findings?.lines ?? [] };
}

/** Runs the named scenarios, printing each; true when all passed. */
export async function runScenarios(scenarios: readonly DrillScenario[]): Promise<boolean> {
  const aws = await startAwsDoubles();
  const tap = installLogTap();
  let passed = true;
  try {
    for (const scenario of scenarios) {
      const { report, problems, details } = await runScenario(aws, tap, scenario);
      tap.print(`${formatScenario(scenario, report, problems, details)}\n`);
      passed &&= report.verdict.violations.length === 0 && problems.length === 0;
    }
  } finally {
    tap.uninstall();
    await aws.stop();
  }
  return passed;
}

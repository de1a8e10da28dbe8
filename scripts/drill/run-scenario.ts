/**
 * Runs one drill scenario and prints, for an operator: the story, the schedule, every invocation
 * (the functions' own timeline), the simulator's timeline of every node and network, the oracle's
 * verdict invariant by invariant, and the RPO. Returns whether it passed.
 */
import { installLogTap, type LogTap } from '../../test/chaos/log-tap';
import { runSchedule, type RunReport } from '../../test/chaos/run-schedule';
import { describeSchedule } from '../../test/chaos/schedule';
import { startAwsDoubles, type AwsDoubles } from '../../test/support/dr-harness';
import { DRILL_TIME_SCALE, type DrillScenario } from './scenario';

const INVARIANTS: Record<number, string> = {
  1: 'never two clusters accepting client writes at once, unless forced or the old primary was unreachable and the result said so first',
  2: 'each end leaves DNS on the one active primary, or names the next command, which converges',
  3: 'every invocation answered before its Lambda timeout',
  4: 'the writes lost are those a promoted cluster had not received (RPO)',
  5: 'no secret in any log line',
};

export function formatScenario(scenario: DrillScenario, report: RunReport, problems: readonly string[]): string {
  const v = report.verdict;
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
    report.timeline,
    '',
    `oracle (time scale ${scenario.timeScale ?? DRILL_TIME_SCALE}: simulated ms per real ms; the run took ${report.realMs} real ms):`,
    ...Object.entries(INVARIANTS).map(([n, what]) => {
      const found = v.violations.filter((x) => x.invariant === Number(n));
      return found.length === 0 ? `  ok   ${n}. ${what}` : `  FAIL ${n}. ${what}\n${found.map((x) => `         ${x.message}`).join('\n')}`;
    }),
    `  final primary ${report.finalPrimary ?? 'none'}; the oracle ran ${report.convergenceSteps} next command(s) to converge; ${v.excusedOverlaps} two-writer period(s), each said first`,
    `  client writes: ${report.clientWrites.accepted} accepted, ${report.clientWrites.refused} refused, ${report.clientWrites.unanswered} unanswered; ${v.lost.length} acknowledged write(s) lost`,
    ...(v.rpo.length === 0
      ? ['  RPO: no promotion']
      : v.rpo.map((r) => `  RPO of the promotion of ${r.cluster}: ${r.missing} acknowledged write(s) it had not received${r.missing ? `, the oldest ${r.windowMs} ms before it` : ''}`)),
    ...problems.map((p) => `  FAIL scenario: ${p}`),
    v.violations.length === 0 && problems.length === 0 ? `drill scenario ${scenario.name} passed` : `drill scenario ${scenario.name} FAILED`,
  ];
  return lines.join('\n');
}

export async function runScenario(aws: AwsDoubles, tap: LogTap, scenario: DrillScenario): Promise<{ report: RunReport; problems: string[] }> {
  const report = await runSchedule(aws, scenario.schedule, { timeScale: scenario.timeScale ?? DRILL_TIME_SCALE, tap });
  return { report, problems: scenario.expect(report) };
}

/** Runs the named scenarios, printing each; true when all passed. */
export async function runScenarios(scenarios: readonly DrillScenario[]): Promise<boolean> {
  const aws = await startAwsDoubles();
  const tap = installLogTap();
  let passed = true;
  try {
    for (const scenario of scenarios) {
      const { report, problems } = await runScenario(aws, tap, scenario);
      tap.print(`${formatScenario(scenario, report, problems)}\n`);
      passed &&= report.verdict.violations.length === 0 && problems.length === 0;
    }
  } finally {
    tap.uninstall();
    await aws.stop();
  }
  return passed;
}

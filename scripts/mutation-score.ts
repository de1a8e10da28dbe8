/**
 * The gate of `make mutation`: reads the report StrykerJS wrote (its JSON report, in the
 * mutation-testing-report-schema format), prints each module's score, and fails when a module of
 * stryker.config.mjs kills fewer than its MINIMUM_SCORE percent of its mutants, or is missing from
 * the report. The score is Stryker's: (killed + timed out) / (every mutant but compile and
 * runtime errors and ignored ones), survivors included even when docs/mutation-testing.md lists
 * them as equivalent.
 *
 *   tsx scripts/mutation-score.ts [report.json]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..');

/** The part of a mutant the score needs (mutation-testing-report-schema). */
export interface ReportMutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

export interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportMutant[] }>>;
}

export interface ModuleScore {
  readonly module: string;
  readonly mutants: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Compile and runtime errors, and ignored mutants: not counted in the score. */
  readonly invalid: number;
  /** Percent of the valid mutants killed (or timed out); undefined when there is none. */
  readonly score: number | undefined;
  readonly passed: boolean;
  /** Why it did not pass. */
  readonly problem?: string;
}

const count = (mutants: readonly ReportMutant[], ...statuses: string[]) => mutants.filter((m) => statuses.includes(m.status)).length;

/** Each module's score against `minimum` percent; a module missing from the report, or without mutants, fails. */
export function moduleScores(report: Report, modules: readonly string[], minimum: number): ModuleScore[] {
  return modules.map((module) => {
    const mutants = report.files[module]?.mutants ?? [];
    const killed = count(mutants, 'Killed');
    const timeout = count(mutants, 'Timeout');
    const survived = count(mutants, 'Survived');
    const noCoverage = count(mutants, 'NoCoverage');
    const valid = killed + timeout + survived + noCoverage;
    const score = valid === 0 ? undefined : (100 * (killed + timeout)) / valid;
    const problem =
      report.files[module] === undefined
        ? 'not in the report: was it mutated?'
        : score === undefined
          ? 'no mutant was tested'
          : score < minimum
            ? `under ${minimum}%`
            : undefined;
    return { module, mutants: mutants.length, killed, timeout, survived, noCoverage, invalid: mutants.length - valid, score, passed: problem === undefined, ...(problem ? { problem } : {}) };
  });
}

/** The survivors of the given modules, one line each: `file:line:column mutator -> replacement`. */
export function survivors(report: Report, modules: readonly string[]): string[] {
  return modules.flatMap((module) =>
    (report.files[module]?.mutants ?? [])
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)
      .map((m) => `${module}:${m.location.start.line}:${m.location.start.column + 1} ${m.status} ${m.mutatorName} -> ${JSON.stringify(m.replacement ?? '')}`),
  );
}

export function scoreTable(scores: readonly ModuleScore[], minimum: number): string {
  const header = ['module', 'mutants', 'killed', 'timeout', 'survived', 'no cov', 'invalid', 'score', `>= ${minimum}%`];
  const rows = scores.map((s) => [
    s.module,
    String(s.mutants),
    String(s.killed),
    String(s.timeout),
    String(s.survived),
    String(s.noCoverage),
    String(s.invalid),
    s.score === undefined ? '-' : `${s.score.toFixed(2)}%`,
    s.passed ? 'ok' : `FAIL (${s.problem})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const config = (await import(pathToFileURL(resolve(ROOT, 'stryker.config.mjs')).href)) as {
    MODULES: Record<string, unknown>;
    MINIMUM_SCORE: number;
    default: { jsonReporter: { fileName: string } };
  };
  const reportFile = resolve(ROOT, process.argv[2] ?? config.default.jsonReporter.fileName);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
  const modules = Object.keys(config.MODULES);
  const scores = moduleScores(report, modules, config.MINIMUM_SCORE);
  const left = survivors(report, modules);
  console.log(`\nMutation score per module (${reportFile}):\n`);
  console.log(scoreTable(scores, config.MINIMUM_SCORE));
  if (left.length) console.log(`\nSurvivors (docs/mutation-testing.md says why each cannot change behaviour, or kill it):\n${left.join('\n')}`);
  const failed = scores.filter((s) => !s.passed);
  if (failed.length) {
    console.error(`\nmake mutation: ${failed.map((s) => `${s.module} ${s.problem}`).join('; ')}. Write the tests that kill its survivors (test/functions/decisions/).`);
    process.exit(1);
  }
  console.log(`\nEvery module kills at least ${config.MINIMUM_SCORE}% of its mutants.`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

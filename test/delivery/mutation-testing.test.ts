/**
 * `make mutation` (docs/mutation-testing.md) without running it: stryker.config.mjs still names
 * functions that exist and mutates the decisions, not the orchestration around them; the gate
 * (scripts/mutation-score.ts) fails a module under the minimum, or missing from the report; the
 * Makefile runs Stryker and then the gate.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { moduleScores, survivors, type Report, type ReportMutant } from '../../scripts/mutation-score';

const execFileAsync = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');

interface StrykerConfig {
  readonly modules: Record<string, string | string[]>;
  readonly minimum: number;
  readonly mutate: string[];
  readonly testMatch: string[];
}

async function loadConfig(): Promise<StrykerConfig> {
  const script =
    "const c = await import('./stryker.config.mjs');" +
    'console.log(JSON.stringify({ modules: c.MODULES, minimum: c.MINIMUM_SCORE, mutate: c.default.mutate, testMatch: c.default.jest.config.testMatch }));';
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT });
  return JSON.parse(stdout) as StrykerConfig;
}

/** The 1-based line of the first match of `pattern` in `file`. */
function lineOf(file: string, pattern: RegExp): number {
  const index = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n').findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`${pattern} not in ${file}`);
  return index + 1;
}

describe('stryker.config.mjs', () => {
  let config: StrykerConfig;
  beforeAll(async () => {
    config = await loadConfig();
  });

  const covers = (file: string, line: number) =>
    config.mutate.some((entry) => {
      if (entry === file) return true;
      const range = /^(.*):(\d+)-(\d+)$/.exec(entry);
      return range !== null && range[1] === file && Number(range[2]) <= line && line <= Number(range[3]);
    });

  it('mutates the classification, the planners, the primary record rule, the liveness judgement, the promote outcome and the DNS weights, with a 90% minimum each', () => {
    expect(Object.keys(config.modules).sort()).toEqual(
      [
        'functions/dns-switch/choose-primary.ts',
        'functions/dns-switch/switch-weights.ts',
        'functions/dr-operations/failover.ts',
        'functions/dr-operations/link.ts',
        'functions/dr-operations/liveness.ts',
        'functions/dr-operations/promote-outcome.ts',
        'functions/dr-operations/switchover.ts',
        'functions/shared/cluster-probe.ts',
        'functions/shared/recorded-primary.ts',
      ].sort(),
    );
    expect(config.minimum).toBe(90);
    expect(config.testMatch).toEqual(['<rootDir>/test/functions/decisions/**/*.test.ts']);
  });

  it('mutates the planning functions of failover, switchover and link, not the orchestration that calls Vault', () => {
    expect(covers('functions/dr-operations/failover.ts', lineOf('functions/dr-operations/failover.ts', /^export function planFailover\(/) + 1)).toBe(true);
    expect(covers('functions/dr-operations/failover.ts', lineOf('functions/dr-operations/failover.ts', /^export function chooseBetweenSecondaries\(/) + 1)).toBe(true);
    expect(covers('functions/dr-operations/failover.ts', lineOf('functions/dr-operations/failover.ts', /^export async function failover\(/) + 1)).toBe(false);
    expect(covers('functions/dr-operations/failover.ts', lineOf('functions/dr-operations/failover.ts', /^async function confirmDown\(/) + 1)).toBe(false);
    expect(covers('functions/dr-operations/switchover.ts', lineOf('functions/dr-operations/switchover.ts', /^export function planSwitchover\(/) + 1)).toBe(true);
    expect(covers('functions/dr-operations/switchover.ts', lineOf('functions/dr-operations/switchover.ts', /^export async function switchover\(/) + 1)).toBe(false);
    expect(covers('functions/dr-operations/link.ts', lineOf('functions/dr-operations/link.ts', /^export function planLink\(/) + 1)).toBe(true);
    expect(covers('functions/dr-operations/link.ts', lineOf('functions/dr-operations/link.ts', /^export async function link\(/) + 1)).toBe(false);
  });
});

describe('the gate (scripts/mutation-score.ts)', () => {
  const mutant = (status: string, line = 1): ReportMutant => ({ status, mutatorName: 'ConditionalExpression', replacement: 'true', location: { start: { line, column: 0 } } });
  const report = (mutants: Record<string, string[]>): Report => ({
    files: Object.fromEntries(Object.entries(mutants).map(([file, statuses]) => [file, { mutants: statuses.map((s, i) => mutant(s, i + 1)) }])),
  });

  it('counts killed and timed-out mutants as detected, survivors and uncovered ones as not, errors not at all', () => {
    const [score] = moduleScores(report({ 'a.ts': [...Array(8).fill('Killed'), 'Timeout', 'Survived', 'RuntimeError', 'CompileError'] }), ['a.ts'], 90);
    expect(score).toEqual({ module: 'a.ts', mutants: 12, killed: 8, timeout: 1, survived: 1, noCoverage: 0, invalid: 2, score: 90, passed: true });
  });

  it('fails each module under the minimum, and a module missing from the report or without a tested mutant', () => {
    const scores = moduleScores(report({ 'a.ts': ['Killed', 'Killed', 'NoCoverage'], 'b.ts': ['Killed'], 'c.ts': ['CompileError'] }), ['a.ts', 'b.ts', 'c.ts', 'd.ts'], 90);
    expect(scores.map((s) => [s.module, s.passed, s.problem])).toEqual([
      ['a.ts', false, 'under 90%'],
      ['b.ts', true, undefined],
      ['c.ts', false, 'no mutant was tested'],
      ['d.ts', false, 'not in the report: was it mutated?'],
    ]);
  });

  it('lists the survivors of the modules, in line order', () => {
    const list = survivors(report({ 'a.ts': ['Killed', 'Survived', 'NoCoverage'], 'other.ts': ['Survived'] }), ['a.ts']);
    expect(list).toEqual(['a.ts:2:1 Survived ConditionalExpression -> "true"', 'a.ts:3:1 NoCoverage ConditionalExpression -> "true"']);
  });
});

describe('make mutation', () => {
  it('runs Stryker, then the gate', async () => {
    const env = { ...process.env };
    delete env.MAKEFLAGS;
    delete env.MAKELEVEL;
    const { stdout } = await execFileAsync('make', ['--no-print-directory', '-n', 'mutation'], { cwd: REPO_ROOT, env });
    const lines = stdout.trim().split('\n');
    expect(lines.slice(-2)).toEqual(['stryker run', 'tsx scripts/mutation-score.ts']);
    const full = await execFileAsync('make', ['--no-print-directory', '-n', 'mutation', 'FULL=1'], { cwd: REPO_ROOT, env });
    expect(full.stdout).toContain('stryker run --force');
  });
});

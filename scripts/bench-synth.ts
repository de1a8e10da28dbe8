/**
 * Measures what `npm run synth -- all` costs: the wall time of synthesizing dev, stage and prod in a
 * fresh process (start-up, imports, construction, writing cdktf.out), as the median of a few runs,
 * then each environment alone (dev is composed by this checkout: two clusters, their snapshot
 * buckets, the DR automation; stage and prod by the release they pin).
 * Budget on the 2-core reference machine: 10 s for all three. It reports; it does not fail.
 *
 *   npx tsx scripts/bench-synth.ts [--runs N] [--all-only]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BUDGET_SECONDS = 10;
const repoRoot = resolve(__dirname, '..');

function parseRuns(argv: string[]): number {
  const at = argv.indexOf('--runs');
  const runs = at === -1 ? 5 : Number(argv[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number (got ${argv[at + 1]})`);
  return runs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function synthOnce(outdir: string, selection: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['environments/main.ts', selection], {
    cwd: repoRoot,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`synth failed (exit ${result.status}):\n${result.stderr}`);
  }
  return seconds;
}

function measure(workspace: string, selection: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(synthOnce(join(workspace, `${selection}-${i}`), selection));
  const med = median(times);
  const label = selection === 'all' ? 'dev+stage+prod' : selection;
  console.log(`synth ${label.padEnd(14)}: median ${med.toFixed(2)} s over ${runs} runs (${times.map((t) => t.toFixed(2)).join(', ')})`);
  return med;
}

function main(): void {
  const argv = process.argv.slice(2);
  const runs = parseRuns(argv);
  const workspace = mkdtempSync(join(tmpdir(), 'vault-dr-bench-synth-'));
  try {
    const all = measure(workspace, 'all', runs);
    console.log(`budget ${BUDGET_SECONDS} s: ${all <= BUDGET_SECONDS ? 'within' : 'OVER'}`);
    if (!argv.includes('--all-only')) for (const environment of ['dev', 'stage', 'prod']) measure(workspace, environment, runs);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main();

/**
 * Measures what `npm run synth -- all` costs: the wall time of synthesizing dev, stage and prod in a
 * fresh process (start-up, imports, construction, writing cdktf.out), as the median of a few runs.
 * Budget on the 2-core reference machine: 10 s. It reports; it does not fail.
 *
 *   npx tsx scripts/bench-synth.ts [--runs N]
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

function synthOnce(outdir: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['environments/main.ts', 'all'], {
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

function main(): void {
  const runs = parseRuns(process.argv.slice(2));
  const workspace = mkdtempSync(join(tmpdir(), 'vault-dr-bench-synth-'));
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(synthOnce(join(workspace, `run-${i}`)));
    const med = median(times);
    console.log(`synth dev+stage+prod: median ${med.toFixed(2)} s over ${runs} runs (${times.map((t) => t.toFixed(2)).join(', ')})`);
    console.log(`budget ${BUDGET_SECONDS} s: ${med <= BUDGET_SECONDS ? 'within' : 'OVER'}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main();

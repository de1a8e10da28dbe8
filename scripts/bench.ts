/**
 * The benchmark: prints what it measured, in one run, on this machine. It reports; it does not fail.
 *
 * 1. Each function's bundle size and its module load time in a fresh Node process (target < 80 ms).
 * 2. The failover critical path (probe, confirmation window, promote, DNS switch) with the
 *    functions' own defaults, for a healthy primary (forced failover: demote first, no
 *    confirmation), a refused one and a blackholed one (target: the confirmation window + 5 s).
 * 3. "Primary dies -> DNS INSYNC" with minute-scale transition durations (simulated: the
 *    simulator's REALISTIC_TIMINGS on a scaled clock, bench-rto.ts), refused and blackholed.
 * 4. Synthesizing all three environments (target < 10 s) and each alone, and the construct unit
 *    suite (target < 60 s).
 *
 *   npm run bench [-- --runs N] [-- --skip-suite] [-- --rto-scale K]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runOperation, type OperationAnswer } from '../functions/dr-operations/handler';
import { DR_OPERATIONS_OWN_VARIABLES } from '../functions/dr-operations/settings';
import { VAULT_VARIABLES } from '../functions/shared/settings/common';
import { createDrWorld, startAwsDoubles, type AwsDoubles } from '../test/support/dr-harness';
import { lambdaContext } from '../test/support/lambda-invoke-endpoint';
import { captureStdout } from '../test/support/log-capture';
import { REALISTIC_TIMINGS } from '../test/vault-simulator';
import { primaryDiesToInsync, type DeathKind, type RtoSample } from './bench-rto';
import { buildFunctions, FUNCTION_NAMES } from './build-functions';

const ROOT = resolve(__dirname, '..');
/** The functions' own defaults (their settings modules), not the tests' fast bounds. */
const defaultsOf = (variables: Record<string, { name: string; defaultRaw: string | undefined }>) =>
  Object.fromEntries(Object.values(variables).flatMap((v) => (v.defaultRaw === undefined ? [] : [[v.name, v.defaultRaw]])));
const DEFAULT_BOUNDS = defaultsOf(VAULT_VARIABLES);
// Only dr-operations' own settings (timeouts, the confirmation window): the login settings (auth
// mount, STS) are the deployment's, which the harness writes as the construct does.
const OPERATIONS_DEFAULTS = defaultsOf(DR_OPERATIONS_OWN_VARIABLES);
const WINDOW_MS = Number(OPERATIONS_DEFAULTS.PRIMARY_DOWN_WINDOW_MS);
const FAILOVER_TARGET_MS = WINDOW_MS + 5000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got ${process.argv[at + 1]}`);
  return value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const fmt = (values: readonly number[], unit: string, digits = 0) =>
  `median ${median(values).toFixed(digits)} ${unit} (min ${Math.min(...values).toFixed(digits)}, max ${Math.max(...values).toFixed(digits)}, n=${values.length})`;

/** Time to require a bundle in a fresh process, measured inside that process. */
function loadTimeMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (out.status !== 0) throw new Error(`loading ${file} failed: ${out.stderr}`);
  return Number(out.stdout);
}

function benchBundles(runs: number): void {
  console.log('\n== Function bundles (esbuild, minified, AWS SDK bundled and tree-shaken)');
  const built = buildFunctions(ROOT);
  for (const name of FUNCTION_NAMES) {
    const file = built[name];
    const times = Array.from({ length: runs }, () => loadTimeMs(file));
    const verdict = median(times) < 80 ? 'within' : 'OVER';
    console.log(`${name.padEnd(20)} ${(statSync(file).size / 1024).toFixed(0).padStart(5)} KiB  load ${fmt(times, 'ms', 1)}  [target 80 ms: ${verdict}]`);
  }
}

type Scenario = 'healthy' | 'refused' | 'blackholed';

async function failoverOnce(aws: AwsDoubles, scenario: Scenario): Promise<{ totalMs: number; steps: Record<string, number> }> {
  const world = await createDrWorld(aws, { transitionMs: 100, envOverrides: DEFAULT_BOUNDS });
  try {
    await world.storeDrToken({ ttl: '1h' });
    if (scenario === 'refused') await world.vault.cluster('east').setFault('down');
    if (scenario === 'blackholed') await world.vault.cluster('east').setFault('blackhole');
    const event = scenario === 'healthy' ? { operation: 'failover', force: true } : { operation: 'failover' };
    const started = process.hrtime.bigint();
    const { result, error } = await captureStdout(() => runOperation(event, { ...world.env.operations, ...OPERATIONS_DEFAULTS }, lambdaContext(120_000)));
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (error) throw error;
    const answer = result as OperationAnswer;
    if (answer.outcome !== 'succeeded' || !world.vault.cluster('west').isAnsweringPrimary()) throw new Error(`failover did not promote west: ${answer.summary}`);
    const steps: Record<string, number> = {};
    for (const e of answer.timeline) {
      const step = e.step.replace(/\b(east|west)\b/g, '<cluster>');
      steps[step] = (steps[step] ?? 0) + e.durationMs;
    }
    return { totalMs, steps };
  } finally {
    await world.stop();
  }
}

async function benchFailover(runs: number): Promise<void> {
  console.log(
    `\n== Failover critical path (probe, confirmation, promote, wait for active, DNS switch), defaults: connect ${DEFAULT_BOUNDS.VAULT_CONNECT_TIMEOUT_MS} ms, ` +
      `total ${DEFAULT_BOUNDS.VAULT_REQUEST_TIMEOUT_MS} ms, ${DEFAULT_BOUNDS.VAULT_MAX_ATTEMPTS} attempts; ${OPERATIONS_DEFAULTS.PRIMARY_DOWN_PROBES} probes over ${WINDOW_MS} ms`,
  );
  let aws: AwsDoubles | undefined;
  try {
    aws = await startAwsDoubles();
    for (const scenario of ['healthy', 'refused', 'blackholed'] as const) {
      const samples: Awaited<ReturnType<typeof failoverOnce>>[] = [];
      for (let i = 0; i < runs; i++) samples.push(await failoverOnce(aws, scenario));
      const totals = samples.map((s) => s.totalMs);
      const stepNames = Object.keys(samples[0]?.steps ?? {});
      const breakdown = stepNames.map((n) => `${n} ${median(samples.map((s) => s.steps[n] ?? 0)).toFixed(0)}`).join(', ');
      const label = scenario === 'healthy' ? 'healthy primary (force: demote first)' : `${scenario} primary`;
      console.log(`${label.padEnd(38)} ${fmt(totals, 'ms')}  [target ${FAILOVER_TARGET_MS} ms: ${median(totals) < FAILOVER_TARGET_MS ? 'within' : 'OVER'}]`);
      console.log(`${''.padEnd(38)} steps (median ms): ${breakdown}`);
    }
  } finally {
    await aws?.stop();
  }
}

async function benchRto(runs: number, timeScale: number): Promise<void> {
  const t = REALISTIC_TIMINGS;
  console.log(
    `\n== Primary dies -> DNS INSYNC, simulated: promote ${t.promoteMs / 1000} s, election ${t.electionMs / 1000} s, heartbeat every ${t.heartbeatIntervalMs / 1000} s, ` +
      `standbys learn the mode after ${t.standbyModeLagMs / 1000} s (REALISTIC_TIMINGS); the functions' defaults, all on a clock ${timeScale}x real time. ` +
      'The operator runs failover at the death and each named next command at once; moto says INSYNC at the first poll (add Route 53 propagation on AWS)',
  );
  let aws: AwsDoubles | undefined;
  try {
    aws = await startAwsDoubles();
    for (const death of ['down', 'blackhole'] as const satisfies readonly DeathKind[]) {
      const samples: RtoSample[] = [];
      for (let i = 0; i < runs; i++) samples.push(await primaryDiesToInsync(aws, death, timeScale, 7000 + i));
      const s = (pick: (x: RtoSample) => number) => fmt(samples.map((x) => pick(x) / 1000), 's', 1);
      const label = death === 'down' ? 'primary refuses connections' : 'primary blackholed';
      console.log(`${label.padEnd(38)} DNS INSYNC after ${s((x) => x.totalMs)}`);
      console.log(`${''.padEnd(38)} promote accepted after ${s((x) => x.promoteStartedMs)}; secondary active after ${s((x) => x.activeMs)}`);
      const counts = samples.map((x) => x.invocations.length);
      console.log(`${''.padEnd(38)} invocations ${Math.min(...counts)}-${Math.max(...counts)}; first run: ${samples[0]?.invocations.join(' -> ')}`);
    }
  } finally {
    await aws?.stop();
  }
}

/** One synthesis in a fresh process (start-up, imports, construction, writing the output), in seconds. */
function synthSeconds(selection: string, outdir: string): number {
  const started = process.hrtime.bigint();
  const out = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['environments/main.ts', selection], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`synth ${selection} failed (exit ${out.status}): ${out.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function benchSynth(runs: number): void {
  console.log('\n== Synthesis (npm run synth -- <selection>, fresh process each; stage and prod from their pinned release)');
  const workspace = mkdtempSync(join(tmpdir(), 'vault-dr-bench-'));
  try {
    for (const selection of ['all', 'dev', 'stage', 'prod']) {
      const times = Array.from({ length: runs }, (_, i) => synthSeconds(selection, join(workspace, `${selection}-${i}`)));
      const budget = selection === 'all' ? `  [target 10 s: ${median(times) < 10 ? 'within' : 'OVER'}]` : '';
      console.log(`synth ${selection.padEnd(5)} ${fmt(times, 's', 2)}${budget}`);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function benchUnitSuite(): void {
  console.log('\n== Construct unit suite (jest --selectProjects constructs), one run');
  const started = process.hrtime.bigint();
  const out = spawnSync(join(ROOT, 'node_modules', '.bin', 'jest'), ['--ci', '--selectProjects', 'constructs', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = (out.stderr.match(/^Tests:.*$/m) ?? ['(no summary)'])[0];
  console.log(`constructs suite ${seconds.toFixed(1)} s, exit ${out.status}: ${summary}  [target 60 s: ${seconds < 60 ? 'within' : 'OVER'}]`);
}

async function main(): Promise<void> {
  const runs = option('--runs', 5);
  console.log(`bench on ${process.platform}/${process.arch}, node ${process.version}, ${runs} runs per measurement`);
  benchBundles(Math.max(runs, 7));
  await benchFailover(runs);
  await benchRto(Math.min(runs, 3), option('--rto-scale', 10));
  benchSynth(Math.min(runs, 3));
  if (!process.argv.includes('--skip-suite')) benchUnitSuite();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

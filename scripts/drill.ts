/**
 * The local failover drill: what a newcomer runs to see the product work without an AWS account.
 *
 * It starts two simulated Vault Enterprise clusters (test/vault-simulator), moto (Route 53, Secrets
 * Manager, STS, DynamoDB) and a local Lambda Invoke endpoint, then runs the real functions with
 * their production defaults (the settings modules' own: timeouts, the confirmation window, the
 * lease) and a Lambda context with the construct's timeout: DR token generation, a disaster
 * failover with the primary blackholed (the DNS switch chained, as deployed), and a re-link once the
 * old primary returns. It prints every step's timeline as a table with the total, the evidence the
 * primary was judged down on, and exits non-zero on any failure.
 *
 *   npm run drill        (make drill installs moto first)
 *   make drill SCENARIO=<name>   a named scenario (scripts/drill/scenarios/), judged by the chaos oracle
 *   make drill SCENARIO=list     the scenarios; SCENARIO=all runs every one
 */
import { refreshDrToken } from '../functions/dr-token-generator/handler';
import { runOperation, type OperationAnswer } from '../functions/dr-operations/handler';
import { DR_OPERATIONS_OWN_VARIABLES } from '../functions/dr-operations/settings';
import { VAULT_VARIABLES } from '../functions/shared/settings/common';
import type { TimelineEntry } from '../functions/shared/timeline';
import { createDrWorld, startAwsDoubles, type AwsDoubles, type DrWorld } from '../test/support/dr-harness';
import { lambdaContext } from '../test/support/lambda-invoke-endpoint';
import { captureStdout } from '../test/support/log-capture';
import { loadScenarios } from './drill/registry';
import { runScenarios } from './drill/run-scenario';

/** The functions' own defaults (their settings modules), not the tests' fast bounds. */
const defaultsOf = (variables: Record<string, { name: string; defaultRaw: string | undefined }>) =>
  Object.fromEntries(Object.values(variables).flatMap((v) => (v.defaultRaw === undefined ? [] : [[v.name, v.defaultRaw]])));
const DEFAULT_BOUNDS = defaultsOf(VAULT_VARIABLES);
// Only dr-operations' own settings (timeouts, the confirmation window): the login settings (auth
// mount, STS) are the deployment's, which the harness writes as the construct does.
const OPERATIONS_DEFAULTS = defaultsOf(DR_OPERATIONS_OWN_VARIABLES);
/** The construct's Lambda timeout of dr-operations (modules/dr-automation/defaults.ts). */
const OPERATIONS_TIMEOUT_MS = 120_000;

interface Row {
  readonly phase: string;
  readonly step: string;
  readonly atMs: number;
  readonly durationMs: number;
  readonly outcome: string;
  readonly detail: string;
}

class DrillFailure extends Error {}

function check(condition: boolean, what: string): void {
  if (!condition) throw new DrillFailure(`drill check failed: ${what}`);
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { result, error } = await captureStdout(fn);
  if (error) throw error;
  return result as T;
}

function table(rows: readonly Row[], totalMs: number): string {
  const header = ['phase', 'step', 'at (ms)', 'took (ms)', 'outcome', 'detail'];
  const cells = rows.map((r) => [r.phase, r.step, String(r.atMs), String(r.durationMs), r.outcome, r.detail.length > 70 ? `${r.detail.slice(0, 67)}...` : r.detail]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 || i === 3 ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), '', `total: ${totalMs} ms`].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  const record = (phase: string, entries: readonly TimelineEntry[]) => {
    for (const e of entries) {
      rows.push({ phase, step: e.step, atMs: Date.parse(e.startedAt) - started, durationMs: e.durationMs, outcome: e.outcome, detail: e.detail ?? '' });
    }
  };
  const timed = async <T>(phase: string, step: string, fn: () => Promise<T>, detail: (r: T) => string): Promise<T> => {
    const at = Date.now();
    const result = await fn();
    rows.push({ phase, step, atMs: at - started, durationMs: Date.now() - at, outcome: 'ok', detail: detail(result) });
    return result;
  };

  console.log('Starting two simulated Vault Enterprise clusters (east primary, west DR secondary), moto and a local Lambda endpoint...');
  let aws: AwsDoubles | undefined;
  let world: DrWorld | undefined;
  try {
    aws = await startAwsDoubles();
    world = await createDrWorld(aws, { transitionMs: 100, envOverrides: DEFAULT_BOUNDS });
    const w = world;
    const { east, west } = { east: w.vault.cluster('east'), west: w.vault.cluster('west') };
    rows.push({ phase: 'set-up', step: 'start clusters, moto, endpoints', atMs: 0, durationMs: Date.now() - started, outcome: 'ok', detail: `${east.address}, ${west.address}` });

    const operations = { ...w.env.operations, ...OPERATIONS_DEFAULTS };
    const operate = (event: unknown) => quietly(() => runOperation(event, operations, lambdaContext(OPERATIONS_TIMEOUT_MS)));
    const generated = await timed('token', 'dr-token-generator', () => quietly(() => refreshDrToken(w.env.generator)), (r) => `batch token on ${r.vaultAddress === east.address ? 'east' : 'west'}, expires ${r.expiresAt}`);
    check(generated.vaultAddress === east.address, 'the DR token is created on the primary, east');

    const before = await operate({ operation: 'status' });
    record('status', before.timeline);
    check(before.summary.startsWith('east is the primary'), 'east starts as the primary');

    await timed('disaster', 'blackhole east (accepts TCP, never answers)', () => east.setFault('blackhole'), () => 'fault injected');
    const failover: OperationAnswer = await operate({ operation: 'failover' });
    record('failover', failover.timeline);
    const dns = failover.dnsSwitch as { timeline?: TimelineEntry[]; weightsAfter?: Record<string, number> } | undefined;
    record('  dns-switch', dns?.timeline ?? []);
    check(failover.outcome === 'succeeded', `failover succeeded (${failover.summary})`);
    check(west.isAnsweringPrimary() && !east.isAnsweringPrimary(), 'west is the only answering primary');
    const weights = await w.weights();
    check(weights.west === 255 && weights.east === 0, `DNS points at west (weights ${JSON.stringify(weights)})`);
    const failoverMs = failover.timeline.reduce((end, e) => Math.max(end, Date.parse(e.startedAt) + e.durationMs), 0) - Date.parse(failover.timeline[0]?.startedAt ?? '');

    const returnedAt = w.vault.now();
    await timed('return', 'east comes back (still believes it is primary)', () => east.setFault('none'), () => 'fault cleared');
    const split = await operate({ operation: 'status' });
    record('status', split.timeline);
    check(/SPLIT BRAIN/.test(split.summary), 'status reports the returned primary as a split brain');
    const relink = await operate({ operation: 'link', demote: 'east' });
    record('link', relink.timeline);
    check(relink.outcome === 'succeeded', `east re-linked (${relink.summary})`);
    const relinkedAt = w.vault.now();
    const after = await operate({ operation: 'status' });
    record('status', after.timeline);
    check(after.summary.startsWith('west is the primary') && /stream-wals/.test(after.summary), `west primary, east streaming (${after.summary})`);
    // The simulator's observer sees every node, not only what the functions reach. The drill itself
    // makes one split brain: east returns still believing it is primary. So there must be exactly
    // one period with two writable clusters, east and west, opening when east returned and closed
    // by the time link had demoted it; none during the failover (east was unreachable then).
    const overlaps = w.vault.observer.overlaps();
    check(overlaps.length === 1, `exactly one period with two writable clusters, east's return (${JSON.stringify(overlaps)})`);
    const split0 = overlaps[0] as (typeof overlaps)[number];
    check(
      split0.from >= returnedAt && split0.to !== undefined && split0.to <= relinkedAt && [...split0.clusters].sort().join(',') === 'east,west',
      `the split brain opened at east's return (${returnedAt}) and closed by the end of link (${relinkedAt}): ${JSON.stringify(split0)}`,
    );
    const splitMs = (split0.to as number) - split0.from;

    console.log('');
    console.log(table(rows, Date.now() - started));
    console.log('');
    console.log(`east was judged down on: ${(failover.evidence ?? []).join('; ')}`);
    console.log(
      `disaster failover (probe, confirmation window, promote, DNS switch) took ${failoverMs} ms with the defaults ` +
        `(connect ${DEFAULT_BOUNDS.VAULT_CONNECT_TIMEOUT_MS} ms, total ${DEFAULT_BOUNDS.VAULT_REQUEST_TIMEOUT_MS} ms, ${DEFAULT_BOUNDS.VAULT_MAX_ATTEMPTS} attempts; ` +
        `${OPERATIONS_DEFAULTS.PRIMARY_DOWN_PROBES} probes over ${OPERATIONS_DEFAULTS.PRIMARY_DOWN_WINDOW_MS} ms, heartbeat older than ${OPERATIONS_DEFAULTS.PRIMARY_HEARTBEAT_STALE_MS} ms).`,
    );
    console.log(`final: ${after.summary}; DNS ${JSON.stringify(await w.weights())}.`);
    console.log(
      `observer: two clusters could take client writes for ${Math.round(splitMs)} ms, from east's return (+${Math.round(split0.from - returnedAt)} ms) ` +
        `until link demoted it (ended +${Math.round((split0.to as number) - returnedAt)} ms); never during the failover.`,
    );
    console.log('drill passed');
  } finally {
    await world?.stop();
    await aws?.stop();
  }
}

async function scenarios(selection: string): Promise<void> {
  const all = loadScenarios();
  if (selection === 'list') {
    const width = Math.max(...all.map((s) => s.name.length));
    console.log(['drill scenarios (make drill SCENARIO=<name>, or all):', ...all.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`)].join('\n'));
    return;
  }
  const chosen = selection === 'all' ? all : all.filter((s) => s.name === selection);
  if (chosen.length === 0) throw new DrillFailure(`SCENARIO: no drill scenario named "${selection}"; make drill SCENARIO=list lists them (${all.map((s) => s.name).join(', ')})`);
  if (!(await runScenarios(chosen))) throw new DrillFailure(`drill scenario ${selection} failed`);
}

const selected = process.env.SCENARIO?.trim();
(selected ? scenarios(selected) : main()).catch((err: unknown) => {
  console.error(err instanceof DrillFailure ? err.message : err);
  console.error('drill FAILED');
  process.exit(1);
});

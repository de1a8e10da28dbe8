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
 */
import { refreshDrToken } from '../functions/dr-token-generator/handler';
import { runOperation, type OperationAnswer } from '../functions/dr-operations/handler';
import { DR_OPERATIONS_VARIABLES } from '../functions/dr-operations/settings';
import { VAULT_VARIABLES } from '../functions/shared/settings/common';
import { LOGIN_VARIABLES } from '../functions/shared/settings/login';
import type { TimelineEntry } from '../functions/shared/timeline';
import { createDrWorld, startAwsDoubles, type AwsDoubles, type DrWorld } from '../test/support/dr-harness';
import { lambdaContext } from '../test/support/lambda-invoke-endpoint';
import { captureStdout } from '../test/support/log-capture';

/** The functions' own defaults (their settings modules), not the tests' fast bounds. */
const defaultsOf = (variables: Record<string, { name: string; defaultRaw: string | undefined }>) =>
  Object.fromEntries(Object.values(variables).flatMap((v) => (v.defaultRaw === undefined ? [] : [[v.name, v.defaultRaw]])));
const DEFAULT_BOUNDS = defaultsOf(VAULT_VARIABLES);
// Not the login variables: the world's own AWS auth mount and server id are what the construct
// writes (a default of VAULT_AWS_AUTH_PATH = "aws" would send the logins to a mount that is not there).
const OPERATIONS_DEFAULTS = defaultsOf(Object.fromEntries(Object.entries(DR_OPERATIONS_VARIABLES).filter(([key]) => !(key in LOGIN_VARIABLES))));
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

    await timed('return', 'east comes back (still believes it is primary)', () => east.setFault('none'), () => 'fault cleared');
    const split = await operate({ operation: 'status' });
    record('status', split.timeline);
    check(/SPLIT BRAIN/.test(split.summary), 'status reports the returned primary as a split brain');
    const relink = await operate({ operation: 'link', demote: 'east' });
    record('link', relink.timeline);
    check(relink.outcome === 'succeeded', `east re-linked (${relink.summary})`);
    const after = await operate({ operation: 'status' });
    record('status', after.timeline);
    check(after.summary.startsWith('west is the primary') && /stream-wals/.test(after.summary), `west primary, east streaming (${after.summary})`);
    check(w.vault.maxAnsweringPrimaries() === 1, 'never more than one answering primary after any role change');

    console.log('');
    console.log(table(rows, Date.now() - started));
    console.log('');
    console.log('');
    console.log(`east was judged down on: ${(failover.evidence ?? []).join('; ')}`);
    console.log(
      `disaster failover (probe, confirmation window, promote, DNS switch) took ${failoverMs} ms with the defaults ` +
        `(connect ${DEFAULT_BOUNDS.VAULT_CONNECT_TIMEOUT_MS} ms, total ${DEFAULT_BOUNDS.VAULT_REQUEST_TIMEOUT_MS} ms, ${DEFAULT_BOUNDS.VAULT_MAX_ATTEMPTS} attempts; ` +
        `${OPERATIONS_DEFAULTS.PRIMARY_DOWN_PROBES} probes over ${OPERATIONS_DEFAULTS.PRIMARY_DOWN_WINDOW_MS} ms, heartbeat older than ${OPERATIONS_DEFAULTS.PRIMARY_HEARTBEAT_STALE_MS} ms).`,
    );
    console.log(`final: ${after.summary}; DNS ${JSON.stringify(await w.weights())}; at most ${w.vault.maxAnsweringPrimaries()} answering primary at any role change.`);
    console.log('drill passed');
  } finally {
    await world?.stop();
    await aws?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof DrillFailure ? err.message : err);
  console.error('drill FAILED');
  process.exit(1);
});

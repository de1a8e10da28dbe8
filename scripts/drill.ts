/**
 * The local failover drill: what a newcomer runs to see the product work without an AWS account.
 *
 * It starts two simulated Vault Enterprise clusters (test/vault-simulator), moto (Route 53, Secrets
 * Manager, STS) and a local Lambda Invoke endpoint, then runs the real functions with their
 * production default timeouts: DR token generation, a disaster failover with the primary
 * blackholed (the DNS switch chained, as deployed), and a re-link once the old primary returns.
 * It prints every step's timeline as a table with the total, and exits non-zero on any failure.
 *
 *   npm run drill        (make drill installs moto first)
 */
import { refreshDrToken } from '../functions/dr-token-generator/handler';
import { runOperation, type OperationAnswer } from '../functions/dr-operations/handler';
import type { TimelineEntry } from '../functions/shared/timeline';
import { createDrWorld, startAwsDoubles, type AwsDoubles, type DrWorld } from '../test/support/dr-harness';
import { captureStdout } from '../test/support/log-capture';

/** Production defaults (docs/contracts.md), not the tests' fast bounds. */
const DEFAULT_BOUNDS = { VAULT_CONNECT_TIMEOUT_MS: '1000', VAULT_REQUEST_TIMEOUT_MS: '2500', VAULT_MAX_ATTEMPTS: '2' };

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

    const generated = await timed('token', 'dr-token-generator', () => quietly(() => refreshDrToken(w.env.generator)), (r) => `batch token on ${r.vaultAddress === east.address ? 'east' : 'west'}, expires ${r.expiresAt}`);
    check(generated.vaultAddress === east.address, 'the DR token is created on the primary, east');

    const before = await quietly(() => runOperation({ operation: 'status' }, w.env.operations));
    record('status', before.timeline);
    check(before.summary.startsWith('east is the primary'), 'east starts as the primary');

    await timed('disaster', 'blackhole east (accepts TCP, never answers)', () => east.setFault('blackhole'), () => 'fault injected');
    const failover: OperationAnswer = await quietly(() => runOperation({ operation: 'failover' }, w.env.operations));
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
    const split = await quietly(() => runOperation({ operation: 'status' }, w.env.operations));
    record('status', split.timeline);
    check(/SPLIT BRAIN/.test(split.summary), 'status reports the returned primary as a split brain');
    const relink = await quietly(() => runOperation({ operation: 'link', demote: 'east' }, w.env.operations));
    record('link', relink.timeline);
    check(relink.outcome === 'succeeded', `east re-linked (${relink.summary})`);
    const after = await quietly(() => runOperation({ operation: 'status' }, w.env.operations));
    record('status', after.timeline);
    check(after.summary.startsWith('west is the primary') && /stream-wals/.test(after.summary), `west primary, east streaming (${after.summary})`);
    // The simulator's observer sees every node, not only what the functions reach: two clusters
    // could take client writes only from east's return (it was unreachable during the failover,
    // which the failover said) until link demoted it.
    const overlaps = w.vault.observer.overlaps();
    check(
      overlaps.every((o) => o.from >= returnedAt && o.to !== undefined),
      `two clusters accepted client writes only between east's return and its demotion (${JSON.stringify(overlaps)})`,
    );
    const splitMs = overlaps.reduce((total, o) => total + ((o.to as number) - o.from), 0);

    console.log('');
    console.log(table(rows, Date.now() - started));
    console.log('');
    console.log(`disaster failover (probe, promote, DNS switch) took ${failoverMs} ms with the default timeouts (connect 1000 ms, total 2500 ms, 2 attempts).`);
    console.log(`final: ${after.summary}; DNS ${JSON.stringify(await w.weights())}.`);
    console.log(`observer: two clusters could take client writes for ${Math.round(splitMs)} ms, from east's return until link demoted it; never during the failover.`);
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

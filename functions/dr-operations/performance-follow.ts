/**
 * The performance secondaries of the primary (VAULT_PERFORMANCE_SECONDARIES): what each follows,
 * and making each follow the active primary. After a DR promotion the promoted cluster is the
 * performance primary of the same replication set, but the performance secondaries keep following
 * the old primary until update-primary points them at the new one (docs/vault-api.md,
 * "Performance secondaries"). update-primary is sent with `update_primary_addrs` (no activation
 * token, nothing to issue on the primary) and with this function's own login on that secondary:
 * performance replication takes ordinary tokens, never the DR operation token.
 *
 * Nothing here fails an operation: the DR part is done before it runs; a secondary that does not
 * follow is reported with the command that fixes it.
 */
import type { ClusterRef } from '../shared/settings/clusters';
import type { NextCommand } from '../shared/errors';
import {
  assessPerformanceSecondary,
  performanceLinkNext,
  probePerformance,
  type ActivePrimary,
  type FollowVerdict,
  type PerformanceAssessment,
} from '../shared/performance-probe';
import type { PerformanceStatusData } from '../shared/vault-api';
import type { OperationContext } from './operation-context';

/** One performance secondary in an answer. */
export interface PerformanceReport {
  readonly name: string;
  readonly verdict: FollowVerdict;
  /** The DR cluster it follows (as far as its answer and the primary's tell), null when unknown or none. */
  readonly follows: string | null;
  readonly connected: boolean;
  /** True when this invocation sent it update-primary. */
  readonly repointed: boolean;
  readonly detail: string;
  /** The command that fixes it; null when it follows the active primary (or no command can fix it). */
  readonly next: NextCommand | null;
}

function report(a: PerformanceAssessment, repointed: boolean, detail = a.detail, next = a.next): PerformanceReport {
  return { name: a.name, verdict: a.verdict, follows: a.follows ?? null, connected: a.connected, repointed, detail, next };
}

/** The addresses update-primary pings in turn: the cluster port first (what Vault documents), then the API address. */
export function updatePrimaryAddresses(primary: ClusterRef): string[] {
  return [...(primary.clusterAddress === undefined ? [] : [primary.clusterAddress]), primary.address];
}

async function activePrimary(ctx: OperationContext, primary: ClusterRef | undefined): Promise<ActivePrimary | undefined> {
  if (primary === undefined) return undefined;
  const performance: PerformanceStatusData | undefined = await ctx.clusters.api(primary).performanceStatus().catch(() => undefined);
  return { name: primary.name, ...(performance === undefined ? {} : { performance }) };
}

async function assess(ctx: OperationContext, secondary: ClusterRef, primary: ClusterRef | undefined): Promise<PerformanceAssessment> {
  const [view, active] = await Promise.all([probePerformance(secondary, ctx.clusters.api(secondary)), activePrimary(ctx, primary)]);
  return assessPerformanceSecondary(view, active, ctx.settings.clusters);
}

/** What every performance secondary follows, read only (status). Empty when none is configured. */
export async function reportPerformanceSecondaries(ctx: OperationContext, primary: ClusterRef | undefined): Promise<PerformanceReport[]> {
  const secondaries = ctx.settings.performanceSecondaries;
  if (secondaries.length === 0) return [];
  return ctx.timeline.run(
    'probe performance secondaries',
    () => Promise.all(secondaries.map(async (s) => report(await assess(ctx, s, primary), false))),
    (rs) => rs.map((r) => `${r.name}: ${r.verdict}`).join(' | '),
  );
}

/**
 * Points one performance secondary at `primary` when it follows another cluster, and waits (within
 * VAULT_PROMOTION_TIMEOUT_MS and the deadline) until it follows it, connected. Never throws.
 */
export async function followPrimary(ctx: OperationContext, secondary: ClusterRef, primary: ClusterRef): Promise<PerformanceReport> {
  const { timeline } = ctx;
  const failed = (why: string): PerformanceReport => ({
    name: secondary.name,
    verdict: 'follows-other',
    follows: null,
    connected: false,
    repointed: false,
    detail: `${secondary.name} was not pointed at ${primary.name}: ${why}`,
    next: performanceLinkNext(secondary.name, primary.name),
  });
  let first: PerformanceAssessment;
  try {
    first = await timeline.run(`probe performance secondary ${secondary.name}`, () => assess(ctx, secondary, primary), (a) => a.detail);
  } catch (err) {
    return failed((err as Error).message);
  }
  if (first.verdict !== 'follows-other') return report(first, false);
  if (ctx.request.dryRun) {
    timeline.note(`point ${secondary.name} at ${primary.name}`, 'planned', 'update-primary');
    return report(first, false, `${first.detail}; would point it at ${primary.name}`);
  }
  const api = ctx.clusters.api(secondary);
  try {
    const login = await timeline.run(`log in to ${secondary.name}`, () => ctx.logins.get(api), (l) => `policies ${l.policies.join(', ')}, ttl ${l.leaseDurationSeconds} s`);
    await timeline.run(`point ${secondary.name} at ${primary.name}`, () => api.performanceUpdatePrimary(login.token, updatePrimaryAddresses(primary)), () => 'update-primary');
  } catch (err) {
    return failed((err as Error).message);
  }
  ctx.journal.change(`pointed performance secondary ${secondary.name} at ${primary.name} (update-primary)`);
  const allowed = ctx.deadline.bound(ctx.settings.promotionTimeoutMs);
  const until = Date.now() + allowed;
  let last = first;
  try {
    last = await timeline.run(
      `wait for ${secondary.name} to follow ${primary.name}`,
      async () => {
        for (;;) {
          const seen = await assess(ctx, secondary, primary);
          if (seen.verdict === 'follows' || Date.now() + ctx.settings.pollMs > until || ctx.deadline.expired()) return seen;
          last = seen;
          await ctx.deadline.sleep(ctx.settings.pollMs);
        }
      },
      (a) => a.detail,
    );
  } catch (err) {
    return report(last, true, `${secondary.name} accepted update-primary, but following ${primary.name} could not be confirmed: ${(err as Error).message}`, performanceLinkNext(secondary.name, primary.name));
  }
  if (last.verdict === 'follows') return report(last, true);
  return report(last, true, `${secondary.name} accepted update-primary, but does not follow ${primary.name} within ${allowed} ms: ${last.detail}`, performanceLinkNext(secondary.name, primary.name));
}

/** Every performance secondary, in parallel (one dead secondary costs one timeout, not one each). */
export async function followPrimaryAll(ctx: OperationContext, primary: ClusterRef): Promise<PerformanceReport[]> {
  return Promise.all(ctx.settings.performanceSecondaries.map((s) => followPrimary(ctx, s, primary)));
}

/** The warnings of the reports that do not follow the active primary, each with its fixing command. */
export function performanceWarnings(reports: readonly PerformanceReport[]): string[] {
  return reports
    .filter((r) => r.verdict !== 'follows')
    .map((r) => `performance secondary ${r.name} does not follow the active primary: ${r.detail}${r.next ? `; run ${r.next.function} with ${JSON.stringify(r.next.event)}` : ''}`);
}

/** The operation's next command: the DR part's first; when it has none, the first performance secondary's fix. */
export function withPerformanceNext(next: NextCommand | null, reports: readonly PerformanceReport[]): NextCommand | null {
  return next ?? reports.find((r) => r.next !== null)?.next ?? null;
}

/** The answer's fields for the performance secondaries: nothing at all when none is configured. */
export function performanceFields(reports: readonly PerformanceReport[] | undefined): { performanceSecondaries?: readonly PerformanceReport[] } {
  return reports === undefined || reports.length === 0 ? {} : { performanceSecondaries: reports };
}

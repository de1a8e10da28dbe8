/**
 * failover (disaster): promote the DR secondary of a primary that is down; then move DNS; then
 * demote the old primary if it answers, and never wait on a dead one. A primary is judged down only
 * after repeated failing probes over a window and the secondary's own view agreeing (liveness.ts),
 * unless forced. When both clusters are DR secondaries (our own demote was followed by a failed
 * promotion), it promotes the one with the latest data, or asks the operator to choose (`target`).
 * Every refusal happens before the first change.
 */
import {
  assessTopology,
  describeView,
  isDemoted,
  isHealthyDrSecondary,
  nextWithPrimary,
  needsVaultForce,
  type ClusterView,
} from '../shared/cluster-probe';
import { DeadlineError, DrError, InputError, RefusedError, StepFailedError, type NextCommand } from '../shared/errors';
import { dnsNext, switchDns } from './dns-step';
import { judgePrimaryDown, probeOffsetMs, type LivenessSettings, type Observation, type Verdict } from './liveness';
import { BREAK_GLASS_TOKEN_PLACEHOLDER } from './event';
import type { OperationContext, OperationResult } from './operation-context';
import { demote, promote, PromotionNotDoneError, PromotionUnknownError, usableDrToken, waitForRole } from './replication-steps';
import type { PrimaryRecord } from '../shared/primary-record';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../shared/recorded-primary';
import type { Secret } from '../shared/secret';
import { compareVaultVersions, newerOverOlder } from './versions';
import { followPrimaryAll, performanceFields, performanceWarnings, withPerformanceNext } from './performance-follow';

export interface FailoverRequest {
  readonly force: boolean;
  /** The cluster to promote, when the operator chooses. */
  readonly target: string | undefined;
}

export type FailoverPlan =
  | {
      readonly kind: 'no-op';
      readonly reason: string;
      readonly primary: ClusterView;
      readonly next: NextCommand | null;
      /** force over a stale primary: record it as the primary (giving up the recorded one's writes). */
      readonly adopt?: true;
    }
  /** No cluster is primary and one has no active node: wait for it to settle, then plan again. */
  | { readonly kind: 'wait'; readonly cluster: ClusterView }
  | {
      readonly kind: 'promote';
      readonly target: ClusterView;
      readonly old: ClusterView;
      /** Demote the old primary first (it still answers as primary: only with force). */
      readonly demoteFirst: boolean;
      /** Try to demote the old primary after the promotion: it answers, but not as a primary. */
      readonly demoteAfter: boolean;
      /** Vault's own `force` on promote: the target's data is not in sync. */
      readonly forcePromote: boolean;
      /** Confirm over the window that the old cluster does not answer as primary (skipped with force). */
      readonly confirmOldDown: boolean;
      /** Ask the target's replication view of the primary too (it has one). */
      readonly askTargetView: boolean;
      /** Why this cluster, when it was chosen between two DR secondaries. */
      readonly choice?: string;
    };

const FAILOVER: Readonly<Record<string, unknown>> = { operation: 'failover' };

function refusal(why: string, views: readonly ClusterView[], next: NextCommand | null): never {
  throw new RefusedError(`failover refused: ${why}`, { next }).attach({ changed: [], clusters: views.map(describeView), next });
}


/**
 * Both clusters are DR secondaries: which one holds the latest data? A demoted cluster was the
 * primary of a secondary that still knows a primary (in a pair, the only other cluster), so it holds
 * everything that secondary received. Two secondaries with known primaries compare their WAL
 * indexes (last_remote_wal). Anything else is undocumented: the operator chooses.
 */
export function chooseBetweenSecondaries(a: ClusterView, b: ClusterView): { chosen: ClusterView; why: string } | undefined {
  if (isDemoted(a) && b.hasKnownPrimary === true) return { chosen: a, why: `${a.name} was demoted and ${b.name} still replicates from a primary: ${a.name} was that primary and holds every write ${b.name} received` };
  if (isDemoted(b) && a.hasKnownPrimary === true) return { chosen: b, why: `${b.name} was demoted and ${a.name} still replicates from a primary: ${b.name} was that primary and holds every write ${a.name} received` };
  if (a.hasKnownPrimary === true && b.hasKnownPrimary === true && a.lastRemoteWal !== undefined && b.lastRemoteWal !== undefined && a.lastRemoteWal !== b.lastRemoteWal) {
    const [newer, older] = a.lastRemoteWal > b.lastRemoteWal ? [a, b] : [b, a];
    return { chosen: newer, why: `${newer.name} received WAL ${newer.lastRemoteWal}, ${older.name} only ${older.lastRemoteWal}` };
  }
  return undefined;
}

/**
 * Decides from the clusters' answers and the primary record; throws RefusedError (or InputError)
 * when no safe failover exists.
 */
export function planFailover(views: readonly [ClusterView, ClusterView], request: FailoverRequest, settled = false, record?: PrimaryRecord): FailoverPlan {
  const { force, target: targetName } = request;
  if (targetName !== undefined && !views.some((v) => v.name === targetName)) {
    throw new InputError('target', `must name one of the clusters (${views.map((v) => v.name).join(', ')}), got ${JSON.stringify(targetName)}`);
  }
  const topology = assessTopology(views);
  if (topology.kind === 'split-brain') {
    return refusal('both clusters answer as DR primary (split brain); resolve it with link and demote first', views, splitBrainNext(views, record));
  }
  if (topology.kind === 'one-primary') {
    const { primary, other } = topology;
    const stale = findStalePrimary(views, record);
    if (stale !== undefined) {
      if (!force || targetName === other.name) {
        return refusal(`${stalePrimaryReason(stale)}. Keeping ${primary.name} as the primary would give up those writes: pass force: true only if ${other.name} is lost for good`, views, stalePrimaryNext(stale));
      }
      return { kind: 'no-op', reason: `${primary.name} is the only active primary (forced over the record of ${other.name})`, primary, next: nextWithPrimary(primary, other), adopt: true };
    }
    if (targetName === primary.name || !isHealthyDrSecondary(other)) {
      return { kind: 'no-op', reason: `${primary.name} is already the only active primary`, primary, next: nextWithPrimary(primary, other) };
    }
    if (!force && primary.problem !== undefined) {
      // sys/health said primary (perhaps from a standby that reaches its active node), but the
      // replication status, which the active node answers, failed: it may not serve clients.
      return refusal(
        `${primary.name} answers sys/health as an active primary, but ${primary.problem}, so whether it serves clients is not known. ` +
          'Run failover again to look once more; if clients cannot write to it, pass force: true (it is demoted before the secondary is promoted)',
        views,
        { function: 'dr-operations', event: FAILOVER, why: `looks at ${primary.name} again: nothing to do if it answers in full, and a refusal that names force if it still does not` },
      );
    }
    if (!force) {
      return refusal(
        `${primary.name} answers as a healthy active primary and ${other.name} is its DR secondary, so there is nothing to fail over from. ` +
          'For a planned move use switchover; to fail over anyway pass force: true (the primary is demoted before the secondary is promoted)',
        views,
        // The clusters need nothing, but the name may not follow them (an earlier run promoted and
        // could not move DNS): dns-switch points it at the one active primary, a no-op if it does.
        { function: 'dns-switch', event: {}, why: `makes sure the name points at ${primary.name}, the active primary (a no-op when it does)` },
      );
    }
    return { kind: 'promote', target: other, old: primary, demoteFirst: true, demoteAfter: false, forcePromote: false, confirmOldDown: false, askTargetView: false };
  }

  if (!settled) {
    const transitioning = views.find((v) => v.role === 'no-leader');
    if (transitioning !== undefined) return { kind: 'wait', cluster: transitioning };
  }
  if (views.every((v) => !v.reachable)) {
    return refusal('neither cluster answers', views, { function: 'dr-operations', event: FAILOVER, why: 'run it again once a cluster answers' });
  }
  const secondaries = views.filter((v) => v.role === 'dr-secondary');
  if (secondaries.length === 2) {
    const [a, b] = views;
    const chosen = targetName !== undefined ? { chosen: targetName === a.name ? a : b, why: `${targetName} was chosen by the operator (target)` } : chooseBetweenSecondaries(a, b);
    if (chosen === undefined) {
      return refusal(
        'both clusters are DR secondaries and their replication status does not say which one holds the latest data; choose the cluster to promote',
        views,
        {
          function: 'dr-operations',
          event: { operation: 'failover', target: '<cluster>' },
          why: 'promote the cluster that was the primary last (the other one still points at it, or it was demoted most recently)',
          choose: { field: 'target', from: views.map((v) => v.name) },
        },
      );
    }
    const old = chosen.chosen === a ? b : a;
    if (needsVaultForce(chosen.chosen) && !force) {
      return refusal(`${chosen.chosen.name} is not in sync (${describeView(chosen.chosen)}); promoting it may lose data`, views, {
        function: 'dr-operations',
        event: { operation: 'failover', target: chosen.chosen.name, force: true },
        why: `promotes ${chosen.chosen.name} anyway`,
      });
    }
    return {
      kind: 'promote',
      target: chosen.chosen,
      old,
      demoteFirst: false,
      demoteAfter: false,
      forcePromote: needsVaultForce(chosen.chosen),
      confirmOldDown: !force,
      askTargetView: false,
      choice: chosen.why,
    };
  }
  const target = secondaries[0];
  if (target === undefined) {
    return refusal('no cluster answers as a primary and none is a DR secondary that could be promoted', views, {
      function: 'dr-operations',
      event: FAILOVER,
      why: 'run it again once a cluster answers as a DR secondary (unsealed)',
    });
  }
  if (targetName !== undefined && targetName !== target.name) {
    return refusal(`${targetName} is not a DR secondary (${describeView(views.find((v) => v.name === targetName) as ClusterView)})`, views, {
      function: 'dr-operations',
      event: FAILOVER,
      why: `promotes ${target.name}, the only DR secondary`,
    });
  }
  const old = views[0] === target ? views[1] : views[0];
  if (old.role === 'standalone') {
    return refusal(`${old.name} answers as an active cluster with DR replication disabled; promoting ${target.name} would give two active clusters`, views, null);
  }
  const healthy = isHealthyDrSecondary(target);
  if (!healthy && !force) {
    return refusal(`${target.name} is not a healthy DR secondary (${describeView(target)}); promoting it may lose data. Pass force: true to promote it anyway`, views, {
      function: 'dr-operations',
      event: { operation: 'failover', force: true },
      why: `promotes ${target.name} anyway (it may miss recent writes)`,
    });
  }
  // A sealed or dead cluster cannot be demoted now; link demotes it when it returns.
  const demoteAfter = old.reachable && (old.role === 'no-leader' || old.role === 'error');
  return { kind: 'promote', target, old, demoteFirst: false, demoteAfter, forcePromote: needsVaultForce(target), confirmOldDown: !force, askTargetView: !force };
}

function liveness(ctx: OperationContext): LivenessSettings {
  return { probes: ctx.settings.primaryDownProbes, windowMs: ctx.settings.primaryDownWindowMs, heartbeatStaleMs: ctx.settings.primaryHeartbeatStaleMs };
}

/**
 * The confirmation that `old` is down: more probes of it over the window, each on a new
 * connection, then the target's view of it. Bounded by the deadline: when the window does not fit,
 * nothing is changed and the operator is told to run it again with more time.
 */
async function confirmDown(ctx: OperationContext, old: ClusterView, firstAtMs: number, target: ClusterView, askTargetView: boolean): Promise<{ verdict: Verdict; target: ClusterView }> {
  const settings = liveness(ctx);
  const needed = probeOffsetMs(settings.probes - 1, settings) - (Date.now() - firstAtMs) + ctx.settings.requestTimeoutMs;
  if (ctx.deadline.remainingMs() < needed) {
    throw new DeadlineError(
      `failover stopped before any change: confirming that ${old.name} is down takes about ${needed} ms (PRIMARY_DOWN_WINDOW_MS) and ${ctx.deadline.remainingMs()} ms of the invocation are left`,
      { next: { function: 'dr-operations', event: { ...FAILOVER, ...(ctx.request.target ? { target: ctx.request.target } : {}) }, why: 'run it again with the full Lambda timeout' } },
    );
  }
  const observations: Observation[] = [{ atMs: firstAtMs, view: old }];
  let latestTarget = target;
  for (let k = 1; k < settings.probes; k++) {
    const due = firstAtMs + probeOffsetMs(k, settings);
    // Timers may fire a millisecond early: the window is a lower bound.
    while (Date.now() < due && !ctx.deadline.expired()) await ctx.deadline.sleep(due - Date.now());
    const atMs = Date.now();
    const last = k === settings.probes - 1;
    const [view, targetView] = await Promise.all([
      ctx.clusters.probeFresh(old),
      last && askTargetView ? ctx.clusters.probeFresh(target) : Promise.resolve(undefined),
    ]);
    observations.push({ atMs, view });
    ctx.journal.see(view);
    if (targetView !== undefined) {
      latestTarget = targetView;
      ctx.journal.see(targetView);
    }
    if (view.role === 'primary') break;
  }
  if (askTargetView && settings.probes <= 1) {
    latestTarget = await ctx.clusters.probeFresh(target);
    ctx.journal.see(latestTarget);
  }
  let verdict = judgePrimaryDown(observations, askTargetView ? latestTarget : undefined, settings);
  // Disconnected, heartbeat not old enough yet: wait for it to age if that fits, then look once more.
  const age = latestTarget.primaryLink?.heartbeatAgeMs;
  if (!verdict.down && askTargetView && latestTarget.primaryLink?.connected === false && age !== undefined && age < settings.heartbeatStaleMs) {
    const wait = settings.heartbeatStaleMs - age + 100;
    if (ctx.deadline.remainingMs() > wait + ctx.settings.requestTimeoutMs * 2) {
      await ctx.deadline.sleep(wait);
      const atMs = Date.now();
      const [view, targetView] = await Promise.all([ctx.clusters.probeFresh(old), ctx.clusters.probeFresh(target)]);
      observations.push({ atMs, view });
      latestTarget = targetView;
      ctx.journal.see(view, targetView);
      verdict = judgePrimaryDown(observations, latestTarget, settings);
    }
  }
  return { verdict, target: latestTarget };
}

export async function failover(ctx: OperationContext): Promise<OperationResult> {
  const { timeline, request, journal } = ctx;
  let firstAtMs = Date.now();
  const [probed, record] = await Promise.all([
    timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | ')),
    timeline.run('read primary record', () => ctx.primaryRecord.read(), (r) => r?.cluster ?? 'none'),
  ]);
  let views = probed;
  journal.see(...views);
  let plan = planFailover(views, request, false, record);
  if (plan.kind === 'wait') {
    const cluster = plan.cluster;
    const settledView = await timeline
      .run(`wait for ${cluster.name} to settle`, () => waitForRole(ctx, cluster, 'settled (an active node)', (v) => v.role !== 'no-leader'), (v) => describeView(v))
      .catch(() => ctx.journal.views().find((v) => v.name === cluster.name) ?? cluster);
    views = views.map((v) => (v.name === cluster.name ? settledView : v)) as [ClusterView, ClusterView];
    firstAtMs = Date.now();
    plan = planFailover(views, request, true, record);
  }
  if (plan.kind === 'wait') throw new StepFailedError('internal: a settled plan cannot wait');
  if (plan.kind === 'no-op') {
    timeline.note('failover', 'no-op', plan.reason);
    if (plan.adopt && !request.dryRun) {
      await timeline.run(`record ${plan.primary.name} as the primary`, () => ctx.primaryRecord.write(plan.primary.name), (r) => `was ${r?.cluster ?? 'none'}`);
      journal.change(`recorded ${plan.primary.name} as the primary (force)`);
    }
    // A previous run may have promoted and then failed to move DNS: make sure DNS follows.
    const dns = request.dryRun ? undefined : await switchDns(ctx, plan.primary.name);
    // A previous run may have promoted and not re-pointed every performance secondary: they follow it now.
    const performance = await followPrimaryAll(ctx, plan.primary);
    const perfWarnings = performanceWarnings(performance);
    if (dns?.kind === 'failed') {
      throw new StepFailedError([`${plan.reason}, but moving DNS to it failed: ${dns.error}`, ...perfWarnings].join('. '), { next: dnsNext(plan.primary.name) });
    }
    return {
      outcome: 'no-op',
      summary: `nothing to do: ${plan.reason}`,
      clusters: views,
      ...(perfWarnings.length ? { warnings: perfWarnings } : {}),
      next: dns?.kind === 'not-chained' ? dnsNext(plan.primary.name) : withPerformanceNext(plan.next, performance),
      ...(dns?.kind === 'moved' ? { dnsSwitch: dns.answer } : {}),
      ...performanceFields(performance),
    };
  }

  const { target, old } = plan;
  // The token is checked before the confirmation window: a refusal for it should not wait.
  const drToken = await usableDrToken(ctx);
  let evidence: readonly string[] | undefined;
  let targetView = target;
  if (plan.confirmOldDown) {
    const confirmed = await timeline.run(`confirm ${old.name} is down`, () => confirmDown(ctx, old, firstAtMs, target, plan.askTargetView), (c) => (c.verdict.down ? 'down' : 'may be alive'));
    evidence = confirmed.verdict.evidence;
    targetView = confirmed.target;
    if (!confirmed.verdict.down) {
      return refusal(`the primary may be alive: ${confirmed.verdict.why} (evidence: ${confirmed.verdict.evidence.join('; ')}). If you know ${old.name} is down, pass force: true`, ctx.journal.views(), {
        function: 'dr-operations',
        event: { operation: 'failover', force: true, ...(request.target ? { target: request.target } : {}) },
        why: `only if you know ${old.name} is down (or must be given up): force skips this check and promotes ${target.name}`,
      });
    }
  } else if (request.force && plan.demoteFirst === false) {
    evidence = ['not confirmed: force'];
  }
  const oldFate = plan.demoteFirst
    ? `demote ${old.name} first (it still answers as primary)`
    : plan.demoteAfter
      ? `then try to demote ${old.name} (it answers, but not as a primary)`
      : `leave ${old.name} alone (${old.role}); demote it with link when it returns`;
  if (request.dryRun) {
    if (plan.demoteFirst) timeline.note(`demote ${old.name}`, 'planned');
    timeline.note(`promote ${target.name}`, 'planned', plan.forcePromote ? 'with force' : plan.choice);
    if (ctx.settings.dnsSwitchFunctionName) timeline.note('switch DNS', 'planned', ctx.settings.dnsSwitchFunctionName);
    if (plan.demoteAfter) timeline.note(`demote ${old.name}`, 'planned', 'best effort');
    const { dryRun: _dry, reason: _reason, drOperationToken, ...rest } = { ...request, operation: 'failover' };
    // A break-glass token is never repeated: the next command names where it goes.
    const event = { ...rest, ...(drOperationToken === undefined ? {} : { drOperationToken: BREAK_GLASS_TOKEN_PLACEHOLDER }) };
    const performance = await followPrimaryAll(ctx, target);
    return {
      ...performanceFields(performance),
      outcome: 'dry-run',
      summary: `would promote ${target.name}${plan.choice ? ` (${plan.choice})` : ''}; ${oldFate}`,
      clusters: ctx.journal.views(),
      ...(evidence ? { evidence } : {}),
      next: { function: 'dr-operations', event: Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined && v !== false)), why: 'does what this dry run describes' },
    };
  }

  const warnings: string[] = [];
  if (plan.demoteFirst) await demote(ctx, old);
  let promoted;
  try {
    promoted = await promote(ctx, targetView, drToken, plan.forcePromote);
  } catch (err) {
    if (plan.demoteFirst) throw await afterFailedPromote(ctx, 'failover', old, targetView, drToken, err);
    // The target may be (or become) a primary while the old one was never demoted: say so first.
    throw err instanceof PromotionNotDoneError || old.role === 'dr-secondary' ? withFailoverNext(err, target) : notDemotedFirst(withFailoverNext(err, target), old);
  }
  const dns = await switchDns(ctx, target.name);
  // Clients first; then the demote of an old primary that answers, even when DNS failed.
  if (plan.demoteAfter) {
    try {
      await demote(ctx, old);
      // It answered as a primary again (a demote succeeds only on one) while the other was being
      // promoted: both may have taken client writes until now.
      warnings.push(
        `${old.name} was not demoted before ${target.name} was promoted (it answered as ${old.role}); it was a primary again and was demoted after the promotion: client writes it accepted in between are not on ${target.name}`,
      );
    } catch (err) {
      warnings.push(`${old.name} could not be demoted (${(err as Error).message}); it may still accept client writes: run link with demote: "${old.name}"`);
    }
  } else if (!plan.demoteFirst && old.role !== 'dr-secondary') {
    warnings.push(`${old.name} was not demoted (${old.role}); if it returns as a primary it accepts client writes until it is demoted: run link with demote: "${old.name}"`);
  }
  // Then the performance secondaries follow the new primary; none of them can fail the failover.
  const performance = await followPrimaryAll(ctx, target);
  warnings.push(...performanceWarnings(performance));
  if (dns.kind === 'failed') {
    throw new StepFailedError([...warnings, `${target.name} is the active primary, but moving DNS to it failed: ${dns.error}`].join('. '), { next: dnsNext(target.name) });
  }
  const by = promoted.byThisInvocation ? 'promoted' : 'was found promoted (its promote answer was lost, or another invocation promoted it)';
  const oldNext = afterUpgradeOf(
    old,
    targetView,
    plan.demoteFirst || old.role === 'dr-secondary'
      ? { function: 'dr-operations', event: { operation: 'link' }, why: `re-attach ${old.name} as the DR secondary of ${target.name}` }
      : nextWithPrimary(promoted.view, ctx.journal.views().find((v) => v.name === old.name) ?? old),
  );
  const inversion = newerOverOlder(targetView, old);
  if (inversion !== undefined) warnings.push(`${inversion}: upgrade ${old.name} to ${targetView.version} or later before re-attaching it`);
  return {
    outcome: promoted.byThisInvocation ? 'succeeded' : 'no-op',
    summary: `${target.name} ${by} and is the active primary`,
    // No second probe of both: a dead old primary would cost another timeout on the critical path.
    clusters: ctx.journal.views(),
    ...(evidence ? { evidence } : {}),
    ...(warnings.length ? { warnings } : {}),
    next: dns.kind === 'not-chained' ? dnsNext(target.name) : withPerformanceNext(oldNext, performance),
    ...(dns.kind === 'moved' ? { dnsSwitch: dns.answer } : {}),
    ...performanceFields(performance),
  };
}

/**
 * A disaster failover is never blocked for versions: an older secondary promoted over a newer old
 * primary is the safe direction; a newer one is promoted too, but its old primary, running an older
 * version, must be upgraded before it is re-attached as its DR secondary: the next command says so.
 */
export function afterUpgradeOf(old: ClusterView, target: ClusterView, next: NextCommand | null): NextCommand | null {
  if (next === null || next.event.operation !== 'link') return next;
  if (newerOverOlder(target, old) !== undefined) {
    return { ...next, why: `first upgrade ${old.name} (Vault ${old.version}) to ${target.version} or later: replicating from a newer version to an older one is not safe; then ${next.why}` };
  }
  // The old primary did not say its version (it did not answer): the condition goes with the command.
  if (old.version === undefined && compareVaultVersions(target.version, target.version) === 0) {
    return { ...next, why: `${next.why} (once it runs Vault ${target.version} or later: replicating from a newer version to an older one is not safe)` };
  }
  return next;
}

/**
 * A failure after a promote that may have taken effect, in a disaster failover that did not demote
 * the old primary: the reason starts with that, since the old primary may return as a primary and
 * take client writes beside the new one.
 */
function notDemotedFirst(err: unknown, old: ClusterView): unknown {
  if (!(err instanceof DrError) || err.details !== undefined) return err;
  const reason = `${old.name} was not demoted (${old.role}); if it returns as a primary it accepts client writes until it is demoted (link with demote: "${old.name}"). ${err.reason}`;
  return err instanceof DeadlineError ? new DeadlineError(reason, { next: err.next }) : new StepFailedError(reason, { next: err.next });
}

/** A promote failure in a disaster failover (nothing was demoted): the next command, by what is known. */
function withFailoverNext(err: unknown, target: ClusterView): unknown {
  if (err instanceof PromotionNotDoneError) {
    return new StepFailedError(`failover failed: ${err.reason}`, {
      next: { function: 'dr-operations', event: FAILOVER, why: `it tries again once the cause is fixed (${target.name} is still a DR secondary)` },
    });
  }
  if (err instanceof PromotionUnknownError) {
    return new StepFailedError(`failover stopped: ${err.reason}`, {
      next: { function: 'dr-operations', event: FAILOVER, why: `once ${target.name} answers it continues with it if it was promoted, or promotes it if not` },
    });
  }
  return err;
}

/**
 * The old primary was demoted, then the promotion of the other cluster failed. The old one is
 * promoted back only when the other is certainly still a DR secondary; when that cannot be known,
 * nothing more is done and the error says what to run.
 */
export async function afterFailedPromote(
  ctx: OperationContext,
  operation: string,
  old: ClusterView,
  target: ClusterView,
  drToken: Secret,
  cause: unknown,
): Promise<Error> {
  if (!(cause instanceof PromotionNotDoneError)) {
    const reason = cause instanceof DrError ? cause.reason : (cause as Error).message;
    return new StepFailedError(
      `${operation} stopped: ${reason}. ${old.name} was demoted and was NOT promoted back, because ${target.name} may have accepted the promote (two primaries must never run)`,
      { next: { function: 'dr-operations', event: FAILOVER, why: `once ${target.name} answers, it continues with ${target.name} if it was promoted, or promotes ${old.name} (which holds the latest data) if both are DR secondaries` } },
    );
  }
  try {
    await promote(ctx, old, drToken, false);
    ctx.journal.change(`${old.name} promoted back`);
  } catch (rollbackErr) {
    return new StepFailedError(
      `${operation} failed (${cause.reason}) and promoting ${old.name} back also failed (${(rollbackErr as Error).message}): no cluster is primary`,
      { next: { function: 'dr-operations', event: FAILOVER, why: `both clusters are DR secondaries; failover promotes ${old.name}, which holds the latest data` } },
    );
  }
  return new StepFailedError(`${operation} failed (${cause.reason}); ${old.name} was promoted back and is primary again`, {
    next: null,
  });
}

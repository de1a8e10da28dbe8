/**
 * failover (disaster): promote the DR secondary; demote the old primary only if it answers, and
 * never wait on a dead one. Every refusal happens before the first change.
 */
import { assessTopology, describeView, isHealthyDrSecondary, type ClusterView } from '../shared/cluster-probe';
import { RefusedError } from '../shared/errors';
import type { OperationContext, OperationResult } from './operation-context';
import { demote, promote, promoteBack, usableDrToken } from './replication-steps';
import { switchDns } from './dns-step';

export type FailoverPlan =
  | { readonly kind: 'no-op'; readonly reason: string; readonly primary: ClusterView }
  | {
      readonly kind: 'promote';
      readonly target: ClusterView;
      readonly old: ClusterView;
      /** Demote the old primary first (it still answers as primary: only with force). */
      readonly demoteFirst: boolean;
      /** Try to demote the old primary after the promotion: it answers, but not as a primary. */
      readonly demoteAfter: boolean;
      /** Vault's own `force` on promote: the target is not a healthy DR secondary. */
      readonly forcePromote: boolean;
    };

const refuse = (why: string, views: readonly ClusterView[]): never => {
  throw new RefusedError(`failover refused: ${why}. Nothing was changed. Clusters: ${views.map(describeView).join('; ')}`);
};

/** Decides from the clusters' answers alone; throws RefusedError when no safe failover exists. */
export function planFailover(views: readonly [ClusterView, ClusterView], force: boolean): FailoverPlan {
  const topology = assessTopology(views);
  if (topology.kind === 'split-brain') {
    return refuse('both clusters answer as DR primary (split brain); resolve it with link and demote first', views);
  }
  if (topology.kind === 'one-primary') {
    const { primary, other } = topology;
    if (!isHealthyDrSecondary(other)) {
      return { kind: 'no-op', reason: `${primary.name} is already the only active primary`, primary };
    }
    if (!force) {
      return refuse(
        `${primary.name} answers as a healthy active primary and ${other.name} is its DR secondary, so there is nothing to fail over from. ` +
          'For a planned move use switchover; to fail over anyway pass force: true (the primary is demoted before the secondary is promoted)',
        views,
      );
    }
    return { kind: 'promote', target: other, old: primary, demoteFirst: true, demoteAfter: false, forcePromote: false };
  }

  if (views.every((v) => !v.reachable)) return refuse('neither cluster answers', views);
  const secondaries = views.filter((v) => v.role === 'dr-secondary');
  const healthy = secondaries.filter(isHealthyDrSecondary);
  if (secondaries.length === 2) {
    return refuse('neither cluster is a primary and both are DR secondaries, so the clusters cannot tell which one holds the latest data; promote one by hand (see the runbook)', views);
  }
  const target = healthy[0] ?? secondaries[0];
  if (target === undefined) return refuse('no cluster answers as a primary and none is a DR secondary that could be promoted', views);
  const old = views[0] === target ? views[1] : views[0];
  if (old.role === 'standalone') {
    return refuse(`${old.name} answers as an active cluster with DR replication disabled; promoting ${target.name} would give two active clusters`, views);
  }
  const forcePromote = !isHealthyDrSecondary(target);
  if (forcePromote && !force) {
    return refuse(
      `${target.name} is not a healthy DR secondary (${describeView(target)}); promoting it may lose data. Pass force: true to promote it anyway`,
      views,
    );
  }
  // A sealed or dead cluster cannot be demoted now; link demotes it when it returns.
  const demoteAfter = old.reachable && (old.role === 'no-leader' || old.role === 'error');
  return { kind: 'promote', target, old, demoteFirst: false, demoteAfter, forcePromote };
}

export async function failover(ctx: OperationContext): Promise<OperationResult> {
  const { timeline, request } = ctx;
  const views = await timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | '));
  const plan = planFailover(views, request.force);
  if (plan.kind === 'no-op') {
    timeline.note('failover', 'no-op', plan.reason);
    // A previous run may have promoted and then failed to move DNS: make sure DNS follows.
    const dnsSwitch = request.dryRun ? undefined : await switchDns(ctx, plan.primary.name);
    return { outcome: 'no-op', summary: `nothing to do: ${plan.reason}`, clusters: views, ...(dnsSwitch === undefined ? {} : { dnsSwitch }) };
  }
  const drToken = await usableDrToken(ctx);
  const { target, old } = plan;
  const oldFate = plan.demoteFirst
    ? `demote ${old.name} first (it still answers as primary)`
    : plan.demoteAfter
      ? `then try to demote ${old.name} (it answers, but not as a primary)`
      : `leave ${old.name} alone (${old.role}); demote it with link when it returns`;
  if (request.dryRun) {
    if (plan.demoteFirst) timeline.note(`demote ${old.name}`, 'planned');
    timeline.note(`promote ${target.name}`, 'planned', plan.forcePromote ? 'with force' : undefined);
    if (plan.demoteAfter) timeline.note(`demote ${old.name}`, 'planned', 'best effort');
    if (ctx.settings.dnsSwitchFunctionName) timeline.note('switch DNS', 'planned', ctx.settings.dnsSwitchFunctionName);
    return { outcome: 'dry-run', summary: `would promote ${target.name}; ${oldFate}`, clusters: views };
  }

  const warnings: string[] = [];
  const latest = new Map<string, ClusterView>();
  if (plan.demoteFirst) latest.set(old.name, await demote(ctx, old, drToken));
  const promoted = await promote(ctx, target, drToken, plan.forcePromote).catch((err: Error) =>
    plan.demoteFirst ? promoteBack(ctx, old, drToken, 'failover', err) : Promise.reject(err),
  );
  latest.set(target.name, promoted.view);
  // Clients move first; the best-effort demote of a broken old primary comes after.
  const dnsSwitch = await switchDns(ctx, target.name);
  if (plan.demoteAfter) {
    try {
      latest.set(old.name, await demote(ctx, old, drToken));
    } catch (err) {
      warnings.push(`${old.name} could not be demoted (${(err as Error).message}); run link with demote: "${old.name}" if it comes back as a primary`);
    }
  } else if (!plan.demoteFirst) {
    warnings.push(`${old.name} was not demoted (${old.role}); when it returns it must be demoted before it serves clients: run link`);
  }
  const by = promoted.byThisInvocation ? 'promoted' : 'was already being promoted (by another invocation); waited for it';
  return {
    outcome: promoted.byThisInvocation ? 'succeeded' : 'no-op',
    summary: `${target.name} ${by} and is the active primary`,
    // No second probe: a dead old primary would cost another timeout on the critical path.
    clusters: views.map((v) => latest.get(v.name) ?? v),
    ...(warnings.length ? { warnings } : {}),
    ...(dnsSwitch === undefined ? {} : { dnsSwitch }),
  };
}

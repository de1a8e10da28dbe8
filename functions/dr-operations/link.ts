/**
 * link: re-attach a returned or demoted cluster as the DR secondary of the current primary.
 * In a split brain (the old primary came back after a disaster failover) the operator names the
 * cluster to demote: nothing in the clusters' answers says which one clients have been writing to;
 * the primary record (the cluster an operation made the primary last) is the suggestion, and the
 * operator's choice becomes the record. An old primary that answers while the recorded one does not
 * is never taken for the primary to link to.
 */
import { assessTopology, describeView, type ClusterView } from '../shared/cluster-probe';
import { InputError, RefusedError, StepFailedError, type NextCommand } from '../shared/errors';
import type { PrimaryRecord } from '../shared/primary-record';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../shared/recorded-primary';
import { dnsNext, switchDns } from './dns-step';
import type { OperationContext, OperationResult } from './operation-context';
import { demote, relink, usableDrToken } from './replication-steps';
import { newerOverOlder } from './versions';
import { followPrimary, followPrimaryAll, performanceFields, performanceWarnings, withPerformanceNext } from './performance-follow';
import type { ClusterRef } from '../shared/settings/clusters';
import { performanceTarget } from './performance-target';

export type LinkPlan =
  | { readonly kind: 'no-op'; readonly reason: string }
  | {
      readonly kind: 'link';
      readonly primary: ClusterView;
      readonly secondary: ClusterView;
      readonly demoteFirst: boolean;
      /** Split brain only: the operator kept a cluster the primary record does not name; it becomes the record. */
      readonly recordKeep?: true;
      /** Split brain only: the stale primary runs an older version; it is demoted (one writer) but not re-attached. */
      readonly relinkBlocked?: string;
    };

/** The next step after a refusal for versions: upgrade the older cluster, then link. */
function afterUpgrade(primary: ClusterView, secondary: ClusterView): NextCommand {
  return { function: 'dr-operations', event: { operation: 'link' }, why: `once ${secondary.name} runs ${primary.version} or later (upgrade it first), re-attaches it as the DR secondary of ${primary.name}` };
}

export function planLink(views: readonly [ClusterView, ClusterView], demoteName: string | undefined, force: boolean, record?: PrimaryRecord): LinkPlan {
  const refuse = (why: string, next: NextCommand | null = null): never => {
    throw new RefusedError(`link refused: ${why}`, { next }).attach({ changed: [], clusters: views.map(describeView), next });
  };
  if (demoteName !== undefined && !views.some((v) => v.name === demoteName)) {
    throw new InputError('demote', `must name one of the clusters (${views.map((v) => v.name).join(', ')}), got ${JSON.stringify(demoteName)}`);
  }
  const topology = assessTopology(views);
  if (topology.kind === 'split-brain') {
    if (demoteName === undefined) {
      return refuse(
        'both clusters answer as DR primary (split brain). Decide which one clients have been writing to (normally the one promoted last, ' +
          'where DNS points); then run link with demote set to the name of the other one',
        splitBrainNext(views, record),
      );
    }
    const stale = views.find((v) => v.name === demoteName) as ClusterView;
    const keep = views.find((v) => v.name !== demoteName) as ClusterView;
    // Two writers are the worse danger: the stale primary is demoted whatever its version.
    const blocked = newerOverOlder(keep, stale);
    return {
      kind: 'link',
      primary: keep,
      secondary: stale,
      demoteFirst: true,
      ...(record?.cluster === keep.name ? {} : { recordKeep: true }),
      ...(blocked === undefined ? {} : { relinkBlocked: blocked }),
    };
  }
  const stalePrimary = findStalePrimary(views, record);
  if (stalePrimary !== undefined) {
    return refuse(`${stalePrimaryReason(stalePrimary)}; it is demoted once ${stalePrimary.recorded.name} answers again`, stalePrimaryNext(stalePrimary));
  }
  if (topology.kind === 'one-primary' && demoteName === topology.primary.name) {
    throw new InputError('demote', `names ${demoteName}, the only active primary: demoting it would leave no primary; to move the primary use switchover`);
  }
  // Outside a split brain, demote names a cluster that is not (or no longer) a primary: there is
  // nothing to demote, and it is re-attached like any other. A failover names link with demote for
  // an old primary that may come back as one, so that one command converges either way.
  if (topology.kind === 'no-primary') {
    return refuse('no cluster answers as an active primary; run failover first', { function: 'dr-operations', event: { operation: 'failover' }, why: 'makes a cluster the active primary' });
  }
  const { primary, other } = topology;
  if (other.role === 'dr-secondary' && other.drState === 'stream-wals' && other.connectedToPrimary === true) {
    return { kind: 'no-op', reason: `${other.name} already streams from ${primary.name}` };
  }
  if (other.role === 'dr-secondary' && other.drState === 'stream-wals' && !force) {
    return refuse(
      `${other.name} is a DR secondary in stream-wals whose primary connection is down; check the network between the clusters (port 8201) rather than re-linking, or pass force: true to re-link it (it resyncs)`,
      { function: 'dr-operations', event: { operation: 'link', force: true }, why: `re-links ${other.name} (it resyncs) if the network is not the cause` },
    );
  }
  if (other.role !== 'dr-secondary') {
    const how =
      other.role === 'standalone'
        ? 'it has DR replication disabled: enable it as a DR secondary once by hand (see the runbook)'
        : 'it must answer as a DR secondary (or, in a split brain, as a primary to demote); link it when it returns';
    const again: NextCommand | null =
      other.role === 'standalone' ? null : { function: 'dr-operations', event: { operation: 'link', demote: other.name }, why: `when ${other.name} answers again, demotes it if it is a primary and re-attaches it` };
    return refuse(`${other.name} is ${other.role}: ${how}`, again);
  }
  // Not overridden by force (which is about replication health): the safe way is to upgrade first.
  const inversion = newerOverOlder(primary, other);
  if (inversion !== undefined) {
    return refuse(`${inversion}; upgrade ${other.name} to ${primary.version} or later first, then run link. force does not change this`, afterUpgrade(primary, other));
  }
  return { kind: 'link', primary, secondary: other, demoteFirst: false };
}

/**
 * link with `performanceSecondary`: the cluster it must follow, the one active primary that nothing
 * disputes. Refuses (and names the DR command first) in a split brain, with a stale primary, or with
 * no primary; an unknown name is an input error. The DR pair is not changed.
 */
export function planPerformanceLink(views: readonly [ClusterView, ClusterView], name: string, secondaries: readonly ClusterRef[], record?: PrimaryRecord): { primary: ClusterView; secondary: ClusterRef } {
  return performanceTarget('link', views, name, secondaries, record);
}

async function linkPerformance(ctx: OperationContext, name: string, views: readonly [ClusterView, ClusterView], record: PrimaryRecord | undefined): Promise<OperationResult> {
  const { primary, secondary } = planPerformanceLink(views, name, ctx.settings.performanceSecondaries, record);
  const result = await followPrimary(ctx, secondary, primary);
  if (ctx.request.dryRun) {
    return {
      outcome: 'dry-run',
      summary: result.detail,
      clusters: views,
      next: result.verdict === 'follows-other' ? { function: 'dr-operations', event: { operation: 'link', performanceSecondary: name }, why: 'does what this dry run describes' } : result.next,
      ...performanceFields([result]),
    };
  }
  if (result.verdict !== 'follows') {
    throw new StepFailedError(`performance secondary ${name} does not follow ${primary.name}: ${result.detail}`, { next: result.next });
  }
  return {
    outcome: result.repointed ? 'succeeded' : 'no-op',
    summary: result.repointed ? `performance secondary ${name} now follows ${primary.name}` : `nothing to do: ${result.detail}`,
    clusters: views,
    next: null,
    ...performanceFields([result]),
  };
}

export async function link(ctx: OperationContext): Promise<OperationResult> {
  const { timeline, request, journal } = ctx;
  const [views, record] = await Promise.all([
    timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | ')),
    timeline.run('read primary record', () => ctx.primaryRecord.read(), (r) => r?.cluster ?? 'none'),
  ]);
  journal.see(...views);
  if (request.performanceSecondary !== undefined) return linkPerformance(ctx, request.performanceSecondary, views, record);
  const plan = planLink(views, request.demote, request.force, record);
  if (plan.kind === 'no-op') {
    timeline.note('link', 'no-op', plan.reason);
    if (request.dryRun) return { outcome: 'no-op', summary: `nothing to do: ${plan.reason}`, clusters: views, next: null };
    const primary = assessTopology(views);
    if (primary.kind === 'one-primary') await recordStreaming(ctx, record, primary.primary.name);
    const dns = primary.kind === 'one-primary' ? await followDns(ctx, primary.primary.name) : undefined;
    const performance = primary.kind === 'one-primary' ? await followPrimaryAll(ctx, primary.primary) : [];
    const perfWarnings = performanceWarnings(performance);
    return {
      outcome: 'no-op',
      summary: `nothing to do: ${plan.reason}`,
      clusters: views,
      ...(perfWarnings.length ? { warnings: perfWarnings } : {}),
      next: withPerformanceNext(dns?.next ?? null, performance),
      ...(dns?.answer ? { dnsSwitch: dns.answer } : {}),
      ...performanceFields(performance),
    };
  }
  const drToken = await usableDrToken(ctx);
  const { primary, secondary } = plan;
  if (request.dryRun) {
    if (plan.demoteFirst) timeline.note(`demote ${secondary.name}`, 'planned');
    if (plan.relinkBlocked !== undefined) timeline.note(`re-link ${secondary.name}`, 'skipped', plan.relinkBlocked);
    else timeline.note(`re-link ${secondary.name} as DR secondary of ${primary.name}`, 'planned');
    const event = { operation: 'link', ...(request.demote ? { demote: request.demote } : {}), ...(request.force ? { force: true } : {}) };
    return { outcome: 'dry-run', summary: `would attach ${secondary.name} as DR secondary of ${primary.name}`, clusters: views, next: { function: 'dr-operations', event, why: 'does what this dry run describes' } };
  }
  if (plan.recordKeep) {
    // Before the demote: from then on, the kept cluster is the one clients write to.
    await timeline.run(`record ${primary.name} as the primary`, () => ctx.primaryRecord.write(primary.name), (r) => `was ${r?.cluster ?? 'none'}`);
    journal.change(`recorded ${primary.name} as the primary (the operator kept it)`);
  }
  if (plan.demoteFirst) await demote(ctx, secondary);
  if (plan.relinkBlocked !== undefined) {
    throw new StepFailedError(
      `${secondary.name} was demoted (${primary.name} is the only primary), but it is not re-attached: ${plan.relinkBlocked}; upgrade ${secondary.name} to ${primary.version} or later first, then run link`,
      { next: afterUpgrade(primary, secondary) },
    );
  }
  let warning: string | undefined;
  try {
    warning = await relink(ctx, primary, secondary, drToken);
  } catch (err) {
    throw new StepFailedError(`re-linking ${secondary.name} to ${primary.name} failed: ${(err as Error).message}`, {
      next: { function: 'dr-operations', event: { operation: 'link' }, why: `it re-attaches ${secondary.name} (a DR secondary now) once the cause is fixed` },
    });
  }
  const after = await ctx.clusters.probe();
  journal.see(...after);
  await recordStreaming(ctx, record, primary.name);
  const dns = await followDns(ctx, primary.name);
  const performance = await followPrimaryAll(ctx, primary);
  const warnings = [...(warning === undefined ? [] : [warning]), ...performanceWarnings(performance)];
  return {
    outcome: 'succeeded',
    summary: `${secondary.name} is the DR secondary of ${primary.name}`,
    clusters: after,
    ...(warnings.length ? { warnings } : {}),
    next: withPerformanceNext(dns.next, performance),
    ...(dns.answer ? { dnsSwitch: dns.answer } : {}),
    ...performanceFields(performance),
  };
}

/**
 * A primary with the other cluster attached as its DR secondary is the primary, whatever the record
 * says (a cluster was demoted and re-attached by hand): the record follows, so that it never makes
 * a later operation take the primary for a stale one.
 */
async function recordStreaming(ctx: OperationContext, record: PrimaryRecord | undefined, primary: string): Promise<void> {
  if (record === undefined || record.cluster === primary) return;
  await ctx.timeline.run(`record ${primary} as the primary`, () => ctx.primaryRecord.write(primary), (r) => `was ${r?.cluster ?? 'none'}`);
}

/**
 * link ends with DNS on the primary: a failover or switchover before it may have moved the
 * clusters and failed to move DNS, and an answer without a next command promises that DNS points
 * at the one active primary. The chained dns-switch is a no-op when it already does.
 */
async function followDns(ctx: OperationContext, primary: string): Promise<{ next: NextCommand | null; answer?: unknown }> {
  const dns = await switchDns(ctx, primary);
  if (dns.kind === 'failed') {
    throw new StepFailedError(`the link is in place, but making DNS follow ${primary} failed: ${dns.error}`, { next: dnsNext(primary) });
  }
  if (dns.kind === 'not-chained') return { next: dnsNext(primary) };
  return { next: null, answer: dns.answer };
}

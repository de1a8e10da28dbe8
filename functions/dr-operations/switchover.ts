/**
 * switchover (planned: upgrades, drills): demote the primary, promote the secondary, move DNS, then
 * re-link the old primary as the new DR secondary. Demoting first means there is never a moment
 * with two primaries. Clients first: DNS moves as soon as the new primary is active, and a re-link
 * that fails afterwards is reported with the command that finishes it. If the promotion certainly
 * did not happen, the old primary is promoted back; if that cannot be known, nothing more is done.
 */
import { assessTopology, describeView, isHealthyDrSecondary, type ClusterView } from '../shared/cluster-probe';
import { RefusedError, StepFailedError, type NextCommand } from '../shared/errors';
import { dnsNext, switchDns } from './dns-step';
import { afterFailedPromote } from './failover';
import type { OperationContext, OperationResult } from './operation-context';
import { demote, promote, relink, usableDrToken } from './replication-steps';
import type { PrimaryRecord } from '../shared/primary-record';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../shared/recorded-primary';
import { newerOverOlder } from './versions';
import { followPrimaryAll, performanceFields, performanceWarnings, withPerformanceNext } from './performance-follow';

export function planSwitchover(views: readonly [ClusterView, ClusterView], force: boolean, record?: PrimaryRecord): { primary: ClusterView; secondary: ClusterView } {
  const refuse = (why: string, next: NextCommand | null): never => {
    throw new RefusedError(`switchover refused: ${why}`, { next }).attach({ changed: [], clusters: views.map(describeView), next });
  };
  const topology = assessTopology(views);
  if (topology.kind === 'split-brain') {
    return refuse('both clusters answer as DR primary (split brain); resolve it with link and demote first', splitBrainNext(views, record));
  }
  const stale = findStalePrimary(views, record);
  if (stale !== undefined) return refuse(stalePrimaryReason(stale), stalePrimaryNext(stale));
  if (topology.kind === 'no-primary') {
    return refuse('no cluster answers as an active primary; if the primary is down, use failover', { function: 'dr-operations', event: { operation: 'failover' }, why: 'makes the DR secondary the primary' });
  }
  const { primary, other } = topology;
  if (!force && primary.problem !== undefined) {
    // sys/health said primary (perhaps a standby that reaches its active node), but the replication
    // status, which the active node answers, failed: it may not serve clients, and a refusal that
    // named nothing would leave the name on a cluster nobody can write to.
    return refuse(
      `${primary.name} answers sys/health as an active primary, but ${primary.problem}, so whether it serves clients is not known; ` +
        'a planned switchover needs a primary that answers in full (pass force: true to switch over anyway)',
      {
        function: 'dr-operations',
        event: { operation: 'failover' },
        why: `looks at ${primary.name} again: nothing to do if it answers in full, and if it does not, a failover on the evidence (or a refusal that says why)`,
      },
    );
  }
  if (!isHealthyDrSecondary(other)) {
    return refuse(`${other.name} is not a healthy DR secondary (${describeView(other)})`, {
      function: 'dr-operations',
      event: { operation: 'link' },
      why: `re-attaches ${other.name} to ${primary.name}; switch over once it streams`,
    });
  }
  // Not overridden by force (which is about replication health): a planned switchover always has
  // the safe way, upgrading the older cluster first; a disaster has failover.
  const inversion = newerOverOlder(other, primary);
  if (inversion !== undefined) {
    return refuse(
      `${inversion}; a switchover would make ${other.name} the primary and re-attach ${primary.name} as its DR secondary. A Vault version upgrade ` +
        `goes secondary first, then the primary in place, with no switchover (runbook 9.3): upgrade ${primary.name} to ${other.version} or later first, ` +
        'then switch over if you still want to. force does not change this',
      null,
    );
  }
  if (other.connectedToPrimary !== true && !force) {
    return refuse(`${other.name} is not connected to ${primary.name}, so it may be missing recent writes; fix replication first, or pass force: true`, null);
  }
  return { primary, secondary: other };
}

export async function switchover(ctx: OperationContext): Promise<OperationResult> {
  const { timeline, request, journal } = ctx;
  const [views, record] = await Promise.all([
    timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | ')),
    timeline.run('read primary record', () => ctx.primaryRecord.read(), (r) => r?.cluster ?? 'none'),
  ]);
  journal.see(...views);
  const { primary, secondary } = planSwitchover(views, request.force, record);
  const drToken = await usableDrToken(ctx);
  if (request.dryRun) {
    for (const step of [`demote ${primary.name}`, `promote ${secondary.name}`]) timeline.note(step, 'planned');
    if (ctx.settings.dnsSwitchFunctionName) timeline.note('switch DNS', 'planned', ctx.settings.dnsSwitchFunctionName);
    timeline.note(`re-link ${primary.name} as DR secondary of ${secondary.name}`, 'planned');
    const performance = await followPrimaryAll(ctx, secondary);
    return {
      ...performanceFields(performance),
      outcome: 'dry-run',
      summary: `would make ${secondary.name} the primary and ${primary.name} its DR secondary`,
      clusters: views,
      next: { function: 'dr-operations', event: { operation: 'switchover', ...(request.force ? { force: true } : {}) }, why: 'does what this dry run describes' },
    };
  }

  await demote(ctx, primary);
  try {
    await promote(ctx, secondary, drToken, false);
  } catch (err) {
    throw await afterFailedPromote(ctx, 'switchover', primary, secondary, drToken, err);
  }
  const dns = await switchDns(ctx, secondary.name);
  // Then the performance secondaries, before the re-link: their clients' writes are forwarded to
  // the primary they follow, so they wait on this, not on the old primary's re-attachment. None of
  // them can fail the switchover.
  const performance = await followPrimaryAll(ctx, secondary);
  const perfWarnings = performanceWarnings(performance);
  let relinkProblem: string | undefined;
  let warning: string | undefined;
  try {
    warning = await relink(ctx, secondary, primary, drToken);
  } catch (err) {
    relinkProblem = (err as Error).message;
  }
  const relinkNext: NextCommand = { function: 'dr-operations', event: { operation: 'link' }, why: `re-attaches ${primary.name} as the DR secondary of ${secondary.name}` };
  if (dns.kind === 'failed') {
    throw new StepFailedError(
      [`${secondary.name} is the active primary, but moving DNS to it failed: ${dns.error}${relinkProblem ? `; re-linking ${primary.name} failed too: ${relinkProblem} (run link after DNS is fixed)` : ''}`, ...perfWarnings].join('. '),
      { next: dnsNext(secondary.name) },
    );
  }
  if (relinkProblem !== undefined) {
    throw new StepFailedError([`${secondary.name} is the active primary and DNS follows it, but re-linking ${primary.name} failed: ${relinkProblem}`, ...perfWarnings].join('. '), { next: relinkNext });
  }
  return {
    outcome: 'succeeded',
    summary: `${secondary.name} is the primary; ${primary.name} is its DR secondary`,
    clusters: journal.views(),
    ...(warning === undefined && perfWarnings.length === 0 ? {} : { warnings: [...(warning === undefined ? [] : [warning]), ...perfWarnings] }),
    next: dns.kind === 'not-chained' ? dnsNext(secondary.name) : withPerformanceNext(warning === undefined ? null : relinkNext, performance),
    ...(dns.kind === 'moved' ? { dnsSwitch: dns.answer } : {}),
    ...performanceFields(performance),
  };
}

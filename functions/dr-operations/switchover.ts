/**
 * switchover (planned: upgrades, drills): demote the primary, promote the secondary, re-link the
 * old primary as the new DR secondary. Demoting first means there is never a moment with two
 * primaries; if the promotion then fails, the old primary is promoted back.
 */
import { assessTopology, describeView, isHealthyDrSecondary, type ClusterView } from '../shared/cluster-probe';
import { RefusedError } from '../shared/errors';
import { switchDns } from './dns-step';
import type { OperationContext, OperationResult } from './operation-context';
import { demote, promote, promoteBack, relink, usableDrToken } from './replication-steps';

export function planSwitchover(views: readonly [ClusterView, ClusterView], force: boolean): { primary: ClusterView; secondary: ClusterView } {
  const refuse = (why: string): never => {
    throw new RefusedError(`switchover refused: ${why}. Nothing was changed. Clusters: ${views.map(describeView).join('; ')}`);
  };
  const topology = assessTopology(views);
  if (topology.kind === 'split-brain') return refuse('both clusters answer as DR primary (split brain); resolve it with link and demote first');
  if (topology.kind === 'no-primary') return refuse('no cluster answers as an active primary; if the primary is down, use failover');
  const { primary, other } = topology;
  if (!isHealthyDrSecondary(other)) return refuse(`${other.name} is not a healthy DR secondary (${describeView(other)})`);
  if (other.connectedToPrimary !== true && !force) {
    return refuse(`${other.name} is not connected to ${primary.name}, so it may be missing recent writes; fix replication first, or pass force: true`);
  }
  return { primary, secondary: other };
}

export async function switchover(ctx: OperationContext): Promise<OperationResult> {
  const { timeline, request } = ctx;
  const views = await timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | '));
  const { primary, secondary } = planSwitchover(views, request.force);
  const drToken = await usableDrToken(ctx);
  if (request.dryRun) {
    for (const step of [`demote ${primary.name}`, `promote ${secondary.name}`, `re-link ${primary.name} as DR secondary of ${secondary.name}`]) {
      timeline.note(step, 'planned');
    }
    if (ctx.settings.dnsSwitchFunctionName) timeline.note('switch DNS', 'planned', ctx.settings.dnsSwitchFunctionName);
    return { outcome: 'dry-run', summary: `would make ${secondary.name} the primary and ${primary.name} its DR secondary`, clusters: views };
  }

  await demote(ctx, primary, drToken);
  try {
    await promote(ctx, secondary, drToken, false);
  } catch (err) {
    return promoteBack(ctx, primary, drToken, 'switchover', err as Error);
  }
  const warning = await relink(ctx, secondary, primary, drToken);
  const dnsSwitch = await switchDns(ctx, secondary.name);
  const after = await ctx.clusters.probe();
  return {
    outcome: 'succeeded',
    summary: `${secondary.name} is the primary; ${primary.name} is its DR secondary`,
    clusters: after,
    ...(warning === undefined ? {} : { warnings: [warning] }),
    ...(dnsSwitch === undefined ? {} : { dnsSwitch }),
  };
}

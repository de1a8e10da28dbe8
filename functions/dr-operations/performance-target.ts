/**
 * The performance secondary an operation names, and the DR cluster it must follow: the one active
 * primary that nothing disputes. Shared by `link` and `bootstrap` with `performanceSecondary`: an
 * unknown name is an input error that lists the configured names; a split brain, a stale primary
 * (functions/shared/recorded-primary.ts) or no primary at all is a refusal that names the DR
 * command to run first. Pure.
 */
import { assessTopology, describeView, type ClusterView } from '../shared/cluster-probe';
import { InputError, RefusedError, type NextCommand } from '../shared/errors';
import type { PrimaryRecord } from '../shared/primary-record';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../shared/recorded-primary';
import type { ClusterRef } from '../shared/settings/clusters';

/** The configured performance secondary called `name`, or an InputError on `performanceSecondary`. */
export function namedPerformanceSecondary(name: string, secondaries: readonly ClusterRef[]): ClusterRef {
  const secondary = secondaries.find((s) => s.name === name);
  if (secondary !== undefined) return secondary;
  throw new InputError(
    'performanceSecondary',
    secondaries.length === 0
      ? `names ${JSON.stringify(name)}, but no performance secondary is configured (VAULT_PERFORMANCE_SECONDARIES is [])`
      : `must name one of the performance secondaries (${secondaries.map((s) => s.name).join(', ')}), got ${JSON.stringify(name)}`,
  );
}

/**
 * `{primary, secondary}` for `operation` on performance secondary `name`, or the refusal. The
 * primary is the one answering DR primary, never a stale one and never one of two.
 */
export function performanceTarget(
  operation: 'link' | 'bootstrap',
  views: readonly [ClusterView, ClusterView],
  name: string,
  secondaries: readonly ClusterRef[],
  record?: PrimaryRecord,
): { primary: ClusterView; secondary: ClusterRef } {
  const secondary = namedPerformanceSecondary(name, secondaries);
  const refuse = (why: string, next: NextCommand | null): never => {
    throw new RefusedError(`${operation} refused: ${why}`, { next }).attach({ changed: [], clusters: views.map(describeView), next });
  };
  const topology = assessTopology(views);
  if (topology.kind === 'split-brain') {
    return refuse(`both clusters answer as DR primary (split brain): ${name} can follow only the one clients write to; resolve it with link and demote first`, splitBrainNext(views, record));
  }
  const stale = findStalePrimary(views, record);
  if (stale !== undefined) return refuse(`${stalePrimaryReason(stale)}; ${name} is not pointed at it`, stalePrimaryNext(stale));
  if (topology.kind === 'no-primary') {
    return refuse(`no cluster answers as an active primary for ${name} to follow; run failover first`, { function: 'dr-operations', event: { operation: 'failover' }, why: 'makes a cluster the active primary' });
  }
  return { primary: topology.primary, secondary };
}

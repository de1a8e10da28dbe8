/**
 * Which cluster DNS must point at, from the clusters' answers and the primary record. Pure.
 *
 * Without an expected primary, both clusters were probed and exactly one must answer as active
 * primary. With one (dr-operations passes the cluster it has just promoted, having probed both a
 * moment earlier), only that cluster was probed, so a dead old primary does not cost a second probe
 * timeout; it must still answer as primary.
 */
import { assessTopology, type ClusterView } from '../shared/cluster-probe';
import type { NextCommand } from '../shared/errors';
import type { PrimaryRecord } from '../shared/primary-record';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../shared/recorded-primary';

/** A refusal's `next` is undefined when failover is the command to run. */
export type DnsTarget = { readonly kind: 'switch'; readonly primary: string } | { readonly kind: 'refuse'; readonly why: string; readonly next?: NextCommand };

/**
 * Without an expected primary, a cluster that answers as the only primary but is older than the
 * recorded one (its demote did not take effect) is refused: the name must not lead clients away
 * from the writes the recorded primary took.
 */
export function chooseDnsTarget(views: readonly ClusterView[], expected: string | undefined, record?: PrimaryRecord): DnsTarget {
  if (expected !== undefined) {
    const view = views.find((v) => v.name === expected);
    if (view?.role === 'primary') return { kind: 'switch', primary: expected };
    return { kind: 'refuse', why: `${expected} was expected to be the active primary but answers as ${view?.role ?? 'nothing'}` };
  }
  if (views.length !== 2) return { kind: 'refuse', why: 'both clusters must be probed' };
  const topology = assessTopology(views as [ClusterView, ClusterView]);
  if (topology.kind === 'split-brain') return { kind: 'refuse', why: 'both clusters answer as active primary (split brain)', next: splitBrainNext(views, record) };
  if (topology.kind === 'no-primary') return { kind: 'refuse', why: 'no cluster answers as active primary' };
  const stale = findStalePrimary(views, record);
  if (stale !== undefined) return { kind: 'refuse', why: stalePrimaryReason(stale), next: stalePrimaryNext(stale) };
  return { kind: 'switch', primary: topology.primary.name };
}

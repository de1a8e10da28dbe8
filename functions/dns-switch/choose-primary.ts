/**
 * Which cluster DNS must point at, from the clusters' answers alone. Pure.
 *
 * Without an expected primary, both clusters were probed and exactly one must answer as active
 * primary. With one (dr-operations passes the cluster it has just promoted, having probed both a
 * moment earlier), only that cluster was probed, so a dead old primary does not cost a second probe
 * timeout; it must still answer as primary.
 */
import { assessTopology, type ClusterView } from '../shared/cluster-probe';

export type DnsTarget = { readonly kind: 'switch'; readonly primary: string } | { readonly kind: 'refuse'; readonly why: string; readonly splitBrain: boolean };

export function chooseDnsTarget(views: readonly ClusterView[], expected: string | undefined): DnsTarget {
  if (expected !== undefined) {
    const view = views.find((v) => v.name === expected);
    if (view?.role === 'primary') return { kind: 'switch', primary: expected };
    return { kind: 'refuse', why: `${expected} was expected to be the active primary but answers as ${view?.role ?? 'nothing'}`, splitBrain: false };
  }
  if (views.length !== 2) return { kind: 'refuse', why: 'both clusters must be probed', splitBrain: false };
  const topology = assessTopology(views as [ClusterView, ClusterView]);
  if (topology.kind === 'split-brain') return { kind: 'refuse', why: 'both clusters answer as active primary (split brain)', splitBrain: true };
  if (topology.kind === 'no-primary') return { kind: 'refuse', why: 'no cluster answers as active primary', splitBrain: false };
  return { kind: 'switch', primary: topology.primary.name };
}

import type { VaultTopology, VaultTopologyCluster } from './types';

/** The part a cluster plays in the topology when first deployed. */
export type VaultTopologyRole = 'primary' | 'dr' | 'performance-secondary' | 'performance-dr';

/** One cluster of a topology with its role and, for the performance clusters, the index of its performance secondary. */
export interface VaultTopologyMember {
  readonly cluster: VaultTopologyCluster;
  readonly role: VaultTopologyRole;
  /** Index in `performanceSecondaries` (performance clusters only). */
  readonly group?: number;
}

/** Every cluster of the topology: the primary, its DR secondary, then each performance secondary followed by its DR secondary. */
export function topologyMembers(topology: VaultTopology): VaultTopologyMember[] {
  const members: VaultTopologyMember[] = [
    { cluster: topology.primary, role: 'primary' },
    { cluster: topology.dr, role: 'dr' },
  ];
  (topology.performanceSecondaries ?? []).forEach((secondary, group) => {
    members.push({ cluster: secondary.cluster, role: 'performance-secondary', group });
    if (secondary.drCluster !== undefined) members.push({ cluster: secondary.drCluster, role: 'performance-dr', group });
  });
  return members;
}

/**
 * Whether two clusters replicate with each other in some state the topology can reach by DR
 * failovers alone, so each must let the other in on the cluster port (8201) and the API port
 * (8200, which a secondary uses to unwrap its activation token):
 *
 * - the primary and its DR secondary (DR replication);
 * - a performance secondary and both clusters of the primary's DR pair: it replicates from whichever
 *   of them is primary, and after a DR failover of the primary it must follow the promoted one;
 * - a performance secondary's DR secondary and its performance secondary (DR replication), and both
 *   clusters of the primary's DR pair: once promoted it is the performance secondary and replicates
 *   from the performance primary.
 *
 * Two performance secondaries (or one and another's DR secondary) never replicate with each other.
 */
export function replicatesWith(a: VaultTopologyMember, b: VaultTopologyMember): boolean {
  if (a === b) return false;
  const primaryPair = (m: VaultTopologyMember) => m.role === 'primary' || m.role === 'dr';
  if (primaryPair(a) && primaryPair(b)) return true;
  if (primaryPair(a) !== primaryPair(b)) return true;
  // Both are performance clusters: only the two of one performance secondary's DR pair.
  return a.group === b.group;
}

/** Names of the clusters `name` replicates with (`replicatesWith`), in topology order. */
export function replicationPeers(topology: VaultTopology, name: string): string[] {
  const members = topologyMembers(topology);
  const self = members.find((m) => m.cluster.name === name);
  if (self === undefined) throw new Error(`no cluster named "${name}" in the topology`);
  return members.filter((other) => replicatesWith(self, other)).map((m) => m.cluster.name);
}

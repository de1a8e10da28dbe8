export type { VaultPerformanceSecondaryTopology, VaultTopology, VaultTopologyCluster } from './types';
export { replicatesWith, replicationPeers, topologyMembers, type VaultTopologyMember, type VaultTopologyRole } from './replication';
export { checkVaultTopology, MAX_PERFORMANCE_SECONDARIES, validateVaultTopology, type VaultTopologyPropNames } from './validate';
export { cidrsOverlap } from './cidr-overlap';

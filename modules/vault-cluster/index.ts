export { VaultCluster } from './vault-cluster';
export { VaultRaftAutopilot, VAULT_RAFT_AUTOPILOT_DEFAULTS, type VaultRaftAutopilotProps } from './raft-autopilot';
export { VaultAuditLog, VAULT_AUDIT_LOG_DEFAULTS, type VaultAuditLogProps } from './audit-log';
export type {
  VaultClusterProps,
  VaultLoadBalancerAccessLogs,
  VaultMachineImage,
  VaultSubnet,
  VaultTlsSecrets,
} from './types';
export { VAULT_CLUSTER_DEFAULTS, VAULT_API_PORT, VAULT_CLUSTER_PORT, AUTO_JOIN_TAG_KEY } from './defaults';
export { VAULT_HEALTH_CHECK, VAULT_MEMBER_HEALTH_PATH, raftQuorum } from './health-check';
export { renderVaultConfig, type VaultConfigInput } from './vault-config';
export { renderUserData, type UserDataInput } from './user-data';

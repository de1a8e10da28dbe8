/**
 * Public API of @vault-dr/cdktf. Everything else in this package is internal and may change in any
 * release.
 */
export { DrAutomation } from './dr-automation/dr-automation';
export {
  DR_FUNCTION_NAMES,
  DR_VPC_ENDPOINT_SERVICES,
  VAULT_LOGIN_FUNCTION_NAMES,
  type VaultLoginFunctionName,
  type DrAutomationProps,
  type DrFunctionAttributes,
  type DrFunctionName,
  type DrVaultObjectNames,
  type DrVpcEndpoints,
  type DrVpcEndpointService,
  type VpcPlacement,
} from './dr-automation/dr-automation-props';
export { DR_AUTOMATION_DEFAULTS, WATCHDOG_METRICS, WATCHDOG_MODES, type WatchdogMode } from './dr-automation/defaults';
export { WeightedVaultEndpoint, type WeightedVaultEndpointProps } from './weighted-vault-endpoint/weighted-vault-endpoint';
export { WEIGHTED_VAULT_ENDPOINT_DEFAULTS } from './weighted-vault-endpoint/defaults';
export { VaultCluster } from './vault-cluster/vault-cluster';
export {
  VaultRaftAutopilot,
  VAULT_RAFT_AUTOPILOT_DEFAULTS,
  type RaftAutopilotConfiguration,
  type VaultRaftAutopilotProps,
} from './vault-cluster/raft-autopilot';
export { VaultAuditLog, VAULT_AUDIT_LOG_DEFAULTS, type VaultAuditLogProps } from './vault-cluster/audit-log';
export type {
  VaultClusterProps,
  VaultLoadBalancerAccessLogs,
  VaultMachineImage,
  VaultSubnet,
  VaultTlsSecrets,
} from './vault-cluster/types';
export { VAULT_CLUSTER_DEFAULTS, VAULT_API_PORT, VAULT_CLUSTER_PORT } from './vault-cluster/defaults';
export { VaultSnapshotBucket } from './vault-snapshots/snapshot-bucket';
export { VaultSnapshotSchedule } from './vault-snapshots/snapshot-schedule';
export { VAULT_SNAPSHOT_DEFAULTS } from './vault-snapshots/defaults';
export type {
  VaultSnapshotBucketProps,
  VaultSnapshotDestination,
  VaultSnapshotLifecycle,
  VaultSnapshotScheduleProps,
} from './vault-snapshots/types';
export { VaultConfiguration } from './vault-configuration/vault-configuration';
export { VAULT_CONFIGURATION_DEFAULTS, type ResolvedVaultConfiguration } from './vault-configuration/defaults';
export type {
  VaultConfigurationProps,
  VaultLeaseCountQuota,
  VaultMountLeaseTtls,
  VaultRateLimitQuota,
} from './vault-configuration/types';
export type { VaultClusterEndpoint, VaultClusterPair } from './shared/vault-cluster-endpoint';
export { PropsValidationError, type PropsProblem } from './shared/props-validation-error';
export {
  ACCEPTED_CHECKOV_FINDINGS,
  checkovBaseline,
  type AcceptedCheckovFinding,
  type CheckovBaseline,
  type CheckovBaselineFinding,
} from './shared/checkov-baseline';
export { NearestVaultEndpoint, NEAREST_VAULT_ENDPOINT_DEFAULTS, type NearestVaultEndpointProps, type NearestVaultTarget } from './nearest-vault-endpoint';
export {
  MAX_PERFORMANCE_SECONDARIES,
  replicatesWith,
  replicationPeers,
  topologyMembers,
  validateVaultTopology,
  type VaultPerformanceSecondaryTopology,
  type VaultTopology,
  type VaultTopologyCluster,
  type VaultTopologyMember,
  type VaultTopologyPropNames,
  type VaultTopologyRole,
} from './vault-topology';

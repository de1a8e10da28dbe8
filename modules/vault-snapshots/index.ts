export { VaultSnapshotBucket, snapshotLifecycleRules } from './snapshot-bucket';
export { VaultSnapshotSchedule } from './snapshot-schedule';
export { snapshotAgentConfigs, type SnapshotAgentConfig } from './agent-config';
export { VAULT_SNAPSHOT_DEFAULTS } from './defaults';
export type {
  VaultSnapshotBucketProps,
  VaultSnapshotDestination,
  VaultSnapshotLifecycle,
  VaultSnapshotScheduleProps,
} from './types';

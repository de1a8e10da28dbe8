import { VAULT_SNAPSHOT_DEFAULTS } from './defaults';
import type { VaultSnapshotScheduleProps } from './types';

/** One automated-snapshot configuration, as the vault_raft_snapshot_agent_config resource takes it. */
export interface SnapshotAgentConfig {
  readonly name: string;
  readonly storageType: 'aws-s3';
  readonly intervalSeconds: number;
  readonly retain: number;
  readonly pathPrefix: string;
  readonly filePrefix: string;
  readonly awsS3Bucket: string;
  readonly awsS3Region: string;
  readonly awsS3EnableKms: true;
  readonly awsS3KmsKey: string;
}

/**
 * The configurations VaultSnapshotSchedule writes: one per destination, all alike but for where
 * they write. No AWS credentials: the active node uses its instance role. Pure.
 */
export function snapshotAgentConfigs(props: VaultSnapshotScheduleProps): SnapshotAgentConfig[] {
  const d = VAULT_SNAPSHOT_DEFAULTS;
  return props.destinations.map((destination) => ({
    name: `${props.environment}-${destination.name}`,
    storageType: 'aws-s3',
    intervalSeconds: props.intervalSeconds ?? d.intervalSeconds,
    retain: props.retain ?? d.retain,
    pathPrefix: destination.pathPrefix,
    filePrefix: props.filePrefix ?? `vault-${props.environment}`,
    awsS3Bucket: destination.bucketName,
    awsS3Region: destination.region,
    awsS3EnableKms: true,
    awsS3KmsKey: destination.kmsKeyArn,
  }));
}

import type { TerraformProvider } from '../internal/cdktf';

/**
 * One place Vault's automated Raft snapshots are written to. A VaultSnapshotBucket exposes one
 * (`bucket.destination`); a VaultCluster takes the list to grant its nodes write access, and a
 * VaultSnapshotSchedule takes the same list to write one snapshot configuration per destination.
 */
export interface VaultSnapshotDestination {
  /**
   * Stable label of the destination, unique among the destinations of one environment (for
   * example the region or the cluster it sits beside: `use1`). It names the Vault snapshot
   * configuration (`<environment>-<name>`), so renaming it replaces that configuration.
   */
  readonly name: string;
  /** Bucket name (not ARN): what Vault's `aws_s3_bucket` takes. */
  readonly bucketName: string;
  /** Bucket ARN, for the IAM grants. */
  readonly bucketArn: string;
  /** Region of the bucket: what Vault's `aws_s3_region` takes. */
  readonly region: string;
  /** ARN of the KMS key the bucket's objects are encrypted with (SSE-KMS). */
  readonly kmsKeyArn: string;
  /**
   * Key prefix the snapshots are written under, ending in `/`. IAM grants on objects are
   * limited to it.
   */
  readonly pathPrefix: string;
}

/** Lifecycle of the snapshot objects. */
export interface VaultSnapshotLifecycle {
  /**
   * Days after which a current snapshot object moves to S3 Glacier Flexible Retrieval.
   * Vault's own `retain` count usually deletes snapshots well before this.
   * @default 30
   */
  readonly transitionToGlacierDays?: number;
  /**
   * Days after which a snapshot that Vault's `retain` has deleted (a noncurrent version, kept by
   * versioning) moves to Glacier.
   * @default 7
   */
  readonly noncurrentTransitionToGlacierDays?: number;
  /**
   * Days after which a noncurrent version is deleted for good. This is the snapshot retention: each
   * snapshot version is also locked (S3 Object Lock, governance mode) for this many days from its
   * upload, so no one but the break-glass role can delete it earlier.
   * @default 365
   */
  readonly noncurrentExpirationDays?: number;
  /**
   * Days after which a CURRENT snapshot object expires. Off by default on purpose: Vault's `retain`
   * already deletes old snapshots while the cluster lives, and if every cluster died, age-based
   * expiry would eventually delete the last good snapshots.
   * @default - current snapshots never expire by age
   */
  readonly currentExpirationDays?: number;
}

/** Props of VaultSnapshotBucket. */
export interface VaultSnapshotBucketProps {
  /** Environment label (`dev`, `prod`): lowercase letters, digits and hyphens. */
  readonly environment: string;
  /**
   * Destination label, unique per environment (for example the region short name `use1`); see
   * VaultSnapshotDestination.name. Lowercase letters, digits and hyphens.
   */
  readonly name: string;
  /**
   * Name of the snapshot bucket.
   * @default `vault-<environment>-<name>-snapshots-<account id>`
   */
  readonly bucketName?: string;
  /**
   * Key prefix the snapshots are written under; must end in `/`.
   * @default 'raft-snapshots/'
   */
  readonly pathPrefix?: string;
  /** Lifecycle of the snapshot objects. @default - see VaultSnapshotLifecycle */
  readonly lifecycle?: VaultSnapshotLifecycle;
  /**
   * Name of the bucket that receives the snapshot bucket's S3 server access logs.
   * @default - a locked-down log bucket `vault-<environment>-<name>-s3-logs-<account id>` is created
   */
  readonly accessLogBucketName?: string;
  /**
   * Days the created access-log bucket keeps log objects. Ignored with accessLogBucketName.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Allow `terraform destroy` to delete a bucket that still holds snapshots. Locked versions still
   * stand in the way until their retention ends (or the break-glass role removes them).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * An IAM role that may, alone, delete snapshot versions, bypass their Object Lock retention, and
   * change the bucket's versioning, lock or policy (the bucket policy denies these to everyone
   * else, administrators included).
   * @default - nobody may (locked versions leave only when their retention ends)
   */
  readonly breakGlassRoleArn?: string;
  /**
   * Principals that may change the bucket key's policy (`kms:PutKeyPolicy`) and the bucket policy:
   * the identity that applies the stack.
   * @default - the IAM role (or user) running Terraform
   */
  readonly keyAdministratorArns?: readonly string[];
  /**
   * The interval of the automated snapshots written here (VaultSnapshotSchedule's intervalSeconds):
   * the "no snapshot" alarm fires when no snapshot arrived for twice this (at most a day, CloudWatch's
   * look-back), counted by the bucket's S3 request metrics under `pathPrefix`.
   * @default 3600 (VaultSnapshotSchedule's default)
   */
  readonly snapshotIntervalSeconds?: number;
  /**
   * ARNs (usually SNS topics, in the bucket's region) notified when the "no snapshot" alarm fires and
   * clears.
   * @default - the alarm only changes state
   */
  readonly alarmActions?: readonly string[];
  /**
   * The AWS provider (region) the resources are created with.
   * @default - the scope's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /** Tags added to every resource that takes tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Props of VaultSnapshotSchedule. */
export interface VaultSnapshotScheduleProps {
  /** Environment label; names the configurations `<environment>-<destination name>`. */
  readonly environment: string;
  /**
   * Where snapshots are written: one automated-snapshot configuration per destination, at least one.
   * Pass the snapshot bucket of EVERY cluster of the environment (see docs/runbook.md: the
   * configuration is replicated to the DR secondary, so after a failover the promoted cluster
   * runs the same list).
   */
  readonly destinations: readonly VaultSnapshotDestination[];
  /**
   * Seconds between snapshots.
   * @default 3600
   */
  readonly intervalSeconds?: number;
  /**
   * Snapshots Vault keeps per destination before deleting the oldest (a deleted one stays as a
   * noncurrent version for the bucket's noncurrentExpirationDays).
   * @default 168 (one week of hourly snapshots)
   */
  readonly retain?: number;
  /**
   * File name prefix of each snapshot object.
   * @default `vault-<environment>`
   */
  readonly filePrefix?: string;
  /**
   * The Vault provider (the primary cluster's address, root namespace) the configurations are
   * written with.
   * @default - the scope's default Vault provider
   */
  readonly provider?: TerraformProvider;
}

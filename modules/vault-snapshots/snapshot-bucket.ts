import type { S3BucketLifecycleConfigurationRule } from '../internal/aws';
import { Construct } from 'constructs';
import { terraformCallerRoleArn } from '../shared/kms-key';
import { AwsContext } from '../vault-cluster/private/aws-context';
import { VAULT_SNAPSHOT_DEFAULTS } from './defaults';
import { BucketKey } from './private/bucket-key';
import { LockedBucket } from './private/locked-bucket';
import type { VaultSnapshotBucketProps, VaultSnapshotDestination } from './types';
import { validateSnapshotBucketProps } from './validate';

/** Lifecycle of the snapshot objects (see VaultSnapshotLifecycle for why current ones do not expire by default). */
export function snapshotLifecycleRules(props: VaultSnapshotBucketProps, pathPrefix: string): S3BucketLifecycleConfigurationRule[] {
  const d = VAULT_SNAPSHOT_DEFAULTS;
  const l = props.lifecycle ?? {};
  const transition = l.transitionToGlacierDays ?? d.lifecycle.transitionToGlacierDays;
  const noncurrentTransition = l.noncurrentTransitionToGlacierDays ?? d.lifecycle.noncurrentTransitionToGlacierDays;
  const noncurrentExpiration = l.noncurrentExpirationDays ?? d.lifecycle.noncurrentExpirationDays;
  return [
    {
      id: 'snapshots',
      status: 'Enabled',
      filter: [{ prefix: pathPrefix }],
      transition: [{ days: transition, storageClass: 'GLACIER' }],
      noncurrentVersionTransition: [{ noncurrentDays: noncurrentTransition, storageClass: 'GLACIER' }],
      noncurrentVersionExpiration: [{ noncurrentDays: noncurrentExpiration }],
      ...(l.currentExpirationDays !== undefined ? { expiration: [{ days: l.currentExpirationDays }] } : {}),
    },
    {
      id: 'housekeeping',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: d.abortIncompleteUploadDays }],
      // Delete markers left once every version under them has expired.
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
  ];
}

/**
 * The S3 bucket one cluster's region keeps Vault Raft snapshots in: versioned, SSE-KMS with its own
 * rotating key, public access blocked, TLS only, lifecycle to Glacier and expiry of deleted
 * versions, S3 Object Lock (governance mode, each version kept for the snapshot retention) with a
 * bucket policy that lets only the break-glass role delete versions or change versioning, the
 * lock or the policy, server access logs to a locked-down log bucket. Every resource is created with
 * `props.provider`. Give `destination` to the clusters (write access) and to VaultSnapshotSchedule.
 */
export class VaultSnapshotBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly kmsKeyArn: string;
  public readonly region: string;
  /** Name of the bucket that receives this bucket's access logs. */
  public readonly accessLogBucketName: string;
  /** Where snapshots go, in the shape VaultCluster and VaultSnapshotSchedule take. */
  public readonly destination: VaultSnapshotDestination;

  constructor(scope: Construct, id: string, props: VaultSnapshotBucketProps) {
    super(scope, id);
    validateSnapshotBucketProps(this, props);
    const d = VAULT_SNAPSHOT_DEFAULTS;
    const { provider } = props;
    const base = `vault-${props.environment}-${props.name}`;
    const tags = { ...(props.tags ?? {}), VaultSnapshots: base };
    const pathPrefix = props.pathPrefix ?? d.pathPrefix;
    const forceDestroy = props.forceDestroy ?? d.forceDestroy;
    const lifecycleRules = snapshotLifecycleRules(props, pathPrefix);

    const context = new AwsContext(this, 'Aws', provider);
    const keyAdministratorArns = props.keyAdministratorArns ?? [terraformCallerRoleArn(this, 'TerraformCaller', provider)];
    const bucketName = props.bucketName ?? `${base}-snapshots-${context.accountId}`;

    // Referenced, not named, when it is created here: the logging configuration then waits for the
    // log bucket (and its policy) on a first apply instead of racing it.
    let accessLogBucketName = props.accessLogBucketName;
    if (accessLogBucketName === undefined) {
      accessLogBucketName = new LockedBucket(this, 'AccessLogBucket', {
        bucketName: `${base}-s3-logs-${context.accountId}`,
        // S3 server access logging delivers only to SSE-S3 buckets.
        encryption: 'SSE-S3',
        lifecycleRules: [
          {
            id: 'expire-logs',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            expiration: [{ days: props.accessLogRetentionDays ?? d.accessLogRetentionDays }],
            noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: d.abortIncompleteUploadDays }],
          },
        ],
        extraStatements: (arn) => [
          {
            Sid: 'S3ServerAccessLogs',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${arn}/*`,
            Condition: {
              ArnLike: { 'aws:SourceArn': `arn:${context.partition}:s3:::${bucketName}` },
              StringEquals: { 'aws:SourceAccount': context.accountId },
            },
          },
        ],
        forceDestroy,
        provider,
        tags,
      }).bucket.bucket;
    }

    const key = new BucketKey(this, 'Key', { name: `${base}-snapshots`, context, keyAdministratorArns, provider, tags });
    const snapshots = new LockedBucket(this, 'SnapshotBucket', {
      bucketName,
      encryption: { kmsKeyArn: key.key.arn },
      lifecycleRules,
      accessLogs: { bucketName: accessLogBucketName, prefix: `s3-access/${bucketName}/` },
      objectLock: {
        retentionDays: props.lifecycle?.noncurrentExpirationDays ?? d.lifecycle.noncurrentExpirationDays,
        breakGlassRoleArns: props.breakGlassRoleArn === undefined ? [] : [props.breakGlassRoleArn],
        policyAdministratorArns: keyAdministratorArns,
      },
      forceDestroy,
      provider,
      tags,
    });

    this.bucketName = snapshots.bucket.bucket;
    this.bucketArn = snapshots.bucket.arn;
    this.kmsKeyArn = key.key.arn;
    this.region = context.region;
    this.accessLogBucketName = accessLogBucketName;
    this.destination = {
      name: props.name,
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      region: this.region,
      kmsKeyArn: this.kmsKeyArn,
      pathPrefix,
    };
  }
}

import { CloudwatchMetricAlarm, S3BucketMetric, type S3BucketLifecycleConfigurationRule } from '../internal/aws';
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
 * The look-back of the "no snapshot" alarm: twice the interval, capped at a day (CloudWatch's
 * look-back), in periods of the interval (at most 6 hours each), every one of which must have had no
 * snapshot.
 */
export function snapshotAlarmWindow(intervalSeconds: number): { readonly periodSeconds: number; readonly periods: number } {
  const lookBack = Math.min(2 * intervalSeconds, 86_400);
  const periodSeconds = Math.min(intervalSeconds, 21_600);
  return { periodSeconds, periods: Math.max(1, Math.floor(lookBack / periodSeconds)) };
}

/**
 * The S3 bucket one cluster's region keeps Vault Raft snapshots in: versioned, SSE-KMS with its own
 * rotating key, public access blocked, TLS only, lifecycle to Glacier and expiry of deleted
 * versions, S3 Object Lock (governance mode, each version kept for the snapshot retention) with a
 * bucket policy that lets only the break-glass role delete versions or change versioning, the
 * lock or the policy, server access logs to a locked-down log bucket. Every resource is created with
 * `props.provider`. Give `destination` to the clusters (write access) and to VaultSnapshotSchedule.
 * An alarm fires when no snapshot arrived for twice the snapshot interval (S3 request metrics).
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
  /** Fires when no snapshot arrived for twice the snapshot interval. */
  public readonly noSnapshotAlarm: string;

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

    // "No snapshot within twice the interval": the bucket's S3 request metrics under the snapshot
    // prefix count the PUTs Vault's automated snapshots make (whichever cluster is primary writes
    // here). In the bucket's region, so the DR region's bucket alarms even when the primary region
    // is gone. https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-configurations.html
    const metricsFilter = 'raft-snapshots';
    new S3BucketMetric(this, 'SnapshotRequestMetrics', {
      provider,
      bucket: snapshots.bucket.bucket,
      name: metricsFilter,
      filter: { prefix: pathPrefix },
    });
    const alarm = snapshotAlarmWindow(props.snapshotIntervalSeconds ?? d.intervalSeconds);
    const alarmActions = [...(props.alarmActions ?? [])];
    this.noSnapshotAlarm = new CloudwatchMetricAlarm(this, 'NoSnapshotAlarm', {
      provider,
      alarmName: `${base}-no-snapshot`,
      alarmDescription:
        `${base}: no Raft snapshot written to ${pathPrefix} for ${alarm.periods * alarm.periodSeconds} s (twice the snapshot interval, at most a day). ` +
        'Check sys/storage/raft/snapshot-auto/status on the primary. Runbook: "No recent snapshot" (docs/runbook.md in @vault-dr/cdktf).',
      namespace: 'AWS/S3',
      metricName: 'PutRequests',
      dimensions: { BucketName: snapshots.bucket.bucket, FilterId: metricsFilter },
      statistic: 'Sum',
      period: alarm.periodSeconds,
      evaluationPeriods: alarm.periods,
      datapointsToAlarm: alarm.periods,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // No request metric at all means no PUT: that is the missing snapshot.
      treatMissingData: 'breaching',
      alarmActions,
      okActions: alarmActions,
      tags,
    }).arn;

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

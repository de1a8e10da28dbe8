import type { TerraformProvider } from '../../internal/cdktf';
import {
  S3Bucket,
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
  S3BucketLoggingA,
  S3BucketNotification,
  S3BucketObjectLockConfigurationA,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
} from '../../internal/aws';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from '../../shared/policy';

export interface ObjectLockSettings {
  readonly retentionDays: number;
  /** May delete versions, bypass governance retention and change versioning or the lock (the break-glass role). */
  readonly breakGlassRoleArns: readonly string[];
  /** May also change the bucket policy (the identity that applies the stack writes it). */
  readonly policyAdministratorArns: readonly string[];
}

/** A Deny for everyone but `exempt` (for nobody at all when `exempt` is empty). */
function denyExcept(sid: string, actions: string[], resource: string | string[], exempt: readonly string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Deny',
    Principal: '*',
    Action: actions,
    Resource: resource,
    ...(exempt.length > 0 ? { Condition: { ArnNotEquals: { 'aws:PrincipalArn': [...exempt] } } } : {}),
  };
}

/**
 * The bucket policy statements that make Object Lock stick: versions cannot be deleted nor their
 * governance retention bypassed or shortened, and versioning, the lock and the policy itself cannot
 * be changed, by anyone but the break-glass role (and, for the policy, the identity that applies
 * the stack). A Deny wins over any Allow an administrator holds.
 */
export function objectLockStatements(bucketArn: string, lock: ObjectLockSettings): PolicyStatement[] {
  return [
    denyExcept(
      'DenyDeletingVersions',
      ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion', 's3:PutObjectLegalHold', 's3:PutObjectRetention'],
      `${bucketArn}/*`,
      lock.breakGlassRoleArns,
    ),
    denyExcept('DenyChangingVersioningAndLock', ['s3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning'], bucketArn, lock.breakGlassRoleArns),
    denyExcept(
      'DenyChangingThisPolicy',
      ['s3:DeleteBucketPolicy', 's3:PutBucketPolicy'],
      bucketArn,
      [...lock.breakGlassRoleArns, ...lock.policyAdministratorArns],
    ),
  ];
}

export interface LockedBucketProps {
  readonly bucketName: string;
  /** SSE-KMS with this key, or SSE-S3 (what S3 server access logging requires of its target). */
  readonly encryption: { readonly kmsKeyArn: string } | 'SSE-S3';
  readonly lifecycleRules: readonly S3BucketLifecycleConfigurationRule[];
  /** Statements added after the TLS-only ones, built from the bucket ARN. */
  readonly extraStatements?: (bucketArn: string) => readonly PolicyStatement[];
  /** Where S3 writes this bucket's access logs: the target bucket's name (a reference when it is created here). */
  readonly accessLogs?: { readonly bucketName: string; readonly prefix: string };
  /**
   * S3 Object Lock in governance mode: every object version is kept `retentionDays`, and deleting a
   * version, bypassing the lock, or changing versioning, the lock or the bucket policy is denied to
   * every principal but `exemptPrincipalArns`.
   * @default - no Object Lock
   */
  readonly objectLock?: ObjectLockSettings;
  readonly forceDestroy: boolean;
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A private bucket as the rest of this module needs them: versioned, encrypted, public access
 * blocked, owner-enforced (no ACLs), reachable only over TLS 1.2+, with a lifecycle, events to
 * EventBridge (so a missing hourly snapshot can be alarmed on), and optionally Object Lock.
 */
export class LockedBucket extends Construct {
  public readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: LockedBucketProps) {
    super(scope, id);
    const { provider } = props;
    this.bucket = new S3Bucket(this, 'Bucket', {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy,
      tags: { ...props.tags, Name: props.bucketName },
    });
    const bucket = this.bucket.id;
    const arn = this.bucket.arn;

    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'Ownership', { provider, bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    const versioning = new S3BucketVersioningA(this, 'Versioning', { provider, bucket, versioningConfiguration: { status: 'Enabled' } });
    // Object Lock can be turned on for an existing versioned bucket; once on, it (and versioning)
    // cannot be turned off.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html
    const lockConfiguration = props.objectLock
      ? new S3BucketObjectLockConfigurationA(this, 'ObjectLock', {
          provider,
          bucket,
          objectLockEnabled: 'Enabled',
          rule: { defaultRetention: { mode: 'GOVERNANCE', days: props.objectLock.retentionDays } },
          dependsOn: [versioning],
        })
      : undefined;
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      provider,
      bucket,
      rule: [
        props.encryption === 'SSE-S3'
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryption.kmsKeyArn },
              // One data key per bucket rather than per object: fewer KMS calls, same protection.
              bucketKeyEnabled: true,
            },
      ],
    });
    new S3BucketPolicy(this, 'Policy', {
      provider,
      bucket,
      policy: policyDocument([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'DenyOutdatedTls',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        },
        ...(props.extraStatements?.(arn) ?? []),
        ...(props.objectLock ? objectLockStatements(arn, props.objectLock) : []),
      ]),
      // The policy denies changing versioning and the lock: they are set first.
      dependsOn: lockConfiguration ? [versioning, lockConfiguration] : undefined,
    });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', { provider, bucket, rule: [...props.lifecycleRules] });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'AccessLogs', {
        provider,
        bucket,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
      });
    }
    new S3BucketNotification(this, 'Events', { provider, bucket, eventbridge: true });
  }
}

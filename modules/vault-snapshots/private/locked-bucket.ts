import type { TerraformProvider } from '../../internal/cdktf';
import {
  S3Bucket,
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
  S3BucketLoggingA,
  S3BucketNotification,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
} from '../../internal/aws';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from '../../shared/policy';

export interface LockedBucketProps {
  readonly bucketName: string;
  /** SSE-KMS with this key, or SSE-S3 (what S3 server access logging requires of its target). */
  readonly encryption: { readonly kmsKeyArn: string } | 'SSE-S3';
  readonly lifecycleRules: readonly S3BucketLifecycleConfigurationRule[];
  /** Statements added after the TLS-only ones, built from the bucket ARN. */
  readonly extraStatements?: (bucketArn: string) => readonly PolicyStatement[];
  readonly accessLogs?: { readonly bucketName: string; readonly prefix: string };
  readonly forceDestroy: boolean;
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A private bucket as the rest of this module needs them: versioned, encrypted, public access
 * blocked, owner-enforced (no ACLs), reachable only over TLS 1.2+, with a lifecycle, and events
 * to EventBridge (so a missing hourly snapshot can be alarmed on).
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
    new S3BucketVersioningA(this, 'Versioning', { provider, bucket, versioningConfiguration: { status: 'Enabled' } });
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
      ]),
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

import { IamRolePolicy } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import type { VaultSnapshotDestination } from '../../vault-snapshots/types';
import type { VaultTlsSecrets } from '../types';
import type { AwsContext } from './aws-context';
import { policyDocument, type PolicyStatement } from '../../shared/policy';
import { SESSION_ENCRYPTION_CONTEXT } from './cluster-logs';

/** The cluster's log groups and key, as the node role needs them. */
export interface NodeLogging {
  readonly metricsNamespace: string;
  readonly auditLogGroupArn: string;
  /** Session Manager logging, when sessions are on. */
  readonly sessions?: { readonly logGroupArn: string; readonly keyArn: string };
}

export interface NodePolicyProps {
  readonly roleName: string;
  readonly context: AwsContext;
  readonly sealKeyArn: string;
  readonly logging: NodeLogging;
  readonly tls: VaultTlsSecrets;
  readonly licenseSecretArn: string;
  readonly secretsKmsKeyArns: readonly string[];
  readonly snapshotDestinations: readonly VaultSnapshotDestination[];
  readonly provider?: TerraformProvider;
}

/** Least privilege for a Vault node: exactly what the seal, auto_join, boot and snapshots call. */
export function nodePolicyStatements(props: Omit<NodePolicyProps, 'roleName' | 'provider'>): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: 'VaultSeal',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
      Resource: props.sealKeyArn,
    },
    {
      // Raft auto_join lists the instances carrying the cluster tag. EC2 Describe* actions
      // support no resource-level permission, so "*" is the narrowest resource AWS accepts.
      Sid: 'RaftAutoJoin',
      Effect: 'Allow',
      Action: 'ec2:DescribeInstances',
      Resource: '*',
    },
    {
      Sid: 'BootSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [
        props.tls.certificateSecretArn,
        props.tls.privateKeySecretArn,
        props.tls.caBundleSecretArn,
        props.licenseSecretArn,
      ],
    },
    {
      // The CloudWatch agent ships the file audit device's log.
      Sid: 'ShipAuditLog',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: `${props.logging.auditLogGroupArn}:*`,
    },
    {
      // ...and publishes Vault's telemetry. PutMetricData has no resource-level permissions (AWS
      // only accepts "*"); the namespace condition keeps it to the cluster's own.
      Sid: 'PublishVaultMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': props.logging.metricsNamespace } },
    },
  ];
  const sessions = props.logging.sessions;
  if (sessions !== undefined) {
    const { partition, region, accountId } = props.context;
    statements.push(
      {
        Sid: 'WriteSessionLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: `${sessions.logGroupArn}:*`,
      },
      {
        // The SSM agent checks that the session log group is encrypted before it streams to it;
        // DescribeLogGroups is only authorized on every group of the account and region.
        Sid: 'CheckSessionLogGroupEncryption',
        Effect: 'Allow',
        Action: 'logs:DescribeLogGroups',
        Resource: `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
      },
      {
        Sid: 'DecryptSessions',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: sessions.keyArn,
        Condition: SESSION_ENCRYPTION_CONTEXT,
      },
    );
  }
  if (props.secretsKmsKeyArns.length > 0) {
    statements.push({
      Sid: 'BootSecretsKeys',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: props.secretsKmsKeyArns,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.context.region}.amazonaws.com` } },
    });
  }
  const destinations = props.snapshotDestinations;
  if (destinations.length > 0) {
    statements.push(
      {
        // Vault lists the prefix to apply `retain`; multipart uploads of large snapshots are
        // listed and aborted on failure.
        Sid: 'SnapshotBuckets',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
        Resource: destinations.map((d) => d.bucketArn),
      },
      {
        // Put writes snapshots; Delete applies `retain` (a delete marker: versioning and the
        // bucket's Object Lock keep the snapshot, and deleting a version is not granted here and
        // denied by the bucket); Get lets Vault load a snapshot from the bucket for recovery.
        Sid: 'SnapshotObjects',
        Effect: 'Allow',
        Action: [
          's3:PutObject',
          's3:GetObject',
          's3:DeleteObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        Resource: destinations.map((d) => `${d.bucketArn}/${d.pathPrefix}*`),
      },
      {
        // SSE-KMS uploads: GenerateDataKey for each object, Decrypt to complete a multipart
        // upload and to read a snapshot back; only through S3 in the bucket's region.
        Sid: 'SnapshotKeys',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: destinations.map((d) => d.kmsKeyArn),
        Condition: {
          StringEquals: { 'kms:ViaService': [...new Set(destinations.map((d) => `s3.${d.region}.amazonaws.com`))] },
        },
      },
    );
  }
  return statements;
}

/**
 * Vault's AWS auth method calls iam:GetRole with the nodes' credentials to resolve the unique id of
 * every role bound with resolve_aws_unique_ids; writing such a role fails without it.
 * https://developer.hashicorp.com/vault/docs/auth/aws#recommended-vault-iam-policy
 */
export function awsAuthResolutionStatements(roleArns: readonly string[]): PolicyStatement[] {
  return [{ Sid: 'ResolveAwsAuthRoles', Effect: 'Allow', Action: 'iam:GetRole', Resource: [...roleArns] }];
}

export class NodePolicy extends Construct {
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: NodePolicyProps) {
    super(scope, id);
    this.policy = new IamRolePolicy(this, 'Policy', {
      provider: props.provider,
      name: 'vault-node',
      role: props.roleName,
      policy: policyDocument(nodePolicyStatements(props)),
    });
  }
}

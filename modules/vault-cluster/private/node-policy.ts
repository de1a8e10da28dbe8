import { IamRolePolicy } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import type { VaultSnapshotDestination } from '../../vault-snapshots/types';
import type { VaultTlsSecrets } from '../types';
import type { AwsContext } from './aws-context';
import { policyDocument, type PolicyStatement } from '../../shared/policy';

export interface NodePolicyProps {
  readonly roleName: string;
  readonly context: AwsContext;
  readonly sealKeyArn: string;
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
  ];
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
        // Put writes snapshots; Delete applies `retain` (versioning keeps the deleted ones); Get
        // lets Vault load a snapshot from the bucket for recovery.
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

import { KmsAlias, type KmsKey } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { customerManagedKey, keyAdministration, keyPolicyAdministration } from '../../shared/kms-key';
import type { AwsContext } from './aws-context';

export interface SealKeyProps {
  readonly baseName: string;
  readonly context: AwsContext;
  readonly nodeRoleArn: string;
  readonly autoScalingServiceRoleArn?: string;
  readonly keyAdministratorArns: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The cluster's KMS key: Vault's awskms seal and the nodes' EBS volumes. In a key policy the
 * resource "*" means this key.
 */
export class SealKey extends Construct {
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: SealKeyProps) {
    super(scope, id);
    const { context } = props;
    // Encrypted volumes of an Auto Scaling group are created by its service-linked role, which
    // therefore needs the key and the right to create grants for EC2 (AWS's documented policy
    // for a customer managed key used with EC2 Auto Scaling).
    const autoScalingRole =
      props.autoScalingServiceRoleArn ??
      `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

    this.key = customerManagedKey(this, 'Key', {
      provider: props.provider,
      description: `${props.baseName}: Vault auto-unseal (awskms seal) and node volumes`,
      policy: [
        keyAdministration(context.accountRootArn),
        keyPolicyAdministration(props.keyAdministratorArns),
        {
          Sid: 'VaultSeal',
          Effect: 'Allow',
          Principal: { AWS: props.nodeRoleArn },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
        },
        {
          Sid: 'AutoScalingVolumes',
          Effect: 'Allow',
          Principal: { AWS: autoScalingRole },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
        },
        {
          Sid: 'AutoScalingVolumeGrants',
          Effect: 'Allow',
          Principal: { AWS: autoScalingRole },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ],
      tags: { ...props.tags, Name: `${props.baseName}-seal` },
    });

    new KmsAlias(this, 'Alias', {
      provider: props.provider,
      name: `alias/${props.baseName}-seal`,
      targetKeyId: this.key.keyId,
    });
  }
}

import { KmsAlias, KmsKey } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';
import { policyDocument } from './policy';

export interface SealKeyProps {
  readonly baseName: string;
  readonly context: AwsContext;
  readonly nodeRoleArn: string;
  readonly autoScalingServiceRoleArn?: string;
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the account root may do: administer the key, never use it (no Encrypt/Decrypt). */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

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

    this.key = new KmsKey(this, 'Key', {
      provider: props.provider,
      description: `${props.baseName}: Vault auto-unseal (awskms seal) and node volumes`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: 'KeyAdministration',
          Effect: 'Allow',
          Principal: { AWS: context.accountRootArn },
          Action: KEY_ADMINISTRATION_ACTIONS,
          Resource: '*',
        },
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
      ]),
      tags: { ...props.tags, Name: `${props.baseName}-seal` },
    });

    new KmsAlias(this, 'Alias', {
      provider: props.provider,
      name: `alias/${props.baseName}-seal`,
      targetKeyId: this.key.keyId,
    });
  }
}

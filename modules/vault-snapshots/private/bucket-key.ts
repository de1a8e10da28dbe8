import { KmsAlias, type KmsKey } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { customerManagedKey, keyAdministration, keyPolicyAdministration } from '../../shared/kms-key';
import type { AwsContext } from '../../vault-cluster/private/aws-context';

export interface BucketKeyProps {
  readonly name: string;
  readonly context: AwsContext;
  readonly keyAdministratorArns: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * KMS key of a snapshot bucket. Principals of the account may use it only through S3 in the
 * bucket's region, and only when their own IAM policy allows it: the nodes of BOTH clusters (one
 * of them in another region) write here, and neither cluster's role has to exist before this key.
 */
export class BucketKey extends Construct {
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: BucketKeyProps) {
    super(scope, id);
    const { context } = props;
    this.key = customerManagedKey(this, 'Key', {
      provider: props.provider,
      description: `${props.name}: SSE-KMS of the Vault Raft snapshots`,
      policy: [
        keyAdministration(context.accountRootArn),
        keyPolicyAdministration(props.keyAdministratorArns),
        {
          Sid: 'UseThroughS3',
          Effect: 'Allow',
          Principal: { AWS: context.accountRootArn },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: {
            StringEquals: {
              'kms:ViaService': `s3.${context.region}.amazonaws.com`,
              'kms:CallerAccount': context.accountId,
            },
          },
        },
      ],
      tags: { ...props.tags, Name: props.name },
    });
    new KmsAlias(this, 'Alias', { provider: props.provider, name: `alias/${props.name}`, targetKeyId: this.key.keyId });
  }
}

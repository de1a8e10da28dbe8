import { KmsAlias, KmsKey } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import type { AwsContext } from '../../vault-cluster/private/aws-context';
import { policyDocument } from '../../vault-cluster/private/policy';
import { KEY_ADMINISTRATION_ACTIONS } from '../../vault-cluster/private/seal-key';

export interface BucketKeyProps {
  readonly name: string;
  readonly context: AwsContext;
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
    this.key = new KmsKey(this, 'Key', {
      provider: props.provider,
      description: `${props.name}: SSE-KMS of the Vault Raft snapshots`,
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
      ]),
      tags: { ...props.tags, Name: props.name },
    });
    new KmsAlias(this, 'Alias', { provider: props.provider, name: `alias/${props.name}`, targetKeyId: this.key.keyId });
  }
}

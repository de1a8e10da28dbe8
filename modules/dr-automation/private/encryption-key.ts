import { Construct } from 'constructs';
import { KmsAlias, KmsKey } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { KMS_DELETION_WINDOW_DAYS } from '../defaults';
import { encryptionKeyPolicyStatements, type AwsLocation } from './policy-statements';

export interface EncryptionKeyProps {
  readonly aliasName: string;
  readonly description: string;
  readonly location: AwsLocation;
  /** Log groups CloudWatch Logs may encrypt with the key. */
  readonly logGroupArns: string[];
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

/** The customer-managed key of the DR machinery, with rotation and a key policy of its own. */
export class EncryptionKey extends Construct {
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const key = new KmsKey(this, 'Key', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
      // The key policy is written on the key rather than through an aws_iam_policy_document: it
      // is a resource policy whose Resource is always "*" (the key), and policy-document data
      // sources are read by scanners as identity policies, where "*" would mean every resource.
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: encryptionKeyPolicyStatements({ location: props.location, logGroupArns: props.logGroupArns }),
      }),
      tags: props.tags,
    });
    new KmsAlias(this, 'Alias', {
      provider: props.provider,
      name: props.aliasName,
      targetKeyId: key.keyId,
    });
    this.keyArn = key.arn;
  }
}

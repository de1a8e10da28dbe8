import { Construct } from 'constructs';
import { KmsAlias } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { customerManagedKey } from '../../shared/kms-key';
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
    const key = customerManagedKey(this, 'Key', {
      provider: props.provider,
      description: props.description,
      // Not keyAdministration(): the account's statement here is AWS's default (kms:*), through
      // which the DR roles' IAM policies grant use of the key.
      policy: encryptionKeyPolicyStatements({ location: props.location, logGroupArns: props.logGroupArns }),
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

import { Construct } from 'constructs';
import { KmsAlias } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { customerManagedKey } from '../../shared/kms-key';
import type { PolicyStatement } from '../../shared/policy';

export interface EncryptionKeyProps {
  readonly aliasName: string;
  readonly description: string;
  /** The whole key policy (policy-statements.ts: encryptionKeyPolicyStatements, drTokenKeyPolicyStatements). */
  readonly policy: readonly PolicyStatement[];
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

/** A customer-managed key of the DR machinery, with rotation, an alias and a key policy of its own. */
export class EncryptionKey extends Construct {
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const key = customerManagedKey(this, 'Key', {
      provider: props.provider,
      description: props.description,
      policy: props.policy,
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

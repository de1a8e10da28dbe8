import { KmsKey } from '../internal/aws';
import type { TerraformProvider } from '../internal/cdktf';
import type { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from './policy';

/** Deletion of a created key waits this long, the most AWS allows: time to notice a mistake. */
export const KMS_DELETION_WINDOW_DAYS = 30;

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

/** The key policy statement that lets the account (`arn:<partition>:iam::<account>:root`) administer the key. */
export function keyAdministration(accountRootArn: string): PolicyStatement {
  return {
    Sid: 'KeyAdministration',
    Effect: 'Allow',
    Principal: { AWS: accountRootArn },
    Action: KEY_ADMINISTRATION_ACTIONS,
    Resource: '*',
  };
}

export interface CustomerManagedKeyProps {
  readonly description: string;
  /** The whole key policy, in order; in a key policy the resource "*" means this key. */
  readonly policy: readonly PolicyStatement[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A customer-managed KMS key, created in `scope` as `id`: automatic rotation, the longest deletion
 * window, and a key policy of its own written on the key (see ./policy.ts for why not an
 * aws_iam_policy_document).
 */
export function customerManagedKey(scope: Construct, id: string, props: CustomerManagedKeyProps): KmsKey {
  return new KmsKey(scope, id, {
    provider: props.provider,
    description: props.description,
    enableKeyRotation: true,
    deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
    policy: policyDocument(props.policy),
    tags: props.tags,
  });
}

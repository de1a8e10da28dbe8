import { DataAwsCallerIdentity, DataAwsIamSessionContext, KmsKey } from '../internal/aws';
import type { TerraformProvider } from '../internal/cdktf';
import type { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from './policy';

/** Deletion of a created key waits this long, the most AWS allows: time to notice a mistake. */
export const KMS_DELETION_WINDOW_DAYS = 30;

/**
 * What the account (through IAM) may do with a key this package creates: look after it, never use
 * it, and never hand use of it to anyone. Every action is named (no `kms:Create*` or `kms:Put*`):
 * `kms:CreateGrant` would let the holder grant itself Decrypt, and `kms:PutKeyPolicy` would let it
 * write itself into the policy, so neither is here (see keyPolicyAdministration).
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/** KMS actions that use a key or hand its use to someone: never part of key administration. */
export const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ReplicateKey',
  'kms:ImportKeyMaterial',
] as const;

/** The key policy statement that lets the account (`arn:<partition>:iam::<account>:root`) administer the key, without using it. */
export function keyAdministration(accountRootArn: string): PolicyStatement {
  return {
    Sid: 'KeyAdministration',
    Effect: 'Allow',
    Principal: { AWS: accountRootArn },
    Action: [...KEY_ADMINISTRATION_ACTIONS],
    Resource: '*',
  };
}

/**
 * Who may rewrite the key policy. KMS refuses to create a key whose policy would not let its
 * creator change it later (the policy lockout safety check), and the policy has to stay manageable
 * as code, so the identity that applies this stack (and nobody else through IAM) holds
 * `kms:PutKeyPolicy`. That identity creates the key and every role in the stack anyway.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
 */
export function keyPolicyAdministration(administratorArns: readonly string[]): PolicyStatement {
  return {
    Sid: 'KeyPolicyAdministration',
    Effect: 'Allow',
    Principal: { AWS: [...administratorArns] },
    Action: 'kms:PutKeyPolicy',
    Resource: '*',
  };
}

/**
 * The IAM role (or user) of the identity running Terraform: the default key policy administrator.
 * `aws_iam_session_context` turns an assumed-role session ARN into its role's ARN, which is stable
 * across sessions. Pass administrators explicitly where plans and applies run as different
 * identities (this repository's pipeline does), or every plan shows a key policy change.
 */
export function terraformCallerRoleArn(scope: Construct, id: string, provider?: TerraformProvider): string {
  const caller = new DataAwsCallerIdentity(scope, `${id}Caller`, { provider });
  return new DataAwsIamSessionContext(scope, id, { provider, arn: caller.arn }).issuerArn;
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

/**
 * Imports the internal seam (modules/internal) does not offer yet, by deep path, in one place.
 * Each line belongs in modules/internal/{aws,cdktf,vault}.ts; once there, import from the seam
 * and delete this file.
 */
export { Fn } from 'cdktf';
export { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
export { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
export { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
export { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
export { Lb } from '@cdktf/provider-aws/lib/lb';
export { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
export { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
export { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
export { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
export { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
export { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
export { RaftAutopilot } from '@cdktf/provider-vault/lib/raft-autopilot';
export { RaftSnapshotAgentConfig } from '@cdktf/provider-vault/lib/raft-snapshot-agent-config';

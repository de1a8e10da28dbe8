/**
 * The only door to @cdktf/provider-aws, by deep path.
 *
 * Deep paths load one resource class each (~0.15 s); the package root loads all 2,212 of them
 * (~3 s and 550 MB per process). Keeping the imports here also makes a move to cdktf's maintained
 * fork a rename in one place.
 */
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
export { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
export { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
export { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
export { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
export { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
export { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
export { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
export { DataAwsVpcEndpointService } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service';
export { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
export { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
export { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
export { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
export { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
export { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
export { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
export { Lb } from '@cdktf/provider-aws/lib/lb';
export { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
export { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
export { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
export { S3BucketMetric } from '@cdktf/provider-aws/lib/s3-bucket-metric';
export { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
export { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
export { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
export { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
export { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
export { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
export { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
export { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

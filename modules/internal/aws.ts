/**
 * The only door to @cdktf/provider-aws, by deep path.
 *
 * Deep paths load one resource class each (~0.15 s); the package root loads all 2,212 of them
 * (~3 s and 550 MB per process). Keeping the imports here also makes a move to cdktf's maintained
 * fork a rename in one place.
 */
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
export { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
export { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
export { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
export { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
export { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
export { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
export { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
export { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
export { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';

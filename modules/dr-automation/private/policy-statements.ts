import type { DataAwsIamPolicyDocumentStatement } from '../../internal/aws';

/**
 * The IAM statements of the DR automation, as plain functions of the ARNs they grant on, so that
 * each role's policy reads as a list and tests can name every statement.
 *
 * Every statement names its resources. The few wildcards are ones AWS requires, each with the
 * reason beside it.
 */

/** Where the resources live; Terraform references in practice. */
export interface AwsLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

type Statement = DataAwsIamPolicyDocumentStatement;

function viaService(location: AwsLocation, service: string) {
  return [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${location.region}.amazonaws.com`] }];
}

/** What every function needs: its own logs, traces, its environment, its on-failure destination. */
export function functionBaseStatements(args: {
  location: AwsLocation;
  logGroupArn: string;
  keyArn: string;
  failureQueueArn: string;
}): Statement[] {
  return [
    {
      sid: 'WriteOwnLogs',
      effect: 'Allow',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${args.logGroupArn}:*`],
    },
    {
      sid: 'WriteTraces',
      effect: 'Allow',
      actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      // X-Ray's write actions have no resource-level permissions: AWS only accepts "*".
      resources: ['*'],
    },
    {
      sid: 'DecryptEnvironment',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [args.keyArn],
    },
    {
      sid: 'SendFailedInvocations',
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      resources: [args.failureQueueArn],
    },
    {
      sid: 'EncryptFailedInvocations',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [args.keyArn],
      condition: viaService(args.location, 'sqs'),
    },
  ];
}

/** Lambda's network interfaces in the given subnets and security groups. */
export function vpcPlacementStatements(args: { location: AwsLocation; subnetIds: string[]; securityGroupIds: string[] }): Statement[] {
  const { partition, region, accountId } = args.location;
  const ec2Arn = (resource: string) => `arn:${partition}:ec2:${region}:${accountId}:${resource}`;
  // Interface ids are assigned by EC2 when Lambda creates them, so only a pattern can name them.
  const networkInterfaces = ec2Arn('network-interface/*');
  return [
    {
      sid: 'CreateNetworkInterfaces',
      effect: 'Allow',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        networkInterfaces,
        ...args.subnetIds.map((id) => ec2Arn(`subnet/${id}`)),
        ...args.securityGroupIds.map((id) => ec2Arn(`security-group/${id}`)),
      ],
    },
    {
      sid: 'ManageNetworkInterfaces',
      effect: 'Allow',
      actions: ['ec2:AssignPrivateIpAddresses', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses'],
      resources: [networkInterfaces],
    },
    {
      sid: 'DescribeNetworkInterfaces',
      effect: 'Allow',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      // EC2's Describe actions have no resource-level permissions: AWS only accepts "*".
      resources: ['*'],
    },
  ];
}

/** dr-token-generator: store the token (it logs in to Vault with its own role, which needs no IAM action). */
export function drTokenGeneratorStatements(args: {
  location: AwsLocation;
  drTokenSecretArn: string;
  keyArn: string;
}): Statement[] {
  return [
    {
      sid: 'StoreDrToken',
      effect: 'Allow',
      actions: ['secretsmanager:PutSecretValue'],
      resources: [args.drTokenSecretArn],
    },
    {
      sid: 'EncryptDrToken',
      effect: 'Allow',
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [args.keyArn],
      condition: viaService(args.location, 'secretsmanager'),
    },
  ];
}

/** dr-operations: read the token (decrypting is in the base statements); chain the DNS switch. */
export function drOperationsStatements(args: { drTokenSecretArn: string; dnsSwitchFunctionArn?: string }): Statement[] {
  const statements: Statement[] = [
    {
      sid: 'ReadDrToken',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [args.drTokenSecretArn],
    },
  ];
  if (args.dnsSwitchFunctionArn !== undefined) {
    statements.push({
      sid: 'InvokeDnsSwitch',
      effect: 'Allow',
      actions: ['lambda:InvokeFunction'],
      resources: [args.dnsSwitchFunctionArn],
    });
  }
  return statements;
}

/** dns-switch: read and change the two weighted records of the Vault name, wait for the change. */
export function dnsSwitchStatements(args: {
  location: AwsLocation;
  hostedZoneId: string;
  recordName: string;
  recordType: string;
}): Statement[] {
  const zoneArn = `arn:${args.location.partition}:route53:::hostedzone/${args.hostedZoneId}`;
  return [
    {
      sid: 'ChangeVaultEndpointRecords',
      effect: 'Allow',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zoneArn],
      // Only the Vault name, and only its record type: the zone holds other teams' records.
      condition: [
        { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: [args.recordName] },
        { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: [args.recordType] },
      ],
    },
    {
      sid: 'ReadVaultEndpointRecords',
      effect: 'Allow',
      actions: ['route53:ListResourceRecordSets'],
      resources: [zoneArn],
    },
    {
      sid: 'WaitForChange',
      effect: 'Allow',
      actions: ['route53:GetChange'],
      // Change ids are assigned by Route 53 per request, so only a pattern can name them.
      resources: [`arn:${args.location.partition}:route53:::change/*`],
    },
  ];
}

/** Who may assume a function's role. */
export function lambdaAssumeRoleStatements(): Statement[] {
  return [
    {
      sid: 'LambdaAssumesRole',
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
    },
  ];
}

/** EventBridge Scheduler may assume the schedule's role, for this account's default group only. */
export function schedulerAssumeRoleStatements(location: AwsLocation): Statement[] {
  return [
    {
      sid: 'SchedulerAssumesRole',
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['scheduler.amazonaws.com'] }],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [location.accountId] },
        {
          test: 'ArnEquals',
          variable: 'aws:SourceArn',
          values: [`arn:${location.partition}:scheduler:${location.region}:${location.accountId}:schedule-group/default`],
        },
      ],
    },
  ];
}

/** The schedule's role: invoke the generator, decrypt the schedule, report undelivered runs. */
export function refreshScheduleStatements(args: {
  location: AwsLocation;
  generatorFunctionArn: string;
  scheduleArn: string;
  keyArn: string;
  failureQueueArn: string;
}): Statement[] {
  return [
    {
      sid: 'InvokeDrTokenGenerator',
      effect: 'Allow',
      actions: ['lambda:InvokeFunction'],
      resources: [args.generatorFunctionArn],
    },
    {
      sid: 'DecryptSchedule',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [args.keyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:scheduler:schedule-arn', values: [args.scheduleArn] }],
    },
    {
      sid: 'SendUndeliveredRuns',
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      resources: [args.failureQueueArn],
    },
    {
      sid: 'EncryptUndeliveredRuns',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [args.keyArn],
      condition: viaService(args.location, 'sqs'),
    },
  ];
}

/** A statement of a KMS key policy, in IAM's JSON form. */
export interface KeyPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: Record<string, string>;
  readonly Action: string[];
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, string[]>>;
}

/** Policy of a key the construct creates. */
export function encryptionKeyPolicyStatements(args: { location: AwsLocation; logGroupArns: string[] }): KeyPolicyStatement[] {
  const { partition, region, accountId } = args.location;
  return [
    {
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: ['kms:*'],
      // In a key policy "*" is the key itself; this is AWS's default statement that lets IAM
      // policies (the roles above) grant use of the key.
      Resource: '*',
    },
    {
      Sid: 'CloudWatchLogsEncryptsDrLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      // The key itself (see above); the condition limits it to the DR functions' log groups.
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': args.logGroupArns } },
    },
  ];
}

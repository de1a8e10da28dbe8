import type { DataAwsIamPolicyDocumentStatement } from '../../internal/aws';
import { keyAdministration, keyPolicyAdministration } from '../../shared/kms-key';
import type { PolicyStatement } from '../../shared/policy';
import { LEASE_TABLE_ACTIONS } from '../defaults';

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

/** What every function needs: its own logs, traces, its own environment, its on-failure destination. */
export function functionBaseStatements(args: {
  location: AwsLocation;
  functionName: string;
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
      sid: 'DecryptOwnEnvironment',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [args.keyArn],
      // Lambda encrypts a function's environment under the context LambdaFunctionName = its name:
      // this role can decrypt its own function's environment and no other ciphertext of the key.
      condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:LambdaFunctionName', values: [args.functionName] }],
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

/** The DR token secret's encryption context (Secrets Manager puts the secret's ARN in it). */
function secretContext(drTokenSecretArn: string) {
  return { test: 'StringEquals', variable: 'kms:EncryptionContext:SecretARN', values: [drTokenSecretArn] };
}

/** dr-token-generator: store the DR token (it logs in to Vault with its own role: no AWS permission needed for that). */
export function drTokenGeneratorStatements(args: { location: AwsLocation; drTokenSecretArn: string; drTokenKeyArn: string }): Statement[] {
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
      resources: [args.drTokenKeyArn],
      condition: [...viaService(args.location, 'secretsmanager'), secretContext(args.drTokenSecretArn)],
    },
  ];
}

/**
 * Take, renew and release the lease of the one DR operation at a time (issue 8), on the lease table
 * only; the table is encrypted with the automation key, which DynamoDB uses on the caller's behalf.
 * https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
 */
export function leaseStatements(args: { location: AwsLocation; leaseTableArn: string; keyArn: string }): Statement[] {
  return [
    {
      sid: 'HoldDrLease',
      effect: 'Allow',
      actions: [...LEASE_TABLE_ACTIONS],
      resources: [args.leaseTableArn],
    },
    {
      sid: 'UseLeaseTableKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [args.keyArn],
      condition: viaService(args.location, 'dynamodb'),
    },
  ];
}

/** dr-operations: read the DR token, hold the lease, chain the DNS switch. */
export function drOperationsStatements(args: {
  location: AwsLocation;
  drTokenSecretArn: string;
  drTokenKeyArn: string;
  leaseTableArn: string;
  keyArn: string;
  dnsSwitchFunctionArn?: string;
}): Statement[] {
  const statements: Statement[] = [
    {
      sid: 'ReadDrToken',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [args.drTokenSecretArn],
    },
    {
      sid: 'DecryptDrToken',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [args.drTokenKeyArn],
      condition: [...viaService(args.location, 'secretsmanager'), secretContext(args.drTokenSecretArn)],
    },
    ...leaseStatements(args),
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

/** dns-switch: read and change the two weighted records of the Vault name, wait for the change, hold the lease. */
export function dnsSwitchStatements(args: {
  location: AwsLocation;
  hostedZoneId: string;
  recordName: string;
  recordType: string;
  leaseTableArn: string;
  keyArn: string;
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
    ...leaseStatements(args),
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

/** A schedule's role: invoke its one function, decrypt the schedule, report undelivered runs. */
export function scheduleStatements(args: {
  location: AwsLocation;
  /** Sid of the invoke statement, naming the function (`InvokeDrTokenGenerator`). */
  invokeSid: string;
  targetFunctionArn: string;
  scheduleArn: string;
  keyArn: string;
  failureQueueArn: string;
}): Statement[] {
  return [
    {
      sid: args.invokeSid,
      effect: 'Allow',
      actions: ['lambda:InvokeFunction'],
      resources: [args.targetFunctionArn],
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

/** The refresh schedule's role: invoke the generator, decrypt the schedule, report undelivered runs. */
export function refreshScheduleStatements(args: {
  location: AwsLocation;
  generatorFunctionArn: string;
  scheduleArn: string;
  keyArn: string;
  failureQueueArn: string;
}): Statement[] {
  return scheduleStatements({ ...args, invokeSid: 'InvokeDrTokenGenerator', targetFunctionArn: args.generatorFunctionArn });
}

/**
 * dr-watchdog: read the lease and its own item, write its own item only (dynamodb:LeadingKeys holds
 * it to the item's partition key, so it can never take or delete the lease), page the topic, and,
 * in auto mode only, invoke dr-operations. It reads no secret and logs in to no Vault: the status
 * endpoints it probes answer without a token.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export function watchdogStatements(args: {
  location: AwsLocation;
  leaseTableArn: string;
  keyArn: string;
  leaseItemId: string;
  watchdogItemId: string;
  /** Set in auto mode only. */
  operationsFunctionArn?: string;
  pageTopicArn?: string;
}): Statement[] {
  const statements: Statement[] = [
    {
      sid: 'ReadLeaseAndWatchdogState',
      effect: 'Allow',
      actions: ['dynamodb:GetItem'],
      resources: [args.leaseTableArn],
      condition: [{ test: 'ForAllValues:StringEquals', variable: 'dynamodb:LeadingKeys', values: [args.leaseItemId, args.watchdogItemId] }],
    },
    {
      sid: 'WriteWatchdogState',
      effect: 'Allow',
      actions: ['dynamodb:PutItem'],
      resources: [args.leaseTableArn],
      condition: [{ test: 'ForAllValues:StringEquals', variable: 'dynamodb:LeadingKeys', values: [args.watchdogItemId] }],
    },
    {
      sid: 'UseLeaseTableKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [args.keyArn],
      condition: viaService(args.location, 'dynamodb'),
    },
  ];
  if (args.pageTopicArn !== undefined) {
    statements.push({ sid: 'PageAlarmTopic', effect: 'Allow', actions: ['sns:Publish'], resources: [args.pageTopicArn] });
  }
  if (args.operationsFunctionArn !== undefined) {
    statements.push({ sid: 'InvokeDrOperations', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [args.operationsFunctionArn] });
  }
  return statements;
}

/** The ARN of a schedule of the default group, built from its name (its role's policy must name it before it exists). */
export function refreshScheduleArn(location: AwsLocation, scheduleName: string): string {
  return `arn:${location.partition}:scheduler:${location.region}:${location.accountId}:schedule/default/${scheduleName}`;
}

/** An IAM role's ARN from its name: for policies written before the role exists. */
export function roleArnOf(location: AwsLocation, roleName: string): string {
  return `arn:${location.partition}:iam::${location.accountId}:role/${roleName}`;
}

function accountRoot(location: AwsLocation): string {
  return `arn:${location.partition}:iam::${location.accountId}:root`;
}

function viaServices(location: AwsLocation, services: readonly string[]): string[] {
  return services.map((service) => `${service}.${location.region}.amazonaws.com`);
}

/**
 * Policy of the automation key the construct creates (logs, failure queue, schedule, function
 * environments, lease table). The account administers it without using it; every use is tied to a
 * DR resource by an encryption context or to one AWS service by kms:ViaService, and IAM then
 * decides which principal (the function roles' statements are narrower still).
 */
export function encryptionKeyPolicyStatements(args: {
  location: AwsLocation;
  logGroupArns: string[];
  functionNames: string[];
  /** The schedules (the token refresh, the watchdog's runs): Scheduler encrypts each under its own ARN. */
  scheduleArns: string[];
  administratorArns: readonly string[];
}): PolicyStatement[] {
  const { location } = args;
  const root = accountRoot(location);
  return [
    keyAdministration(root),
    keyPolicyAdministration(args.administratorArns),
    {
      Sid: 'CloudWatchLogsEncryptsDrLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${location.region}.amazonaws.com` },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      // In a key policy "*" is the key itself; the condition limits it to the DR functions' log groups.
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': args.logGroupArns } },
    },
    {
      // Lambda encrypts (at deployment) and decrypts (at start, as the execution role) a
      // function's environment under the context LambdaFunctionName = its name.
      Sid: 'DrFunctionEnvironments',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:LambdaFunctionName': args.functionNames } },
    },
    {
      // EventBridge Scheduler encrypts each schedule under its own ARN as context.
      Sid: 'DrSchedules',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:scheduler:schedule-arn': args.scheduleArns } },
    },
    {
      // The failure queue (SQS) and the lease table (DynamoDB) use the key on their callers' behalf.
      Sid: 'FailureQueueAndLeaseTable',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': viaServices(location, ['sqs', 'dynamodb']), 'kms:CallerAccount': location.accountId } },
    },
    {
      // DynamoDB keeps the table's key through a grant it creates when the table is created; a
      // grant for an AWS resource through DynamoDB cannot name its creator as grantee.
      Sid: 'LeaseTableGrant',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': viaServices(location, ['dynamodb']), 'kms:CallerAccount': location.accountId },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    },
  ];
}

/**
 * Policy of the key that encrypts only the DR token secret: the generator (and the break-glass
 * role) may encrypt, dr-operations (and the break-glass role) may decrypt, each only through
 * Secrets Manager and only for this secret. The secret's ARN ends in a random suffix Secrets
 * Manager adds, and the secret needs the key first, so the context is matched by name.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export function drTokenKeyPolicyStatements(args: {
  location: AwsLocation;
  secretName: string;
  generatorRoleArn: string;
  operationsRoleArn: string;
  breakGlassRoleArn?: string;
  administratorArns: readonly string[];
}): PolicyStatement[] {
  const { location } = args;
  const root = accountRoot(location);
  const breakGlass = args.breakGlassRoleArn === undefined ? [] : [args.breakGlassRoleArn];
  const throughSecretsManager = {
    'kms:ViaService': `secretsmanager.${location.region}.amazonaws.com`,
    'kms:CallerAccount': location.accountId,
  };
  const thisSecret = {
    'kms:EncryptionContext:SecretARN': `arn:${location.partition}:secretsmanager:${location.region}:${location.accountId}:secret:${args.secretName}-??????`,
  };
  return [
    keyAdministration(root),
    keyPolicyAdministration(args.administratorArns),
    {
      Sid: 'WriteDrTokenThroughSecretsManager',
      Effect: 'Allow',
      // The account as principal, narrowed to the role by aws:PrincipalArn: the key policy can be
      // written before the roles exist, and the roles' own IAM policies must allow it too.
      Principal: { AWS: root },
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': [args.generatorRoleArn, ...breakGlass] },
        StringEquals: throughSecretsManager,
        StringLike: thisSecret,
      },
    },
    {
      Sid: 'ReadDrTokenThroughSecretsManager',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': [args.operationsRoleArn, ...breakGlass] },
        StringEquals: throughSecretsManager,
        StringLike: thisSecret,
      },
    },
  ];
}

/**
 * The DR token secret's resource policy: reading it is denied to every principal but dr-operations,
 * writing it to every principal but dr-token-generator (and the break-glass role for both). A Deny
 * wins over any Allow an administrator's IAM policy holds. Changing the value through UpdateSecret
 * needs the DR token key, which only the writers may use.
 */
export function drTokenSecretPolicyStatements(args: { readerRoleArn: string; writerRoleArn: string; breakGlassRoleArn?: string }): PolicyStatement[] {
  const breakGlass = args.breakGlassRoleArn === undefined ? [] : [args.breakGlassRoleArn];
  return [
    {
      Sid: 'DenyReadingExceptDrOperations',
      Effect: 'Deny',
      Principal: '*',
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [args.readerRoleArn, ...breakGlass] } },
    },
    {
      Sid: 'DenyWritingExceptDrTokenGenerator',
      Effect: 'Deny',
      Principal: '*',
      Action: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [args.writerRoleArn, ...breakGlass] } },
    },
  ];
}

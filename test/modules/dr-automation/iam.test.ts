import { DrAutomation } from '../../../modules';
import { drAutomationProps, FUNCTION_NAMES, HOSTED_ZONE_ID } from '../support/dr-automation-fixtures';
import { type Block, dataRef, ref, synthesize, type Synthesized } from '../support/synthesized';

/** The statements of the inline policy of the role with this name. */
function roleStatements(synth: Synthesized, roleName: string): Block[] {
  const policy = synth.resource('aws_iam_role_policy', (p) => p.name === roleName).body;
  return synth.dataSourceOf(policy.policy).statement;
}

function assumeRoleStatements(synth: Synthesized, roleName: string): Block[] {
  const role = synth.resource('aws_iam_role', (r) => r.name === roleName).body;
  return synth.dataSourceOf(role.assume_role_policy).statement;
}

describe('DrAutomation IAM', () => {
  let synth: Synthesized;
  let keyArn: string;
  let secretArn: string;
  let queueArn: string;
  let partition: string;
  let region: string;
  let account: string;
  const functionArn = (name: string) => ref('aws_lambda_function', synth.resource('aws_lambda_function', (f) => f.function_name === name).id, 'arn');
  const logGroupArn = (name: string) =>
    ref('aws_cloudwatch_log_group', synth.resource('aws_cloudwatch_log_group', (g) => g.name === `/aws/lambda/${name}`).id, 'arn');

  beforeAll(() => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps()));
    keyArn = ref('aws_kms_key', synth.resource('aws_kms_key').id, 'arn');
    secretArn = ref('aws_secretsmanager_secret', synth.resource('aws_secretsmanager_secret').id, 'arn');
    queueArn = ref('aws_sqs_queue', synth.resource('aws_sqs_queue').id, 'arn');
    partition = dataRef('aws_partition', Object.keys(synth.dataSources('aws_partition'))[0]!, 'partition');
    region = dataRef('aws_region', Object.keys(synth.dataSources('aws_region'))[0]!, 'region');
    account = dataRef('aws_caller_identity', Object.keys(synth.dataSources('aws_caller_identity'))[0]!, 'account_id');
  });

  /** What every function's role grants: its own logs, traces, its environment, its failure queue. */
  const base = (name: string) => [
    { sid: 'WriteOwnLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroupArn(name)}:*`] },
    { sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] },
    { sid: 'DecryptEnvironment', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn] },
    { sid: 'SendFailedInvocations', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [queueArn] },
    {
      sid: 'EncryptFailedInvocations',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${region}.amazonaws.com`] }],
    },
  ];

  it('lets only Lambda assume the function roles', () => {
    for (const name of Object.values(FUNCTION_NAMES)) {
      expect(assumeRoleStatements(synth, name)).toEqual([
        {
          sid: 'LambdaAssumesRole',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        },
      ]);
    }
  });

  it('dr-token-generator: invoke the login function only, put the one secret, encrypt with the one key', () => {
    const name = FUNCTION_NAMES['dr-token-generator'];
    expect(roleStatements(synth, name)).toEqual([
      ...base(name),
      { sid: 'StoreDrToken', effect: 'Allow', actions: ['secretsmanager:PutSecretValue'], resources: [secretArn] },
      {
        sid: 'EncryptDrToken',
        effect: 'Allow',
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [keyArn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${region}.amazonaws.com`] }],
      },
    ]);
  });

  it('dr-operations: read the one secret, invoke the DNS switch only', () => {
    const name = FUNCTION_NAMES['dr-operations'];
    expect(roleStatements(synth, name)).toEqual([
      ...base(name),
      { sid: 'ReadDrToken', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] },
      { sid: 'InvokeDnsSwitch', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [functionArn(FUNCTION_NAMES['dns-switch'])] },
    ]);
  });

  it('dr-operations may not invoke the DNS switch when chaining is off', () => {
    const unchained = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ switchDnsAfterPromotion: false })));
    const sids = roleStatements(unchained, FUNCTION_NAMES['dr-operations']).map((s) => s.sid);
    expect(sids).not.toContain('InvokeDnsSwitch');
    expect(sids).toContain('ReadDrToken');
  });

  it('dns-switch: change only the Vault name in the one hosted zone, list it, and wait for the change', () => {
    const name = FUNCTION_NAMES['dns-switch'];
    const zone = `arn:${partition}:route53:::hostedzone/${HOSTED_ZONE_ID}`;
    expect(roleStatements(synth, name)).toEqual([
      ...base(name),
      {
        sid: 'ChangeVaultEndpointRecords',
        effect: 'Allow',
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [zone],
        condition: [
          { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: ['vault-test.example.com'] },
          { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: ['CNAME'] },
        ],
      },
      { sid: 'ReadVaultEndpointRecords', effect: 'Allow', actions: ['route53:ListResourceRecordSets'], resources: [zone] },
      { sid: 'WaitForChange', effect: 'Allow', actions: ['route53:GetChange'], resources: [`arn:${partition}:route53:::change/*`] },
    ]);
  });

  it('adds network interface permissions, scoped to the given subnets and security groups, with a VPC placement', () => {
    const inVpc = synthesize(
      (scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] } })),
    );
    const p = dataRef('aws_partition', Object.keys(inVpc.dataSources('aws_partition'))[0]!, 'partition');
    const r = dataRef('aws_region', Object.keys(inVpc.dataSources('aws_region'))[0]!, 'region');
    const a = dataRef('aws_caller_identity', Object.keys(inVpc.dataSources('aws_caller_identity'))[0]!, 'account_id');
    const ec2 = (resource: string) => `arn:${p}:ec2:${r}:${a}:${resource}`;
    for (const name of Object.values(FUNCTION_NAMES)) {
      const statements = roleStatements(inVpc, name);
      expect(statements.filter((s) => s.actions.some((action: string) => action.startsWith('ec2:')))).toEqual([
        {
          sid: 'CreateNetworkInterfaces',
          effect: 'Allow',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [ec2('network-interface/*'), ec2('subnet/subnet-1'), ec2('security-group/sg-1')],
        },
        {
          sid: 'ManageNetworkInterfaces',
          effect: 'Allow',
          actions: ['ec2:AssignPrivateIpAddresses', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses'],
          resources: [ec2('network-interface/*')],
        },
        { sid: 'DescribeNetworkInterfaces', effect: 'Allow', actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], resources: ['*'] },
      ]);
    }
  });

  describe('refresh schedule role', () => {
    const scheduleArn = () => `arn:${partition}:scheduler:${region}:${account}:schedule/default/dr-token-refresh-test-main`;

    it('may be assumed by EventBridge Scheduler for this account only', () => {
      expect(assumeRoleStatements(synth, 'dr-token-scheduler-test-main')).toEqual([
        {
          sid: 'SchedulerAssumesRole',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['scheduler.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: [`arn:${partition}:scheduler:${region}:${account}:schedule-group/default`] },
          ],
        },
      ]);
    });

    it('invokes the generator only, decrypts its own schedule only, and reports undelivered runs', () => {
      expect(roleStatements(synth, 'dr-token-scheduler-test-main')).toEqual([
        { sid: 'InvokeDrTokenGenerator', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [functionArn(FUNCTION_NAMES['dr-token-generator'])] },
        {
          sid: 'DecryptSchedule',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:scheduler:schedule-arn', values: [scheduleArn()] }],
        },
        { sid: 'SendUndeliveredRuns', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [queueArn] },
        {
          sid: 'EncryptUndeliveredRuns',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${region}.amazonaws.com`] }],
        },
      ]);
    });
  });

  it('names a resource in every statement, and uses "*" only where AWS requires it', () => {
    // The actions AWS only grants on "*": X-Ray writes and EC2 describes.
    const starOnly = new Set(['xray:PutTelemetryRecords', 'xray:PutTraceSegments', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']);
    const inVpc = synthesize(
      (scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] } })),
    );
    const permissionDocuments = Object.values(inVpc.resources('aws_iam_role_policy')).map((p) => inVpc.dataSourceOf(p.policy));
    expect(permissionDocuments).toHaveLength(4);
    for (const document of permissionDocuments) {
      for (const statement of document.statement) {
        expect(statement.effect).toBe('Allow');
        expect(statement.resources.length).toBeGreaterThan(0);
        expect(statement.actions.every((action: string) => !action.includes('*'))).toBe(true);
        if (statement.resources.includes('*')) {
          expect(statement.resources).toEqual(['*']);
          expect(statement.actions.every((action: string) => starOnly.has(action))).toBe(true);
        }
      }
    }
  });

  describe('encryption key', () => {
    it('has a key policy that lets IAM grant its use and CloudWatch Logs use it for the DR log groups only', () => {
      const key = synth.resource('aws_kms_key').body;
      const logGroup = (name: string) => `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${name}`;
      expect(JSON.parse(key.policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministersKeyThroughIam',
            Effect: 'Allow',
            Principal: { AWS: `arn:${partition}:iam::${account}:root` },
            Action: ['kms:*'],
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsEncryptsDrLogGroups',
            Effect: 'Allow',
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
            Resource: '*',
            Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': Object.values(FUNCTION_NAMES).map(logGroup) } },
          },
        ],
      });
    });

    it('is not created when a key is given, and the given key is used everywhere', () => {
      const given = 'arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555';
      const withKey = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ kmsKeyArn: given })));
      expect(withKey.resources('aws_kms_key')).toEqual({});
      expect(withKey.resources('aws_kms_alias')).toEqual({});
      expect(withKey.resource('aws_secretsmanager_secret').body.kms_key_id).toBe(given);
      expect(withKey.resource('aws_sqs_queue').body.kms_master_key_id).toBe(given);
      expect(withKey.resource('aws_scheduler_schedule').body.kms_key_arn).toBe(given);
      for (const fn of Object.values(withKey.resources('aws_lambda_function'))) expect(fn.kms_key_arn).toBe(given);
      for (const group of Object.values(withKey.resources('aws_cloudwatch_log_group'))) expect(group.kms_key_id).toBe(given);
      expect(roleStatements(withKey, FUNCTION_NAMES['dns-switch']).find((s) => s.sid === 'DecryptEnvironment')!.resources).toEqual([given]);
    });
  });
});

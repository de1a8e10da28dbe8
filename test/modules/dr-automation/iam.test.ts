import { DrAutomation } from '../../../modules';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS } from '../../../modules/shared/kms-key';
import { BREAK_GLASS_ROLE, drAutomationProps, FUNCTION_NAMES, HOSTED_ZONE_ID, KEY_ADMINISTRATOR } from '../support/dr-automation-fixtures';
import { evaluate } from '../support/policy-evaluator';
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

const IN_VPC = { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.48.0/24'] };

describe('DrAutomation IAM', () => {
  let synth: Synthesized;
  let keyArn: string;
  let drTokenKeyArn: string;
  let secretArn: string;
  let queueArn: string;
  let tableArn: string;
  let partition: string;
  let region: string;
  let account: string;
  const functionArn = (name: string) => ref('aws_lambda_function', synth.resource('aws_lambda_function', (f) => f.function_name === name).id, 'arn');
  const roleArn = (name: string) => ref('aws_iam_role', synth.resource('aws_iam_role', (r) => r.name === name).id, 'arn');
  const logGroupArn = (name: string) =>
    ref('aws_cloudwatch_log_group', synth.resource('aws_cloudwatch_log_group', (g) => g.name === `/aws/lambda/${name}`).id, 'arn');
  const keyByAlias = (s: Synthesized, alias: string) => {
    const target = s.resource('aws_kms_alias', (a) => a.name === alias).body.target_key_id as string;
    return s.resourceOf(target);
  };

  beforeAll(() => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ keyAdministratorArns: [KEY_ADMINISTRATOR] })));
    const keyId = (alias: string) => synth.resource('aws_kms_alias', (a) => a.name === alias).body.target_key_id.replace('.key_id}', '.arn}');
    keyArn = keyId('alias/vault-dr-test-main');
    drTokenKeyArn = keyId('alias/dr-token-test-main');
    secretArn = ref('aws_secretsmanager_secret', synth.resource('aws_secretsmanager_secret').id, 'arn');
    queueArn = ref('aws_sqs_queue', synth.resource('aws_sqs_queue').id, 'arn');
    tableArn = ref('aws_dynamodb_table', synth.resource('aws_dynamodb_table').id, 'arn');
    partition = dataRef('aws_partition', Object.keys(synth.dataSources('aws_partition'))[0]!, 'partition');
    region = dataRef('aws_region', Object.keys(synth.dataSources('aws_region'))[0]!, 'region');
    account = dataRef('aws_caller_identity', Object.keys(synth.dataSources('aws_caller_identity'))[0]!, 'account_id');
  });

  /** What every function's role grants: its own logs, traces, its own environment, its failure queue. */
  const base = (name: string) => [
    { sid: 'WriteOwnLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroupArn(name)}:*`] },
    { sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] },
    {
      sid: 'DecryptOwnEnvironment',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:LambdaFunctionName', values: [name] }],
    },
    { sid: 'SendFailedInvocations', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [queueArn] },
    {
      sid: 'EncryptFailedInvocations',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${region}.amazonaws.com`] }],
    },
  ];
  const lease = () => [
    { sid: 'HoldDrLease', effect: 'Allow', actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], resources: [tableArn] },
    {
      sid: 'UseLeaseTableKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [keyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${region}.amazonaws.com`] }],
    },
  ];
  const secretContext = () => [
    { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${region}.amazonaws.com`] },
    { test: 'StringEquals', variable: 'kms:EncryptionContext:SecretARN', values: [secretArn] },
  ];

  it('has exactly the four functions, none of them a login function', () => {
    expect(Object.values(synth.resources('aws_lambda_function')).map((f) => f.function_name).sort()).toEqual(Object.values(FUNCTION_NAMES).sort());
    expect(JSON.stringify(synth.doc)).not.toContain('vault-login');
  });

  it('lets only Lambda assume the function roles', () => {
    for (const name of Object.values(FUNCTION_NAMES)) {
      expect(assumeRoleStatements(synth, name)).toEqual([
        { sid: 'LambdaAssumesRole', effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] },
      ]);
    }
  });

  it('dr-token-generator: put the one secret, encrypt it with the DR token key through Secrets Manager only; invoke nothing', () => {
    const name = FUNCTION_NAMES['dr-token-generator'];
    expect(roleStatements(synth, name)).toEqual([
      ...base(name),
      { sid: 'StoreDrToken', effect: 'Allow', actions: ['secretsmanager:PutSecretValue'], resources: [secretArn] },
      { sid: 'EncryptDrToken', effect: 'Allow', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [drTokenKeyArn], condition: secretContext() },
    ]);
  });

  it('dr-operations: read and decrypt the one secret through Secrets Manager, hold the lease, invoke the DNS switch only', () => {
    const name = FUNCTION_NAMES['dr-operations'];
    expect(roleStatements(synth, name)).toEqual([
      ...base(name),
      { sid: 'ReadDrToken', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] },
      { sid: 'DecryptDrToken', effect: 'Allow', actions: ['kms:Decrypt'], resources: [drTokenKeyArn], condition: secretContext() },
      ...lease(),
      { sid: 'InvokeDnsSwitch', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [functionArn(FUNCTION_NAMES['dns-switch'])] },
    ]);
  });

  it('dr-operations may not invoke the DNS switch when chaining is off, and still holds the lease', () => {
    const unchained = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ switchDnsAfterPromotion: false })));
    const sids = roleStatements(unchained, FUNCTION_NAMES['dr-operations']).map((s) => s.sid);
    expect(sids).not.toContain('InvokeDnsSwitch');
    expect(sids).toEqual(expect.arrayContaining(['ReadDrToken', 'HoldDrLease']));
  });

  it('dns-switch: change only the Vault name in the one hosted zone, list it, wait for the change, hold the lease', () => {
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
      ...lease(),
    ]);
  });

  it('gives the lease to dr-operations and dns-switch only, and the DR token to its reader and writer only', () => {
    const holders = (sid: string) =>
      Object.values(FUNCTION_NAMES).filter((name) => roleStatements(synth, name).some((s) => s.sid === sid));
    expect(holders('HoldDrLease')).toEqual([FUNCTION_NAMES['dr-operations'], FUNCTION_NAMES['dns-switch']]);
    expect(holders('ReadDrToken')).toEqual([FUNCTION_NAMES['dr-operations']]);
    expect(holders('StoreDrToken')).toEqual([FUNCTION_NAMES['dr-token-generator']]);
  });

  const invocationsOf = (s: Synthesized) =>
    Object.values(s.resources('aws_iam_role_policy')).flatMap((p) =>
      s
        .dataSourceOf(p.policy)
        .statement.filter((st: Block) => st.actions.includes('lambda:InvokeFunction'))
        .map((st: Block) => [p.name, st.resources]),
    );

  it('lets no role invoke anything but dr-operations invoking the DNS switch and the schedules their function (no one gets a Vault token by invoking a function)', () => {
    const invocations = invocationsOf(synth);
    expect(invocations).toEqual(
      expect.arrayContaining([
        [FUNCTION_NAMES['dr-operations'], [functionArn(FUNCTION_NAMES['dns-switch'])]],
        ['dr-token-scheduler-test-main', [functionArn(FUNCTION_NAMES['dr-token-generator'])]],
        ['dr-watchdog-runner-test-main', [functionArn(FUNCTION_NAMES['dr-watchdog'])]],
      ]),
    );
    // The watchdog invokes dr-operations only in auto mode (notify is the default).
    expect(invocations).toHaveLength(3);
    const auto = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ watchdogMode: 'auto' })));
    expect(invocationsOf(auto)).toEqual(expect.arrayContaining([[FUNCTION_NAMES['dr-watchdog'], [functionArn(FUNCTION_NAMES['dr-operations'])]]]));
    expect(invocationsOf(auto)).toHaveLength(4);
  });

  it('dr-watchdog: reads the lease and its own item, writes its own item only; no secret, no Vault login, no invoke (notify)', () => {
    const name = FUNCTION_NAMES['dr-watchdog'];
    expect(roleStatements(synth, name)).toEqual([
      ...base(name),
      {
        sid: 'ReadLeaseAndWatchdogState',
        effect: 'Allow',
        actions: ['dynamodb:GetItem'],
        resources: [tableArn],
        condition: [{ test: 'ForAllValues:StringEquals', variable: 'dynamodb:LeadingKeys', values: ['vault-dr-operation', 'vault-dr-watchdog'] }],
      },
      {
        sid: 'WriteWatchdogState',
        effect: 'Allow',
        actions: ['dynamodb:PutItem'],
        resources: [tableArn],
        // Never the lease item: the watchdog cannot take, hold or give back the lease.
        condition: [{ test: 'ForAllValues:StringEquals', variable: 'dynamodb:LeadingKeys', values: ['vault-dr-watchdog'] }],
      },
      lease()[1],
    ]);
  });

  it('dr-watchdog: pages the alarm topic (the first SNS topic of alarmActions, or the one given) and, in auto only, invokes dr-operations', () => {
    const topic = 'arn:aws:sns:us-west-2:111111111111:vault-dr-alerts';
    const paging = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ alarmActions: [topic], watchdogMode: 'auto' })));
    const statements = roleStatements(paging, FUNCTION_NAMES['dr-watchdog']);
    const operationsArn = ref('aws_lambda_function', paging.resource('aws_lambda_function', (f) => f.function_name === FUNCTION_NAMES['dr-operations']).id, 'arn');
    expect(statements.slice(-2)).toEqual([
      { sid: 'PageAlarmTopic', effect: 'Allow', actions: ['sns:Publish'], resources: [topic] },
      { sid: 'InvokeDrOperations', effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [operationsArn] },
    ]);
    const other = 'arn:aws:sns:us-west-2:111111111111:vault-dr-pages';
    const given = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ alarmActions: [topic], watchdogPageTopicArn: other })));
    expect(roleStatements(given, FUNCTION_NAMES['dr-watchdog']).find((st) => st.sid === 'PageAlarmTopic')?.resources).toEqual([other]);
    expect(roleStatements(given, FUNCTION_NAMES['dr-watchdog']).some((st) => st.sid === 'InvokeDrOperations')).toBe(false);
  });

  it('adds network interface permissions, scoped to the given subnets and security groups, with a VPC placement', () => {
    const inVpc = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vpcPlacement: IN_VPC })));
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
    const inVpc = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vpcPlacement: IN_VPC })));
    const permissionDocuments = Object.values(inVpc.resources('aws_iam_role_policy')).map((p) => inVpc.dataSourceOf(p.policy));
    // Four functions and two schedules.
    expect(permissionDocuments).toHaveLength(6);
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

  describe('key administration (every key the construct creates)', () => {
    it('lets the account administer each key without using it, granting or rewriting its policy', () => {
      const keys = Object.values(synth.resources('aws_kms_key'));
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        const admin = JSON.parse(key.policy).Statement.find((s: Block) => s.Sid === 'KeyAdministration');
        expect(admin.Principal).toEqual({ AWS: `arn:${partition}:iam::${account}:root` });
        expect(admin.Action).toEqual([...KEY_ADMINISTRATION_ACTIONS]);
        for (const action of admin.Action as string[]) {
          expect(action).not.toContain('*');
          expect(KEY_USE_ACTIONS as readonly string[]).not.toContain(action);
        }
      }
    });

    it('lets only the named administrators change the key policies', () => {
      for (const key of Object.values(synth.resources('aws_kms_key'))) {
        const statements = JSON.parse(key.policy).Statement as Block[];
        const putters = statements.filter((s) => [s.Action].flat().some((a: string) => a === 'kms:PutKeyPolicy' || a === 'kms:*' || a === 'kms:Put*'));
        expect(putters).toEqual([{ Sid: 'KeyPolicyAdministration', Effect: 'Allow', Principal: { AWS: [KEY_ADMINISTRATOR] }, Action: 'kms:PutKeyPolicy', Resource: '*' }]);
      }
    });

    it('defaults the administrators to the role of the identity running Terraform (aws_iam_session_context)', () => {
      const byDefault = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps()));
      const [contextId, context] = Object.entries(byDefault.dataSources('aws_iam_session_context'))[0]!;
      expect(context.arn).toMatch(/^\$\{data\.aws_caller_identity\.[A-Za-z0-9_]+\.arn\}$/);
      for (const key of Object.values(byDefault.resources('aws_kms_key'))) {
        expect(JSON.parse(key.policy).Statement.find((s: Block) => s.Sid === 'KeyPolicyAdministration').Principal).toEqual({
          AWS: [dataRef('aws_iam_session_context', contextId, 'issuer_arn')],
        });
      }
    });
  });

  describe('automation key', () => {
    const policy = () => keyByAlias(synth, 'alias/vault-dr-test-main').policy as string;
    const root = () => `arn:${partition}:iam::${account}:root`;
    const anyone = 'arn:aws:iam::111111111111:role/someone-with-kms-star';

    it('lets an account principal decrypt a DR function\'s environment (IAM decides who), and nothing else without a context', () => {
      const envOf = (name: string) => ({ 'kms:EncryptionContext:LambdaFunctionName': name });
      for (const name of Object.values(FUNCTION_NAMES)) {
        expect(evaluate(policy(), { principalArn: anyone, action: 'kms:Decrypt', context: envOf(name) }, root())).toBe('allow');
      }
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:Decrypt', context: envOf('another-function') }, root())).toBe('implicit-deny');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:Decrypt' }, root())).toBe('implicit-deny');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:CreateGrant' }, root())).toBe('implicit-deny');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:PutKeyPolicy' }, root())).toBe('implicit-deny');
      expect(evaluate(policy(), { principalArn: KEY_ADMINISTRATOR, action: 'kms:PutKeyPolicy' }, root())).toBe('allow');
    });

    it('serves the failure queue and the lease table only through SQS and DynamoDB, and DynamoDB\'s grant only for the AWS resource', () => {
      const via = (service: string) => ({ 'kms:ViaService': `${service}.${region}.amazonaws.com`, 'kms:CallerAccount': account });
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:GenerateDataKey', context: via('sqs') }, root())).toBe('allow');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:Decrypt', context: via('dynamodb') }, root())).toBe('allow');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:Decrypt', context: via('s3') }, root())).toBe('implicit-deny');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:CreateGrant', context: { ...via('dynamodb'), 'kms:GrantIsForAWSResource': 'true' } }, root())).toBe('allow');
      expect(evaluate(policy(), { principalArn: anyone, action: 'kms:CreateGrant', context: { ...via('dynamodb'), 'kms:GrantIsForAWSResource': 'false' } }, root())).toBe('implicit-deny');
    });

    it('lets CloudWatch Logs use it for the DR functions\' log groups only', () => {
      const logGroup = (name: string) => `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${name}`;
      const logs = { service: `logs.${region}.amazonaws.com`, action: 'kms:GenerateDataKey' };
      for (const name of Object.values(FUNCTION_NAMES)) {
        expect(evaluate(policy(), { ...logs, context: { 'kms:EncryptionContext:aws:logs:arn': logGroup(name) } })).toBe('allow');
      }
      expect(evaluate(policy(), { ...logs, context: { 'kms:EncryptionContext:aws:logs:arn': logGroup('other') } })).toBe('implicit-deny');
    });

    it('is not created when a key is given, and the given key is used for everything but the DR token', () => {
      const given = 'arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555';
      const withKey = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ kmsKeyArn: given })));
      expect(Object.values(withKey.resources('aws_kms_alias')).map((a) => a.name)).toEqual(['alias/dr-token-test-main']);
      expect(withKey.resource('aws_secretsmanager_secret').body.kms_key_id).not.toBe(given);
      expect(withKey.resource('aws_sqs_queue').body.kms_master_key_id).toBe(given);
      for (const schedule of Object.values(withKey.resources('aws_scheduler_schedule'))) expect(schedule.kms_key_arn).toBe(given);
      expect(withKey.resource('aws_dynamodb_table').body.server_side_encryption.kms_key_arn).toBe(given);
      for (const fn of Object.values(withKey.resources('aws_lambda_function'))) expect(fn.kms_key_arn).toBe(given);
      for (const group of Object.values(withKey.resources('aws_cloudwatch_log_group'))) expect(group.kms_key_id).toBe(given);
      expect(roleStatements(withKey, FUNCTION_NAMES['dns-switch']).find((s) => s.sid === 'DecryptOwnEnvironment')!.resources).toEqual([given]);
    });
  });

  describe('the DR token: its secret\'s resource policy and its own key', () => {
    const secretPolicy = (s: Synthesized) => s.resource('aws_secretsmanager_secret_policy').body;
    const generator = () => roleArn(FUNCTION_NAMES['dr-token-generator']);
    const operations = () => roleArn(FUNCTION_NAMES['dr-operations']);
    const admin = 'arn:aws:iam::111111111111:role/AdministratorAccess';

    it('is attached to the secret, with public policies blocked', () => {
      expect(secretPolicy(synth)).toMatchObject({ secret_arn: secretArn, block_public_policy: true });
    });

    it.each([
      ['dr-operations reads it', () => operations(), 'secretsmanager:GetSecretValue', 'implicit-deny'],
      ['the generator does not read it', () => generator(), 'secretsmanager:GetSecretValue', 'deny'],
      ['an administrator does not read it', () => admin, 'secretsmanager:GetSecretValue', 'deny'],
      ['the generator writes it', () => generator(), 'secretsmanager:PutSecretValue', 'implicit-deny'],
      ['dr-operations does not write it', () => operations(), 'secretsmanager:PutSecretValue', 'deny'],
      ['an administrator does not move its current version', () => admin, 'secretsmanager:UpdateSecretVersionStage', 'deny'],
      ['an administrator still describes and manages it', () => admin, 'secretsmanager:DescribeSecret', 'implicit-deny'],
    ])('%s', (_case, principal, action, decision) => {
      expect(evaluate(secretPolicy(synth).policy, { principalArn: principal(), action })).toBe(decision);
    });

    it('lets the break-glass role read and write it when given, and nobody else more', () => {
      const withBreakGlass = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ breakGlassRoleArn: BREAK_GLASS_ROLE })));
      const text = secretPolicy(withBreakGlass).policy;
      expect(evaluate(text, { principalArn: BREAK_GLASS_ROLE, action: 'secretsmanager:GetSecretValue' })).toBe('implicit-deny');
      expect(evaluate(text, { principalArn: BREAK_GLASS_ROLE, action: 'secretsmanager:PutSecretValue' })).toBe('implicit-deny');
      expect(evaluate(text, { principalArn: admin, action: 'secretsmanager:GetSecretValue' })).toBe('deny');
      expect(evaluate(secretPolicy(synth).policy, { principalArn: BREAK_GLASS_ROLE, action: 'secretsmanager:GetSecretValue' })).toBe('deny');
    });

    describe('its key', () => {
      const secretName = 'dr-token-test-main';
      const root = () => `arn:${partition}:iam::${account}:root`;
      const role = (name: string) => `arn:${partition}:iam::${account}:role/${name}`;
      const throughSecretsManager = (secret = secretName) => ({
        'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
        'kms:CallerAccount': account,
        'kms:EncryptionContext:SecretARN': `arn:${partition}:secretsmanager:${region}:${account}:secret:${secret}-AbC123`,
      });
      const policy = (s: Synthesized) => keyByAlias(s, 'alias/dr-token-test-main').policy as string;

      it('encrypts the secret and nothing else', () => {
        expect(synth.resource('aws_secretsmanager_secret').body.kms_key_id).toBe(drTokenKeyArn);
        const users = Object.entries(synth.doc.resource as Record<string, Record<string, Block>>).flatMap(([type, byId]) =>
          Object.entries(byId).filter(([, body]) => JSON.stringify(body).includes(drTokenKeyArn.slice(2, -5))).map(([id]) => `${type}.${id}`),
        );
        expect(users.filter((u) => !u.startsWith('aws_iam_role_policy') && !u.startsWith('aws_kms_alias'))).toEqual([`aws_secretsmanager_secret.${synth.resource('aws_secretsmanager_secret').id}`]);
      });

      it.each([
        ['dr-operations decrypts through Secrets Manager', FUNCTION_NAMES['dr-operations'], 'kms:Decrypt', () => throughSecretsManager(), 'allow'],
        ['dr-operations does not decrypt directly', FUNCTION_NAMES['dr-operations'], 'kms:Decrypt', () => ({}), 'implicit-deny'],
        ['dr-operations does not decrypt another secret', FUNCTION_NAMES['dr-operations'], 'kms:Decrypt', () => throughSecretsManager('other-secret'), 'implicit-deny'],
        ['the generator does not decrypt', FUNCTION_NAMES['dr-token-generator'], 'kms:Decrypt', () => throughSecretsManager(), 'implicit-deny'],
        ['the generator encrypts through Secrets Manager', FUNCTION_NAMES['dr-token-generator'], 'kms:GenerateDataKey', () => throughSecretsManager(), 'allow'],
        ['dr-operations does not encrypt', FUNCTION_NAMES['dr-operations'], 'kms:GenerateDataKey', () => throughSecretsManager(), 'implicit-deny'],
        ['dns-switch does neither', FUNCTION_NAMES['dns-switch'], 'kms:Decrypt', () => throughSecretsManager(), 'implicit-deny'],
        ['an administrator does not decrypt', 'AdministratorAccess', 'kms:Decrypt', () => throughSecretsManager(), 'implicit-deny'],
      ])('%s', (_case, roleName, action, context, decision) => {
        expect(evaluate(policy(synth), { principalArn: role(roleName), action, context: context() }, root())).toBe(decision);
      });

      it('lets the break-glass role read and write through Secrets Manager when given', () => {
        const withBreakGlass = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ breakGlassRoleArn: BREAK_GLASS_ROLE })));
        const p = dataRef('aws_partition', Object.keys(withBreakGlass.dataSources('aws_partition'))[0]!, 'partition');
        const r = dataRef('aws_region', Object.keys(withBreakGlass.dataSources('aws_region'))[0]!, 'region');
        const a = dataRef('aws_caller_identity', Object.keys(withBreakGlass.dataSources('aws_caller_identity'))[0]!, 'account_id');
        const context = {
          'kms:ViaService': `secretsmanager.${r}.amazonaws.com`,
          'kms:CallerAccount': a,
          'kms:EncryptionContext:SecretARN': `arn:${p}:secretsmanager:${r}:${a}:secret:${secretName}-AbC123`,
        };
        for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
          expect(evaluate(policy(withBreakGlass), { principalArn: BREAK_GLASS_ROLE, action, context }, `arn:${p}:iam::${a}:root`)).toBe('allow');
        }
        expect(evaluate(policy(synth), { principalArn: BREAK_GLASS_ROLE, action: 'kms:Decrypt', context: throughSecretsManager() }, root())).toBe('implicit-deny');
      });
    });
  });
});

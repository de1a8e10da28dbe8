import { DrAutomation } from '../../../modules';
import { ArchiveProvider } from '../../../modules/internal/archive';
import { AwsProvider, SqsQueue } from '../../../modules/internal/aws';
import { VaultProvider } from '../../../modules/internal/vault';
import { drAutomationProps, FUNCTION_NAMES, PERFORMANCE_OPERATIONS_POLICY_HCL } from '../support/dr-automation-fixtures';
import { type Block, ref, synthesize, type Synthesized } from '../support/synthesized';

describe('DrAutomation resources', () => {
  let synth: Synthesized;
  let keyArn: string;
  let queueArn: string;
  const functionRef = (name: string, attribute: string) =>
    ref('aws_lambda_function', synth.resource('aws_lambda_function', (f) => f.function_name === name).id, attribute);

  beforeAll(() => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps()));
    keyArn = synth.resource('aws_kms_alias', (a) => a.name === 'alias/vault-dr-test-main').body.target_key_id.replace('.key_id}', '.arn}');
    queueArn = ref('aws_sqs_queue', synth.resource('aws_sqs_queue').id, 'arn');
  });

  it('creates two rotating customer-managed keys with aliases: the automation key and the DR token key', () => {
    const keys = Object.entries(synth.resources('aws_kms_key'));
    expect(keys).toHaveLength(2);
    for (const [, body] of keys) expect(body).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(Object.values(synth.resources('aws_kms_alias')).map((a) => [a.name, a.target_key_id]).sort()).toEqual(
      keys.map(([id, body]) => [body.description.includes('DR token secret only') ? 'alias/dr-token-test-main' : 'alias/vault-dr-test-main', ref('aws_kms_key', id, 'key_id')]).sort(),
    );
  });

  it('keeps the DR token in a secret encrypted with its own key', () => {
    const drTokenKey = synth.resource('aws_kms_alias', (a) => a.name === 'alias/dr-token-test-main').body.target_key_id.replace('.key_id}', '.arn}');
    expect(synth.resource('aws_secretsmanager_secret').body).toMatchObject({
      name: 'dr-token-test-main',
      kms_key_id: drTokenKey,
      recovery_window_in_days: 7,
    });
    expect(drTokenKey).not.toBe(keyArn);
  });

  it('keeps failed invocations for 14 days in a queue encrypted with the key', () => {
    expect(synth.resource('aws_sqs_queue').body).toMatchObject({
      name: 'dr-failures-test-main',
      kms_master_key_id: keyArn,
      message_retention_seconds: 1_209_600,
    });
  });

  describe('refresh schedule', () => {
    it('runs the generator every refresh interval, encrypted, with retries and a dead-letter queue', () => {
      const role = synth.resource('aws_iam_role', (r) => r.name === 'dr-token-scheduler-test-main');
      const rolePolicy = synth.resource('aws_iam_role_policy', (p) => p.name === 'dr-token-scheduler-test-main');
      expect(synth.resource('aws_scheduler_schedule', (b) => b.name === 'dr-token-refresh-test-main').body).toEqual({
        name: 'dr-token-refresh-test-main',
        group_name: 'default',
        description: expect.any(String),
        schedule_expression: 'rate(60 minutes)',
        flexible_time_window: { mode: 'OFF' },
        kms_key_arn: keyArn,
        state: 'ENABLED',
        target: {
          arn: functionRef(FUNCTION_NAMES['dr-token-generator'], 'arn'),
          role_arn: ref('aws_iam_role', role.id, 'arn'),
          retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 1800 },
          dead_letter_config: { arn: queueArn },
        },
        depends_on: [`aws_iam_role_policy.${rolePolicy.id}`],
      });
    });

    it.each([
      [30, 'rate(30 minutes)', 900],
      [1, 'rate(1 minute)', 60],
    ])('follows refreshIntervalMinutes = %d', (minutes, expression, maxEventAge) => {
      const custom = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ refreshIntervalMinutes: minutes })));
      const schedule = custom.resource('aws_scheduler_schedule', (b) => b.name === 'dr-token-refresh-test-main').body;
      expect(schedule.schedule_expression).toBe(expression);
      expect(schedule.target.retry_policy.maximum_event_age_in_seconds).toBe(maxEventAge);
    });
  });

  describe('watchdog schedule', () => {
    it('runs the watchdog every minute with the observe command, encrypted, never retried (the next run comes), undelivered runs to the queue', () => {
      const role = synth.resource('aws_iam_role', (r) => r.name === 'dr-watchdog-runner-test-main');
      const rolePolicy = synth.resource('aws_iam_role_policy', (p) => p.name === 'dr-watchdog-runner-test-main');
      expect(synth.resource('aws_scheduler_schedule', (b) => b.name === 'dr-watchdog-run-test-main').body).toEqual({
        name: 'dr-watchdog-run-test-main',
        group_name: 'default',
        description: expect.any(String),
        schedule_expression: 'rate(1 minute)',
        flexible_time_window: { mode: 'OFF' },
        kms_key_arn: keyArn,
        state: 'ENABLED',
        target: {
          arn: functionRef(FUNCTION_NAMES['dr-watchdog'], 'arn'),
          role_arn: ref('aws_iam_role', role.id, 'arn'),
          input: '{"command":"observe"}',
          retry_policy: { maximum_retry_attempts: 0, maximum_event_age_in_seconds: 60 },
          dead_letter_config: { arn: queueArn },
        },
        depends_on: [`aws_iam_role_policy.${rolePolicy.id}`],
      });
    });

    it('lets the automation key decrypt each schedule under its own ARN', () => {
      const key = synth.resource('aws_kms_key', (k) => String(k.description).includes('logs, queue, schedule')).body;
      const policy = JSON.parse(key.policy as string) as { Statement: Block[] };
      const schedules = policy.Statement.find((st) => st.Sid === 'DrSchedules');
      expect(schedules?.Condition.StringEquals['kms:EncryptionContext:aws:scheduler:schedule-arn']).toEqual([
        expect.stringMatching(/:schedule\/default\/dr-token-refresh-test-main$/),
        expect.stringMatching(/:schedule\/default\/dr-watchdog-run-test-main$/),
      ]);
    });
  });

  describe('alarms', () => {
    const alarm = (s: Synthesized, name: string) => s.resource('aws_cloudwatch_metric_alarm', (a) => a.alarm_name === name).body;

    it('alarms when the DR token generator fails', () => {
      expect(alarm(synth, 'dr-token-generator-failing-test-main')).toMatchObject({
        namespace: 'AWS/Lambda',
        metric_name: 'Errors',
        dimensions: { FunctionName: functionRef(FUNCTION_NAMES['dr-token-generator'], 'function_name') },
        statistic: 'Sum',
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        evaluation_periods: 1,
        treat_missing_data: 'notBreaching',
      });
    });

    it('alarms when any DR function errors', () => {
      const body = alarm(synth, 'dr-functions-erroring-test-main');
      expect(body).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 0, evaluation_periods: 1 });
      const metrics = body.metric_query.filter((q: Block) => q.metric);
      expect(metrics.map((q: Block) => q.metric.dimensions.FunctionName).sort()).toEqual(
        Object.values(FUNCTION_NAMES)
          .map((name) => functionRef(name, 'function_name'))
          .sort(),
      );
      for (const q of metrics) {
        expect(q).toMatchObject({ return_data: false, metric: { namespace: 'AWS/Lambda', metric_name: 'Errors', stat: 'Sum' } });
      }
      const total = body.metric_query.find((q: Block) => q.expression);
      expect(total).toMatchObject({ return_data: true });
      expect(total.expression).toBe(`SUM([${metrics.map((q: Block) => q.id).join(', ')}])`);
    });

    it('alarms when the DR token has not been refreshed, well before it expires, also when the metric is missing', () => {
      const body = alarm(synth, 'dr-token-not-refreshed-test-main');
      expect(body).toMatchObject({
        namespace: 'VaultDR',
        metric_name: 'DrTokenRefreshSucceeded',
        dimensions: { Environment: 'test-main' },
        statistic: 'Sum',
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        treat_missing_data: 'breaching',
        period: 3600,
        evaluation_periods: 2,
        datapoints_to_alarm: 2,
      });
      // The window is shorter than TTL minus the DR operations function's minimum remaining time.
      expect(body.period * body.evaluation_periods).toBeLessThan(28_800 - 600);
      const generatorEnvironment = synth.resource('aws_lambda_function', (f) => f.function_name === FUNCTION_NAMES['dr-token-generator']).body
        .environment.variables.DR_ENVIRONMENT;
      expect(body.dimensions.Environment).toBe(generatorEnvironment);
    });

    it('notifies nobody by default, and the given actions on alarm and recovery', () => {
      for (const body of Object.values(synth.resources('aws_cloudwatch_metric_alarm'))) {
        expect(body.alarm_actions).toBeUndefined();
        expect(body.ok_actions).toBeUndefined();
      }
      const topic = 'arn:aws:sns:us-west-2:111111111111:vault-dr-alerts';
      const notifying = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ alarmActions: [topic] })));
      const alarms = Object.values(notifying.resources('aws_cloudwatch_metric_alarm'));
      // The machinery's four and the pair's five.
      expect(alarms).toHaveLength(9);
      for (const body of alarms) {
        expect(body.alarm_actions).toEqual([topic]);
        expect(body.ok_actions).toEqual([topic]);
      }
    });
  });

  describe('lease table (one DR operation at a time)', () => {
    it('is on demand, keyed by lockId, expires leases by expiresAtEpoch, encrypted with the key, recoverable and protected', () => {
      expect(synth.resource('aws_dynamodb_table').body).toEqual({
        name: 'dr-lease-test-main',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'lockId',
        attribute: [{ name: 'lockId', type: 'S' }],
        ttl: { attribute_name: 'expiresAtEpoch', enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: keyArn },
        point_in_time_recovery: { enabled: true },
        deletion_protection_enabled: true,
        tags: {},
      });
    });

    it('is named in LEASE_TABLE_NAME of dr-operations and dns-switch, and exposed', () => {
      const table = synth.resource('aws_dynamodb_table');
      for (const name of [FUNCTION_NAMES['dr-operations'], FUNCTION_NAMES['dns-switch']]) {
        expect(synth.resource('aws_lambda_function', (f) => f.function_name === name).body.environment.variables.LEASE_TABLE_NAME).toBe(
          ref('aws_dynamodb_table', table.id, 'name'),
        );
      }
      expect(synth.resource('aws_lambda_function', (f) => f.function_name === FUNCTION_NAMES['dr-token-generator']).body.environment.variables).not.toHaveProperty(
        'LEASE_TABLE_NAME',
      );
    });
  });

  describe('Vault objects', () => {
    const vault = (s: Synthesized, type: string, where: (b: Block) => boolean = () => true) => s.resource(type, where).body;
    const policyOf = (s: Synthesized, name: string) => vault(s, 'vault_policy', (p) => p.name === name).policy as string;
    const policyRef = (s: Synthesized, name: string) => ref('vault_policy', s.resource('vault_policy', (p) => p.name === name).id, 'name');
    const mountRef = (s: Synthesized) => ref('vault_auth_backend', s.resource('vault_auth_backend').id, 'path');
    const roleArnOf = (s: Synthesized, name: string) => ref('aws_iam_role', s.resource('aws_iam_role', (r) => r.name === name).id, 'arn');

    it('gives the batch DR token exact paths: promote and update-primary on a DR secondary, nothing else', () => {
      expect(policyOf(synth, 'dr-operation-test-main')).toBe(
        [
          'path "sys/replication/dr/secondary/promote" {',
          '  capabilities = ["update"]',
          '}',
          '',
          'path "sys/replication/dr/secondary/update-primary" {',
          '  capabilities = ["update"]',
          '}',
          '',
        ].join('\n'),
      );
      expect(policyOf(synth, 'dr-operation-test-main')).not.toContain('*');
    });

    it('gives dr-token-generator\'s login token only update on auth/token/create/<role>', () => {
      expect(policyOf(synth, 'dr-token-creator-test-main')).toBe(
        ['path "auth/token/create/dr-batch-test-main" {', '  capabilities = ["update"]', '}', ''].join('\n'),
      );
    });

    it('gives dr-operations\' login token demote, and secondary-token with the sudo Vault requires there', () => {
      expect(policyOf(synth, 'dr-primary-ops-test-main')).toBe(
        [
          'path "sys/replication/dr/primary/demote" {',
          '  capabilities = ["update"]',
          '}',
          '',
          'path "sys/replication/dr/primary/secondary-token" {',
          '  capabilities = ["update", "sudo"]',
          '}',
          '',
        ].join('\n'),
      );
    });

    it('gives dr-operations\' login token, in a policy of its own, enable on a DR primary for bootstrap (no sudo: Vault requires none there)', () => {
      expect(policyOf(synth, 'dr-bootstrap-test-main')).toBe(['path "sys/replication/dr/primary/enable" {', '  capabilities = ["update"]', '}', ''].join('\n'));
    });

    it('creates a batch, orphan, non-renewable token role handing out the DR policy only, without the default policy (no TTL field: Vault ignores it on token roles)', () => {
      expect(vault(synth, 'vault_token_auth_backend_role')).toEqual({
        role_name: 'dr-batch-test-main',
        token_type: 'batch',
        orphan: true,
        renewable: false,
        allowed_policies: [policyRef(synth, 'dr-operation-test-main')],
        token_no_default_policy: true,
      });
    });

    it('mounts the functions\' own AWS auth method', () => {
      expect(vault(synth, 'vault_auth_backend')).toEqual({
        type: 'aws',
        path: 'dr-aws-test-main',
        description: expect.stringContaining('DR functions'),
      });
    });

    it('configures the mount for the functions\' logins: STS endpoint and region, and the server id header', () => {
      expect(vault(synth, 'vault_aws_auth_backend_client')).toEqual({
        backend: mountRef(synth),
        sts_endpoint: 'https://sts.amazonaws.com/',
        sts_region: 'us-east-1',
        iam_server_id_header_value: 'vault-test.example.com',
      });
    });

    it.each([
      ['dr-token-generator', 'dr-token-generator-test-main', ['dr-token-creator-test-main']],
      ['dr-operations', 'dr-operations-test-main', ['dr-primary-ops-test-main', 'dr-bootstrap-test-main']],
    ])('binds %s\'s AWS auth role to its own IAM role only, with a 5 minute token and its own policies', (fn, role, policies) => {
      const client = synth.resource('vault_aws_auth_backend_client').id;
      expect(vault(synth, 'vault_aws_auth_backend_role', (r) => r.role === role)).toEqual({
        backend: mountRef(synth),
        role,
        auth_type: 'iam',
        bound_iam_principal_arns: [roleArnOf(synth, FUNCTION_NAMES[fn as keyof typeof FUNCTION_NAMES])],
        resolve_aws_unique_ids: true,
        token_ttl: 300,
        token_max_ttl: 600,
        token_policies: policies.map((policy) => policyRef(synth, policy)),
        token_no_default_policy: true,
        depends_on: [`vault_aws_auth_backend_client.${client}`],
      });
    });

    it('has no Vault role for dns-switch, which never logs in, and one IAM role per Vault role', () => {
      const roles = Object.values(synth.resources('vault_aws_auth_backend_role'));
      expect(roles.map((r) => r.role).sort()).toEqual(['dr-operations-test-main', 'dr-token-generator-test-main']);
      expect(new Set(roles.map((r) => r.bound_iam_principal_arns[0])).size).toBe(2);
      for (const r of roles) expect(r.bound_iam_principal_arns).toHaveLength(1);
    });

    it('adds the performance operations policy to dr-operations\' login iff performance secondaries are given, by exact path', () => {
      const secondary = { name: 'vault-test-euw1', address: 'https://vault-test-euw1.example.com:8200' };
      const perf = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ performanceSecondaries: [secondary] })));
      expect(policyOf(perf, 'dr-perf-ops-test-main')).toBe(PERFORMANCE_OPERATIONS_POLICY_HCL);
      expect(vault(perf, 'vault_aws_auth_backend_role', (r) => r.role === 'dr-operations-test-main').token_policies).toEqual(
        ['dr-primary-ops-test-main', 'dr-bootstrap-test-main', 'dr-perf-ops-test-main'].map((name) => policyRef(perf, name)),
      );
      // The generator and the batch DR token gain nothing.
      expect(vault(perf, 'vault_aws_auth_backend_role', (r) => r.role === 'dr-token-generator-test-main').token_policies).toEqual([policyRef(perf, 'dr-token-creator-test-main')]);
      expect(vault(perf, 'vault_token_auth_backend_role').allowed_policies).toEqual([policyRef(perf, 'dr-operation-test-main')]);

      const none = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ performanceSecondaries: [] })));
      for (const s of [synth, none]) {
        expect(Object.values(s.resources('vault_policy')).map((p) => p.name)).not.toContain('dr-perf-ops-test-main');
        expect(vault(s, 'vault_aws_auth_backend_role', (r) => r.role === 'dr-operations-test-main').token_policies).toHaveLength(2);
      }
    });

    it('binds the tokens to the functions\' subnets when they run in a VPC, and not otherwise', () => {
      for (const body of [vault(synth, 'vault_token_auth_backend_role'), ...Object.values(synth.resources('vault_aws_auth_backend_role'))]) {
        expect(body).not.toHaveProperty('token_bound_cidrs');
      }
      const cidrs = ['10.0.48.0/24', '10.0.49.0/24'];
      const inVpc = synthesize(
        (scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vpcPlacement: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'], subnetCidrs: cidrs } })),
      );
      expect(vault(inVpc, 'vault_token_auth_backend_role').token_bound_cidrs).toEqual(cidrs);
      for (const body of Object.values(inVpc.resources('vault_aws_auth_backend_role'))) expect(body.token_bound_cidrs).toEqual(cidrs);
    });

    it('uses the given mount path, server id and STS endpoint, and passes the same to the functions', () => {
      const custom = synthesize(
        (scope) =>
          new DrAutomation(
            scope,
            'Dr',
            drAutomationProps({ vaultAwsAuthMountPath: 'aws-dr', vaultIamServerId: 'vault.internal', vaultStsUrl: 'https://sts.us-west-2.amazonaws.com/', vaultStsRegion: 'us-west-2' }),
          ),
      );
      expect(vault(custom, 'vault_auth_backend').path).toBe('aws-dr');
      expect(vault(custom, 'vault_aws_auth_backend_client')).toMatchObject({
        sts_endpoint: 'https://sts.us-west-2.amazonaws.com/',
        sts_region: 'us-west-2',
        iam_server_id_header_value: 'vault.internal',
      });
      for (const name of [FUNCTION_NAMES['dr-token-generator'], FUNCTION_NAMES['dr-operations']]) {
        expect(custom.resource('aws_lambda_function', (f) => f.function_name === name).body.environment.variables).toMatchObject({
          VAULT_AWS_AUTH_PATH: 'aws-dr',
          VAULT_IAM_SERVER_ID: 'vault.internal',
          VAULT_STS_URL: 'https://sts.us-west-2.amazonaws.com/',
          VAULT_STS_REGION: 'us-west-2',
        });
      }
    });

    it('tells each logging-in function its own Vault role', () => {
      for (const [fn, role] of [
        ['dr-token-generator', 'dr-token-generator-test-main'],
        ['dr-operations', 'dr-operations-test-main'],
      ] as const) {
        expect(synth.resource('aws_lambda_function', (f) => f.function_name === FUNCTION_NAMES[fn]).body.environment.variables.VAULT_AWS_AUTH_ROLE).toBe(role);
      }
    });

    it('makes the Vault roles wait for what is passed to vaultAuthRolesDependOn', () => {
      const withDependency = synthesize((scope) => {
        const dr = new DrAutomation(scope, 'Dr', drAutomationProps());
        const marker = new SqsQueue(scope, 'Marker', { name: 'marker' });
        dr.vaultAuthRolesDependOn(marker);
      });
      const marker = withDependency.resource('aws_sqs_queue', (q) => q.name === 'marker').id;
      for (const body of Object.values(withDependency.resources('vault_aws_auth_backend_role'))) {
        expect(body.depends_on).toContain(`aws_sqs_queue.${marker}`);
      }
      expect(withDependency.resource('vault_token_auth_backend_role').body).not.toHaveProperty('depends_on');
    });
  });

  it('keeps its construct ids, which decide every Terraform address', () => {
    const addresses = Object.entries(synth.doc.resource as Record<string, Record<string, Block>>)
      .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id.replace(/_[0-9A-F]{8}$/, '')}`))
      .sort();
    const perFunction = (fn: string) => [
      `aws_cloudwatch_log_group.Dr_${fn}_LogGroup`,
      `aws_iam_role.Dr_${fn}_Role`,
      `aws_iam_role_policy.Dr_${fn}_RolePolicy`,
      `aws_lambda_function.Dr_${fn}_Function`,
      `aws_lambda_function_event_invoke_config.Dr_${fn}_AsyncInvokeConfig`,
    ];
    expect(addresses).toEqual(
      [
        ...['DrTokenGenerator', 'DrOperations', 'DnsSwitch', 'DrWatchdog'].flatMap(perFunction),
        'aws_cloudwatch_dashboard.Dr_Dashboard',
        'aws_cloudwatch_metric_alarm.Dr_Alarms_DrTokenExpiring',
        'aws_cloudwatch_metric_alarm.Dr_Alarms_DrTokenNotRefreshed',
        'aws_cloudwatch_metric_alarm.Dr_Alarms_FunctionsErroring',
        'aws_cloudwatch_metric_alarm.Dr_Alarms_GeneratorFailing',
        'aws_cloudwatch_metric_alarm.Dr_PairAlarms_NoActivePrimary',
        'aws_cloudwatch_metric_alarm.Dr_PairAlarms_ReplicationLag',
        'aws_cloudwatch_metric_alarm.Dr_PairAlarms_SecondaryNotStreaming',
        'aws_cloudwatch_metric_alarm.Dr_PairAlarms_WatchdogFailover',
        'aws_cloudwatch_metric_alarm.Dr_PairAlarms_WatchdogNotReporting',
        'aws_dynamodb_table.Dr_LeaseTable',
        'aws_iam_role.Dr_RefreshSchedule_Role',
        'aws_iam_role.Dr_WatchdogSchedule_Role',
        'aws_iam_role_policy.Dr_RefreshSchedule_RolePolicy',
        'aws_iam_role_policy.Dr_WatchdogSchedule_RolePolicy',
        'aws_kms_alias.Dr_DrTokenKey_Alias',
        'aws_kms_alias.Dr_EncryptionKey_Alias',
        'aws_kms_key.Dr_DrTokenKey',
        'aws_kms_key.Dr_EncryptionKey',
        'aws_scheduler_schedule.Dr_RefreshSchedule',
        'aws_scheduler_schedule.Dr_WatchdogSchedule',
        'aws_secretsmanager_secret.Dr_DrTokenSecret',
        'aws_secretsmanager_secret_policy.Dr_DrTokenSecretPolicy',
        'aws_sqs_queue.Dr_FailureQueue',
        'vault_auth_backend.Dr_VaultAccess_AwsAuthMount',
        'vault_aws_auth_backend_client.Dr_VaultAccess_AwsAuthClient',
        'vault_aws_auth_backend_role.Dr_VaultAccess_OperationsLoginRole',
        'vault_aws_auth_backend_role.Dr_VaultAccess_TokenGeneratorLoginRole',
        'vault_policy.Dr_VaultAccess_BootstrapPolicy',
        'vault_policy.Dr_VaultAccess_DrOperationPolicy',
        'vault_policy.Dr_VaultAccess_PrimaryOperationsPolicy',
        'vault_policy.Dr_VaultAccess_TokenCreatorPolicy',
        'vault_token_auth_backend_role.Dr_VaultAccess_BatchTokenRole',
      ].sort(),
    );
  });

  it('tags every taggable AWS resource with the given tags', () => {
    const tags = { Team: 'platform', CostCenter: '42' };
    const tagged = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ tags })));
    const taggable = [
      'aws_kms_key',
      'aws_secretsmanager_secret',
      'aws_dynamodb_table',
      'aws_sqs_queue',
      'aws_lambda_function',
      'aws_iam_role',
      'aws_cloudwatch_log_group',
      'aws_cloudwatch_metric_alarm',
    ];
    for (const type of taggable) {
      const bodies = Object.values(tagged.resources(type));
      expect(bodies.length).toBeGreaterThan(0);
      for (const body of bodies) expect(body.tags).toEqual(tags);
    }
  });

  it('uses the given providers', () => {
    const custom = synthesize((scope) => {
      const aws = new AwsProvider(scope, 'aws-dr', { region: 'us-west-2', alias: 'dr' });
      const vault = new VaultProvider(scope, 'vault-dr', { address: 'https://vault-test.example.com:8200', alias: 'dr' });
      const archive = new ArchiveProvider(scope, 'archive-dr', { alias: 'dr' });
      new DrAutomation(scope, 'Dr', drAutomationProps({ awsProvider: aws, vaultProvider: vault, archiveProvider: archive }));
    });
    for (const [type, resources] of Object.entries(custom.doc.resource as Record<string, Record<string, Block>>)) {
      for (const body of Object.values(resources)) expect(body.provider).toBe(type.startsWith('vault_') ? 'vault.dr' : 'aws.dr');
    }
    for (const [type, sources] of Object.entries(custom.doc.data as Record<string, Record<string, Block>>)) {
      for (const body of Object.values(sources)) expect(body.provider).toBe(type === 'archive_file' ? 'archive.dr' : 'aws.dr');
    }
  });
});

import { DrAutomation } from '../../../modules';
import { ArchiveProvider } from '../../../modules/internal/archive';
import { AwsProvider } from '../../../modules/internal/aws';
import { VaultProvider } from '../../../modules/internal/vault';
import { drAutomationProps, FUNCTION_NAMES } from '../support/dr-automation-fixtures';
import { type Block, ref, synthesize, type Synthesized } from '../support/synthesized';

describe('DrAutomation resources', () => {
  let synth: Synthesized;
  let keyArn: string;
  let queueArn: string;
  const functionRef = (name: string, attribute: string) =>
    ref('aws_lambda_function', synth.resource('aws_lambda_function', (f) => f.function_name === name).id, attribute);

  beforeAll(() => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps()));
    keyArn = ref('aws_kms_key', synth.resource('aws_kms_key').id, 'arn');
    queueArn = ref('aws_sqs_queue', synth.resource('aws_sqs_queue').id, 'arn');
  });

  it('creates a rotating customer-managed key with an alias', () => {
    const key = synth.resource('aws_kms_key');
    expect(key.body).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(synth.resource('aws_kms_alias').body).toEqual({
      name: 'alias/vault-dr-test-main',
      target_key_id: ref('aws_kms_key', key.id, 'key_id'),
    });
  });

  it('keeps the DR token in a secret encrypted with the key', () => {
    expect(synth.resource('aws_secretsmanager_secret').body).toMatchObject({
      name: 'dr-token-test-main',
      kms_key_id: keyArn,
      recovery_window_in_days: 7,
    });
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
      expect(synth.resource('aws_scheduler_schedule').body).toEqual({
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
      const schedule = custom.resource('aws_scheduler_schedule').body;
      expect(schedule.schedule_expression).toBe(expression);
      expect(schedule.target.retry_policy.maximum_event_age_in_seconds).toBe(maxEventAge);
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
      expect(alarms).toHaveLength(3);
      for (const body of alarms) {
        expect(body.alarm_actions).toEqual([topic]);
        expect(body.ok_actions).toEqual([topic]);
      }
    });
  });

  describe('Vault objects', () => {
    it('gives the batch DR token a policy on sys/replication/dr/* only (and Raft autopilot state)', () => {
      expect(synth.resource('vault_policy', (p) => p.name === 'dr-operation-test-main').body.policy).toBe(
        [
          'path "sys/replication/dr/*" {',
          '  capabilities = ["create", "read", "update", "sudo"]',
          '}',
          '',
          'path "sys/storage/raft/autopilot/state" {',
          '  capabilities = ["read", "update"]',
          '}',
          '',
        ].join('\n'),
      );
    });

    it('gives the login token only update on auth/token/create/<role>', () => {
      expect(synth.resource('vault_policy', (p) => p.name === 'dr-token-creator-test-main').body.policy).toBe(
        ['path "auth/token/create/dr-batch-test-main" {', '  capabilities = ["update"]', '}', ''].join('\n'),
      );
    });

    it('creates a batch, orphan, non-renewable token role that may only hand out the DR policy', () => {
      const policy = synth.resource('vault_policy', (p) => p.name === 'dr-operation-test-main');
      expect(synth.resource('vault_token_auth_backend_role').body).toEqual({
        role_name: 'dr-batch-test-main',
        token_type: 'batch',
        orphan: true,
        renewable: false,
        allowed_policies: [ref('vault_policy', policy.id, 'name')],
        token_max_ttl: 28_800,
      });
    });

    it('creates an IAM AWS auth role bound to the login function\'s role, with a 5 minute token', () => {
      const loginRole = synth.resource('aws_iam_role', (r) => r.name === FUNCTION_NAMES['dr-token-generator']);
      const policy = synth.resource('vault_policy', (p) => p.name === 'dr-token-creator-test-main');
      expect(synth.resource('vault_aws_auth_backend_role').body).toEqual({
        backend: 'aws',
        role: 'dr-login-test-main',
        auth_type: 'iam',
        bound_iam_principal_arns: [ref('aws_iam_role', loginRole.id, 'arn')],
        resolve_aws_unique_ids: true,
        token_ttl: 300,
        token_max_ttl: 600,
        token_policies: [ref('vault_policy', policy.id, 'name')],
      });
    });

    it('uses the given AWS auth mount', () => {
      const custom = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vaultAwsAuthMountPath: 'aws-dr' })));
      expect(custom.resource('vault_aws_auth_backend_role').body.backend).toBe('aws-dr');
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
        ...['DrTokenGenerator', 'DrOperations', 'DnsSwitch'].flatMap(perFunction),
        'aws_cloudwatch_metric_alarm.Dr_Alarms_DrTokenNotRefreshed',
        'aws_cloudwatch_metric_alarm.Dr_Alarms_FunctionsErroring',
        'aws_cloudwatch_metric_alarm.Dr_Alarms_GeneratorFailing',
        'aws_iam_role.Dr_RefreshSchedule_Role',
        'aws_iam_role_policy.Dr_RefreshSchedule_RolePolicy',
        'aws_kms_alias.Dr_EncryptionKey_Alias',
        'aws_kms_key.Dr_EncryptionKey',
        'aws_scheduler_schedule.Dr_RefreshSchedule',
        'aws_secretsmanager_secret.Dr_DrTokenSecret',
        'aws_sqs_queue.Dr_FailureQueue',
        'vault_aws_auth_backend_role.Dr_VaultAccess_LoginRole',
        'vault_policy.Dr_VaultAccess_DrOperationPolicy',
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

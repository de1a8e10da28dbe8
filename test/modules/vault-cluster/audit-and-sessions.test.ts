import { VaultProvider } from '../../../modules/internal/vault';
import { PropsValidationError } from '../../../modules';
import { VaultAuditLog, VaultCluster } from '../../../modules/vault-cluster';
import { renderCloudWatchAgentConfig } from '../../../modules/vault-cluster/cloudwatch-agent';
import type { VaultClusterProps } from '../../../modules/vault-cluster/types';
import { evaluate } from '../support/policy-evaluator';
import { clusterProps } from './fixtures';
import { byId, policy, ref, resources, statement, synth } from './synth';

function synthCluster(overrides: Partial<VaultClusterProps> = {}) {
  return synth((scope) => new VaultCluster(scope, 'Primary', clusterProps(overrides))).doc;
}

describe('VaultCluster audit log and Session Manager', () => {
  const doc = synthCluster({ sessionManagerRoleNames: ['vault-operators', 'vault-oncall'], alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] });
  const logsKey = byId(doc, 'aws_kms_key', 'Logs_Key');
  const keyArn = ref('aws_kms_key', logsKey.id, 'arn');
  const partition = ref('data.aws_partition', Object.keys(doc.data?.aws_partition ?? {})[0]!, 'partition');
  const region = ref('data.aws_region', Object.keys(doc.data?.aws_region ?? {})[0]!, 'region');
  const account = ref('data.aws_caller_identity', Object.keys(doc.data?.aws_caller_identity ?? {}).find((id) => id.startsWith('Primary_Aws'))!, 'account_id');
  const root = `arn:${partition}:iam::${account}:root`;
  const logGroupArn = (name: string) => `arn:${partition}:logs:${region}:${account}:log-group:${name}`;

  describe('log groups', () => {
    it.each([
      ['AuditLog', '/vault/vault-dev-primary/audit'],
      ['SessionLog', '/vault/vault-dev-primary/session-manager'],
    ])('%s: %s, kept 365 days, encrypted with the cluster\'s logs key', (fragment, name) => {
      expect(byId(doc, 'aws_cloudwatch_log_group', fragment).body).toEqual({
        name,
        retention_in_days: 365,
        kms_key_id: keyArn,
        tags: { VaultCluster: 'vault-dev-primary' },
      });
    });

    it('keeps them as long as asked, and refuses a retention CloudWatch does not offer', () => {
      for (const [, group] of resources(synthCluster({ logRetentionDays: 731 }), 'aws_cloudwatch_log_group')) expect(group.retention_in_days).toBe(731);
      expect(() => synthCluster({ logRetentionDays: 100 })).toThrow('VaultCluster prop "logRetentionDays": must be one of');
    });

    it('are the groups the CloudWatch agent ships the audit file to', () => {
      const agent = JSON.parse(renderCloudWatchAgentConfig('vault-dev-primary'));
      expect(agent.logs.logs_collected.files.collect_list[0].log_group_name).toBe(byId(doc, 'aws_cloudwatch_log_group', 'AuditLog').body.name);
    });
  });

  describe('logs key', () => {
    const keyPolicy = JSON.stringify(policy(logsKey.body));

    it('rotates, with an alias', () => {
      expect(logsKey.body).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
      expect(byId(doc, 'aws_kms_alias', 'Logs_Alias').body.name).toBe('alias/vault-dev-primary-logs');
    });

    it('lets CloudWatch Logs use it for the cluster\'s two log groups only', () => {
      const logs = { service: `logs.${region}.amazonaws.com`, action: 'kms:GenerateDataKey' };
      for (const name of ['/vault/vault-dev-primary/audit', '/vault/vault-dev-primary/session-manager']) {
        expect(evaluate(keyPolicy, { ...logs, context: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(name) } })).toBe('allow');
      }
      expect(evaluate(keyPolicy, { ...logs, context: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn('/other') } })).toBe('implicit-deny');
    });

    it('serves session encryption (IAM decides who), and no account principal decrypts anything else', () => {
      const anyone = 'arn:aws:iam::111122223333:role/admin';
      expect(evaluate(keyPolicy, { principalArn: anyone, action: 'kms:Decrypt', context: { 'kms:EncryptionContext:aws:ssm:SessionId': 'alice-0123' } }, root)).toBe('allow');
      expect(evaluate(keyPolicy, { principalArn: anyone, action: 'kms:Decrypt' }, root)).toBe('implicit-deny');
      expect(evaluate(keyPolicy, { principalArn: anyone, action: 'kms:CreateGrant' }, root)).toBe('implicit-deny');
    });
  });

  describe('audit failure alarm', () => {
    const alarm = byId(doc, 'aws_cloudwatch_metric_alarm', 'AuditFailureAlarm').body;

    it('sums Vault\'s two audit failure counters, published by the nodes to the cluster\'s namespace', () => {
      expect(alarm.metric_query).toEqual([
        { id: 'requests', return_data: false, metric: { namespace: 'Vault/vault-dev-primary', metric_name: 'vault.audit.log_request_failure', stat: 'Sum', period: 60 } },
        { id: 'responses', return_data: false, metric: { namespace: 'Vault/vault-dev-primary', metric_name: 'vault.audit.log_response_failure', stat: 'Sum', period: 60 } },
        { id: 'failures', label: 'Audit failures', expression: 'FILL(requests, 0) + FILL(responses, 0)', return_data: true },
      ]);
      expect(JSON.parse(renderCloudWatchAgentConfig('vault-dev-primary')).metrics.namespace).toBe('Vault/vault-dev-primary');
    });

    it('fires on the first failure, treats silence as no failure, and notifies the cluster\'s alarm actions', () => {
      expect(alarm).toMatchObject({
        alarm_name: 'vault-dev-primary-audit-failures',
        evaluation_periods: 1,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        treat_missing_data: 'notBreaching',
        alarm_actions: ['arn:aws:sns:us-east-1:111122223333:alerts'],
        ok_actions: ['arn:aws:sns:us-east-1:111122223333:alerts'],
      });
    });
  });

  describe('Session Manager', () => {
    const documentResource = byId(doc, 'aws_ssm_document', 'SessionManager');
    const sessionPolicy = byId(doc, 'aws_iam_policy', 'SessionManager');
    const statements = policy(sessionPolicy.body);

    it('logs every session to the encrypted session log group and encrypts sessions with the logs key', () => {
      expect(documentResource.body).toMatchObject({ name: 'vault-dev-primary-sessions', document_type: 'Session', document_format: 'JSON' });
      const content = JSON.parse(documentResource.body.content);
      expect(content.sessionType).toBe('Standard_Stream');
      expect(content.inputs).toMatchObject({
        cloudWatchLogGroupName: ref('aws_cloudwatch_log_group', byId(doc, 'aws_cloudwatch_log_group', 'SessionLog').id, 'name'),
        cloudWatchEncryptionEnabled: true,
        cloudWatchStreamingEnabled: true,
        kmsKeyId: keyArn,
        runAsEnabled: false,
      });
    });

    it('allows sessions only on instances carrying this cluster\'s tag, only with the logged document', () => {
      expect(statement(statements, 'StartSessionOnClusterNodes')).toEqual({
        Sid: 'StartSessionOnClusterNodes',
        Effect: 'Allow',
        Action: 'ssm:StartSession',
        Resource: `arn:${partition}:ec2:${region}:${account}:instance/*`,
        Condition: {
          StringEquals: { 'ssm:resourceTag/VaultCluster': 'vault-dev-primary' },
          BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
        },
      });
      expect(statement(statements, 'StartSessionWithLoggedDocument').Resource).toBe(
        `arn:${partition}:ssm:${region}:${account}:document/${ref('aws_ssm_document', documentResource.id, 'name')}`,
      );
      // The account's default document (unlogged) is not among the documents allowed.
      expect(JSON.stringify(statements)).not.toContain('SSM-SessionManagerRunShell');
      const instance = (tag: string) => ({
        principalArn: 'arn:aws:iam::111122223333:role/vault-operators',
        action: 'ssm:StartSession',
        resource: `arn:${partition}:ec2:${region}:${account}:instance/i-0123`,
        context: { 'ssm:resourceTag/VaultCluster': tag, 'ssm:SessionDocumentAccessCheck': 'true' },
      });
      expect(evaluate(statements as never, instance('vault-dev-primary'))).toBe('allow');
      expect(evaluate(statements as never, instance('vault-dev-other'))).toBe('implicit-deny');
    });

    it('lets operators end only their own sessions (the IAM variable kept from Terraform with "$$")', () => {
      expect(statement(statements, 'EndOwnSessions').Resource).toBe(`arn:${partition}:ssm:${region}:${account}:session/$\${aws:userid}-*`);
    });

    it('is attached to the named operator roles, and to nobody by default', () => {
      const attachments = resources(doc, 'aws_iam_role_policy_attachment').map(([, a]) => a).filter((a) => a.policy_arn === ref('aws_iam_policy', sessionPolicy.id, 'arn'));
      expect(attachments.map((a) => a.role).sort()).toEqual(['vault-oncall', 'vault-operators']);
      const none = synthCluster();
      expect(resources(none, 'aws_iam_role_policy_attachment').filter(([, a]) => !String(a.policy_arn).includes('AmazonSSMManagedInstanceCore'))).toEqual([]);
    });
  });
});

describe('VaultAuditLog', () => {
  const { doc } = synth((scope) => {
    new VaultProvider(scope, 'vault', { address: 'https://vault-dev.example.com:8200' });
    new VaultAuditLog(scope, 'Audit');
  });

  it('enables a replicated file audit device writing where the nodes ship from, readable by Vault only', () => {
    const [[, device]] = resources(doc, 'vault_audit');
    expect(device).toEqual({
      type: 'file',
      path: 'file',
      local: false,
      description: expect.stringContaining('CloudWatch'),
      options: { file_path: '/var/log/vault/audit.log', mode: '0600', format: 'json' },
    });
    expect(device.options.file_path).toBe(JSON.parse(renderCloudWatchAgentConfig('x')).logs.logs_collected.files.collect_list[0].file_path);
  });

  it('takes another path, and refuses one Vault could not mount', () => {
    const custom = synth((scope) => new VaultAuditLog(scope, 'Audit', { path: 'file-dr' })).doc;
    expect(resources(custom, 'vault_audit')[0]![1].path).toBe('file-dr');
    expect(() => synth((scope) => new VaultAuditLog(scope, 'Audit', { path: 'a/b' }))).toThrow(PropsValidationError);
  });
});

import { AwsProvider } from '../../../modules/internal/aws';
import { VaultSnapshotBucket } from '../../../modules/vault-snapshots';
import type { VaultSnapshotBucketProps } from '../../../modules/vault-snapshots/types';
import { evaluate } from '../support/policy-evaluator';
import { byId, policy, ref, resources, statement, synth } from '../vault-cluster/synth';

function synthBucket(overrides: Partial<VaultSnapshotBucketProps> = {}) {
  let bucket: VaultSnapshotBucket | undefined;
  const result = synth((scope) => {
    bucket = new VaultSnapshotBucket(scope, 'Snapshots', { environment: 'dev', name: 'use1', ...overrides });
  });
  return { ...result, bucket: bucket as VaultSnapshotBucket };
}

describe('VaultSnapshotBucket', () => {
  const { doc, bucket } = synthBucket();
  const caller = Object.keys(doc.data?.aws_caller_identity ?? {})[0];
  const partition = Object.keys(doc.data?.aws_partition ?? {})[0];
  const region = Object.keys(doc.data?.aws_region ?? {})[0];
  const account = ref('data.aws_caller_identity', caller, 'account_id');
  const snapshots = byId(doc, 'aws_s3_bucket', 'SnapshotBucket');
  const logs = byId(doc, 'aws_s3_bucket', 'AccessLogBucket');
  const key = byId(doc, 'aws_kms_key', 'Key');
  const forBucket = (type: string, target: { id: string }) =>
    resources(doc, type).find(([, body]) => body.bucket === ref('aws_s3_bucket', target.id, 'id'))?.[1];

  it('names the buckets after the environment, destination and account', () => {
    expect(snapshots.body.bucket).toBe(`vault-dev-use1-snapshots-${account}`);
    expect(logs.body.bucket).toBe(`vault-dev-use1-s3-logs-${account}`);
    expect(snapshots.body.force_destroy).toBe(false);
  });

  it.each(['SnapshotBucket', 'AccessLogBucket'])('%s: versioning on', (fragment) => {
    expect(forBucket('aws_s3_bucket_versioning', byId(doc, 'aws_s3_bucket', fragment))?.versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it.each(['SnapshotBucket', 'AccessLogBucket'])('%s: every public access blocked, ACLs disabled', (fragment) => {
    const target = byId(doc, 'aws_s3_bucket', fragment);
    expect(forBucket('aws_s3_bucket_public_access_block', target)).toEqual(
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
    expect(forBucket('aws_s3_bucket_ownership_controls', target)?.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('encrypts snapshots with SSE-KMS under its own key, with a bucket key', () => {
    expect(forBucket('aws_s3_bucket_server_side_encryption_configuration', snapshots)?.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key', key.id, 'arn') }, bucket_key_enabled: true },
    ]);
  });

  it('encrypts the access logs with SSE-S3 (the only encryption S3 log delivery accepts)', () => {
    expect(forBucket('aws_s3_bucket_server_side_encryption_configuration', logs)?.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
  });

  it.each(['SnapshotBucket', 'AccessLogBucket'])('%s: refuses plain HTTP and TLS below 1.2', (fragment) => {
    const target = byId(doc, 'aws_s3_bucket', fragment);
    const bucketPolicy = policy(forBucket('aws_s3_bucket_policy', target) ?? {});
    const arn = ref('aws_s3_bucket', target.id, 'arn');
    expect(statement(bucketPolicy, 'DenyInsecureTransport')).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statement(bucketPolicy, 'DenyOutdatedTls').Condition).toEqual({ NumericLessThan: { 's3:TlsVersion': '1.2' } });
  });

  it('lets only S3 log delivery, for the snapshot bucket of this account, write to the log bucket', () => {
    const logPolicy = policy(forBucket('aws_s3_bucket_policy', logs) ?? {});
    expect(statement(logPolicy, 'S3ServerAccessLogs')).toEqual({
      Sid: 'S3ServerAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${ref('aws_s3_bucket', logs.id, 'arn')}/*`,
      Condition: {
        ArnLike: { 'aws:SourceArn': `arn:${ref('data.aws_partition', partition, 'partition')}:s3:::vault-dev-use1-snapshots-${account}` },
        StringEquals: { 'aws:SourceAccount': account },
      },
    });
    expect(policy(forBucket('aws_s3_bucket_policy', snapshots) ?? {}).Statement.map((s) => s.Sid)).toEqual([
      'DenyInsecureTransport',
      'DenyOutdatedTls',
      'DenyDeletingVersions',
      'DenyChangingVersioningAndLock',
      'DenyChangingThisPolicy',
    ]);
    expect(policy(forBucket('aws_s3_bucket_policy', logs) ?? {}).Statement.map((s) => s.Sid)).not.toContain('DenyDeletingVersions');
  });

  it('logs snapshot bucket access to the log bucket it references (a first apply waits for it), which logs nowhere', () => {
    expect(forBucket('aws_s3_bucket_logging', snapshots)).toEqual(
      expect.objectContaining({ target_bucket: ref('aws_s3_bucket', logs.id, 'bucket'), target_prefix: `s3-access/vault-dev-use1-snapshots-${account}/` }),
    );
    expect(logs.body.bucket).toBe(`vault-dev-use1-s3-logs-${account}`);
    expect(forBucket('aws_s3_bucket_logging', logs)).toBeUndefined();
  });

  describe('Object Lock', () => {
    const lock = forBucket('aws_s3_bucket_object_lock_configuration', snapshots)!;
    const bucketPolicy = forBucket('aws_s3_bucket_policy', snapshots)!;
    const arn = ref('aws_s3_bucket', snapshots.id, 'arn');
    const admin = 'arn:aws:iam::111122223333:role/Administrator';
    const nodeRole = 'arn:aws:iam::111122223333:role/vault-dev-use1-node';

    it('keeps every snapshot version for the snapshot retention (the noncurrent expiry), in governance mode', () => {
      expect(lock).toEqual({
        bucket: ref('aws_s3_bucket', snapshots.id, 'id'),
        object_lock_enabled: 'Enabled',
        rule: { default_retention: { mode: 'GOVERNANCE', days: 365 } },
        depends_on: [`aws_s3_bucket_versioning.${byId(doc, 'aws_s3_bucket_versioning', 'SnapshotBucket').id}`],
      });
      const rules = forBucket('aws_s3_bucket_lifecycle_configuration', snapshots)?.rule;
      expect(rules[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: lock.rule.default_retention.days }]);
      const custom = synthBucket({ lifecycle: { noncurrentExpirationDays: 90 } });
      expect(resources(custom.doc, 'aws_s3_bucket_object_lock_configuration')[0]![1].rule.default_retention.days).toBe(90);
    });

    it('is set before the policy that forbids changing it', () => {
      expect(bucketPolicy.depends_on).toEqual([
        `aws_s3_bucket_versioning.${byId(doc, 'aws_s3_bucket_versioning', 'SnapshotBucket').id}`,
        `aws_s3_bucket_object_lock_configuration.${byId(doc, 'aws_s3_bucket_object_lock_configuration', 'SnapshotBucket').id}`,
      ]);
    });

    it.each([
      ['the node role deleting a snapshot version', nodeRole, 's3:DeleteObjectVersion', `${arn}/raft-snapshots/vault-dev-1.snap`],
      ['an administrator deleting a snapshot version', admin, 's3:DeleteObjectVersion', `${arn}/raft-snapshots/vault-dev-1.snap`],
      ['an administrator bypassing the governance retention', admin, 's3:BypassGovernanceRetention', `${arn}/raft-snapshots/vault-dev-1.snap`],
      ['an administrator shortening a retention', admin, 's3:PutObjectRetention', `${arn}/raft-snapshots/vault-dev-1.snap`],
      ['an administrator suspending versioning', admin, 's3:PutBucketVersioning', arn],
      ['an administrator changing the lock', admin, 's3:PutBucketObjectLockConfiguration', arn],
      ['an administrator removing the bucket policy', admin, 's3:DeleteBucketPolicy', arn],
    ])('denies %s (no break-glass role given)', (_case, principalArn, action, resource) => {
      expect(evaluate(bucketPolicy.policy, { principalArn, action, resource, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' } })).toBe('deny');
    });

    it('still lets the node role write snapshots and put a delete marker (Vault\'s retain)', () => {
      for (const action of ['s3:PutObject', 's3:DeleteObject']) {
        expect(evaluate(bucketPolicy.policy, { principalArn: nodeRole, action, resource: `${arn}/raft-snapshots/x.snap`, context: { 'aws:SecureTransport': 'true' } })).toBe('implicit-deny');
      }
    });

    it('lets the break-glass role, and only it, delete versions and change versioning or the lock', () => {
      const breakGlass = 'arn:aws:iam::111122223333:role/vault-dr-break-glass';
      const custom = synthBucket({ breakGlassRoleArn: breakGlass, keyAdministratorArns: ['arn:aws:iam::111122223333:role/deploy'] });
      const target = byId(custom.doc, 'aws_s3_bucket', 'SnapshotBucket');
      const text = resources(custom.doc, 'aws_s3_bucket_policy').find(([, b]) => b.bucket === ref('aws_s3_bucket', target.id, 'id'))![1].policy;
      const bucketArn = ref('aws_s3_bucket', target.id, 'arn');
      const request = (principalArn: string, action: string, resource: string) => evaluate(text, { principalArn, action, resource, context: { 'aws:SecureTransport': 'true' } });
      for (const [action, resource] of [['s3:DeleteObjectVersion', `${bucketArn}/raft-snapshots/x`], ['s3:PutBucketVersioning', bucketArn], ['s3:BypassGovernanceRetention', `${bucketArn}/raft-snapshots/x`]] as const) {
        expect(request(breakGlass, action, resource)).toBe('implicit-deny');
        expect(request('arn:aws:iam::111122223333:role/deploy', action, resource)).toBe('deny');
      }
      // The identity that applies the stack writes the bucket policy; others may not.
      expect(request('arn:aws:iam::111122223333:role/deploy', 's3:PutBucketPolicy', bucketArn)).toBe('implicit-deny');
      expect(request(admin, 's3:PutBucketPolicy', bucketArn)).toBe('deny');
    });

    it('refuses a break-glass role that is no role ARN', () => {
      expect(() => synthBucket({ breakGlassRoleArn: 'break-glass' })).toThrow('VaultSnapshotBucket prop "breakGlassRoleArn": must be an IAM role ARN');
    });
  });

  it('moves snapshots to Glacier, expires deleted versions, never expires current snapshots by default', () => {
    const rules = forBucket('aws_s3_bucket_lifecycle_configuration', snapshots)?.rule;
    expect(rules[0]).toEqual({
      id: 'snapshots',
      status: 'Enabled',
      filter: [{ prefix: 'raft-snapshots/' }],
      transition: [{ days: 30, storage_class: 'GLACIER' }],
      noncurrent_version_transition: [{ noncurrent_days: 7, storage_class: 'GLACIER' }],
      noncurrent_version_expiration: [{ noncurrent_days: 365 }],
    });
    expect(rules[1]).toEqual({
      id: 'housekeeping',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      expiration: [{ expired_object_delete_marker: true }],
    });
  });

  it('takes lifecycle settings from props, including an opt-in expiry of current snapshots', () => {
    const custom = synthBucket({ lifecycle: { transitionToGlacierDays: 60, noncurrentTransitionToGlacierDays: 1, noncurrentExpirationDays: 90, currentExpirationDays: 730 } });
    const rule = resources(custom.doc, 'aws_s3_bucket_lifecycle_configuration')
      .map(([, b]) => b.rule[0])
      .find((r) => r.id === 'snapshots');
    expect(rule).toEqual(
      expect.objectContaining({
        transition: [{ days: 60, storage_class: 'GLACIER' }],
        noncurrent_version_transition: [{ noncurrent_days: 1, storage_class: 'GLACIER' }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        expiration: [{ days: 730 }],
      }),
    );
  });

  it('expires access logs after a year by default', () => {
    expect(forBucket('aws_s3_bucket_lifecycle_configuration', logs)?.rule[0]).toEqual(
      expect.objectContaining({ id: 'expire-logs', expiration: [{ days: 365 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
    );
  });

  it.each(['SnapshotBucket', 'AccessLogBucket'])('%s: sends its events to EventBridge', (fragment) => {
    expect(forBucket('aws_s3_bucket_notification', byId(doc, 'aws_s3_bucket', fragment))?.eventbridge).toBe(true);
  });

  describe('key', () => {
    const keyPolicy = policy(key.body);
    const root = `arn:${ref('data.aws_partition', partition, 'partition')}:iam::${account}:root`;

    it('rotates', () => {
      expect(key.body).toEqual(expect.objectContaining({ enable_key_rotation: true, deletion_window_in_days: 30 }));
    });

    it('lets only the key administrators (the identity running Terraform by default) rewrite its policy', () => {
      const context = Object.keys(doc.data?.aws_iam_session_context ?? {})[0];
      expect(statement(keyPolicy, 'KeyPolicyAdministration').Principal).toEqual({ AWS: [ref('data.aws_iam_session_context', context, 'issuer_arn')] });
    });

    it('lets account principals use it only through S3 in its region (IAM decides who)', () => {
      expect(statement(keyPolicy, 'UseThroughS3')).toEqual({
        Sid: 'UseThroughS3',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `s3.${ref('data.aws_region', region, 'region')}.amazonaws.com`, 'kms:CallerAccount': account } },
      });
      expect(statement(keyPolicy, 'KeyAdministration').Action.some((a: string) => /crypt|GenerateDataKey/.test(a))).toBe(false);
    });
  });

  it('exposes the destination VaultCluster and VaultSnapshotSchedule take', () => {
    expect(bucket.destination).toEqual({
      name: 'use1',
      bucketName: expect.stringMatching(/^\$\{TfToken\[/),
      bucketArn: expect.stringMatching(/^\$\{TfToken\[/),
      region: expect.stringMatching(/^\$\{TfToken\[/),
      kmsKeyArn: expect.stringMatching(/^\$\{TfToken\[/),
      pathPrefix: 'raft-snapshots/',
    });
  });

  it('logs to an existing bucket instead of creating one', () => {
    const existing = synthBucket({ accessLogBucketName: 'central-s3-logs' });
    expect(resources(existing.doc, 'aws_s3_bucket')).toHaveLength(1);
    expect(resources(existing.doc, 'aws_s3_bucket_logging')[0][1].target_bucket).toBe('central-s3-logs');
  });

  it('takes the bucket name, path prefix and force-destroy from props', () => {
    const custom = synthBucket({ bucketName: 'acme-vault-snapshots', pathPrefix: 'dev/', forceDestroy: true });
    expect(byId(custom.doc, 'aws_s3_bucket', 'SnapshotBucket').body).toEqual(expect.objectContaining({ bucket: 'acme-vault-snapshots', force_destroy: true }));
    expect(custom.bucket.destination.pathPrefix).toBe('dev/');
  });

  it('creates everything with the given provider', () => {
    const { doc: dr } = synth((scope) => {
      const provider = new AwsProvider(scope, 'dr', { region: 'us-west-2', alias: 'dr' });
      new VaultSnapshotBucket(scope, 'Snapshots', { environment: 'dev', name: 'usw2', provider });
    });
    const blocks = [...Object.values(dr.resource ?? {}), ...Object.values(dr.data ?? {})].flatMap((byType) => Object.values(byType));
    for (const block of blocks) expect(block.provider).toBe('aws.dr');
  });
});

describe('VaultSnapshotBucket "no snapshot" alarm', () => {
  it('counts the PUTs under the snapshot prefix (S3 request metrics) and fires after twice the interval without one', () => {
    const { doc } = synthBucket({ alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] });
    const snapshots = byId(doc, 'aws_s3_bucket', 'SnapshotBucket');
    const bucketName = ref('aws_s3_bucket', snapshots.id, 'bucket');
    expect(byId(doc, 'aws_s3_bucket_metric', 'SnapshotRequestMetrics').body).toEqual({ bucket: bucketName, name: 'raft-snapshots', filter: { prefix: 'raft-snapshots/' } });
    expect(byId(doc, 'aws_cloudwatch_metric_alarm', 'NoSnapshotAlarm').body).toEqual({
      alarm_name: 'vault-dev-use1-no-snapshot',
      alarm_description: expect.stringContaining('Runbook: "No recent snapshot"'),
      namespace: 'AWS/S3',
      metric_name: 'PutRequests',
      dimensions: { BucketName: bucketName, FilterId: 'raft-snapshots' },
      statistic: 'Sum',
      period: 3600,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      alarm_actions: ['arn:aws:sns:us-east-1:111122223333:alerts'],
      ok_actions: ['arn:aws:sns:us-east-1:111122223333:alerts'],
      tags: { VaultSnapshots: 'vault-dev-use1' },
    });
  });

  it.each([
    [60, 60, 2],
    [3600, 3600, 2],
    [43_200, 21_600, 4],
    // Twice a day does not fit CloudWatch's day of look-back: a day it is.
    [86_400, 21_600, 4],
  ])('with an interval of %d s looks back %d s x %d', (interval, period, periods) => {
    const { doc } = synthBucket({ snapshotIntervalSeconds: interval });
    expect(byId(doc, 'aws_cloudwatch_metric_alarm', 'NoSnapshotAlarm').body).toMatchObject({ period, evaluation_periods: periods, datapoints_to_alarm: periods });
  });

  it('refuses an interval that is no whole number of minutes, and alarm actions of another region', () => {
    expect(() => synthBucket({ snapshotIntervalSeconds: 90 })).toThrow('VaultSnapshotBucket prop "snapshotIntervalSeconds": must be a whole number of minutes');
    expect(() =>
      synth((scope) => {
        new AwsProvider(scope, 'aws', { region: 'us-east-1' });
        new VaultSnapshotBucket(scope, 'Snapshots', { environment: 'dev', name: 'use1', alarmActions: ['arn:aws:sns:us-west-2:111122223333:alerts'] });
      }),
    ).toThrow('VaultSnapshotBucket prop "alarmActions[0]": is in us-west-2, but the alarms are in us-east-1');
  });
});

import { AutoscalingGroup, AwsProvider, CloudwatchMetricAlarm, DataAwsSsmParameter, Lb, Route53Record } from '../../../modules/internal/aws';
import { setupJest } from '../../../modules/internal/testing';
import { VaultCluster } from '../../../modules/vault-cluster';
import type { VaultClusterProps } from '../../../modules/vault-cluster/types';
import type { VaultSnapshotDestination } from '../../../modules/vault-snapshots/types';
import { clusterProps } from './fixtures';
import { byId, policy, ref, resources, single, statement, synth } from './synth';

setupJest();

function synthCluster(overrides: Partial<VaultClusterProps> = {}) {
  let cluster: VaultCluster | undefined;
  const result = synth((scope) => {
    cluster = new VaultCluster(scope, 'Primary', clusterProps(overrides));
  });
  return { ...result, cluster: cluster as VaultCluster };
}

const HEALTH_PATH = '/v1/sys/health?standbyok=true&perfstandbyok=true&drsecondarycode=200';

describe('VaultCluster', () => {
  const { json, doc, cluster } = synthCluster();
  const id = (type: string, fragment?: string) => (fragment ? byId(doc, type, fragment) : single(doc, type)).id;
  const lt = id('aws_launch_template');
  const key = id('aws_kms_key', 'SealKey');
  const role = id('aws_iam_role');
  const apiTg = id('aws_lb_target_group', 'ApiTargetGroup');
  const clusterTg = id('aws_lb_target_group', 'ClusterTargetGroup');
  const lb = id('aws_lb');
  const nodeSg = id('aws_security_group', 'Nodes');
  const lbSg = id('aws_security_group', 'SecurityGroups_LoadBalancer');

  describe('Auto Scaling group', () => {
    const asg = single(doc, 'aws_autoscaling_group').body;

    it('runs five nodes by default, fixed size', () => {
      expect(asg).toEqual(expect.objectContaining({ min_size: 5, max_size: 5, desired_capacity: 5 }));
    });

    it('spreads the nodes over the given subnets', () => {
      expect(asg.vpc_zone_identifier).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    });

    it('replaces nodes on the load balancer health check after a grace period', () => {
      expect(asg.health_check_type).toBe('ELB');
      expect(asg.health_check_grace_period).toBe(600);
      expect(asg.target_group_arns).toEqual([ref('aws_lb_target_group', apiTg, 'arn'), ref('aws_lb_target_group', clusterTg, 'arn')]);
    });

    it('pins the launch template to its latest_version attribute, not $Latest', () => {
      expect(asg.launch_template).toEqual({ id: ref('aws_launch_template', lt, 'id'), version: ref('aws_launch_template', lt, 'latest_version') });
      expect(json).not.toContain('$Latest');
    });

    it('rolls nodes one at a time, launching the new one first, when the template changes', () => {
      expect(asg.instance_refresh).toEqual({
        strategy: 'Rolling',
        preferences: expect.objectContaining({
          min_healthy_percentage: 100,
          max_healthy_percentage: 120,
          instance_warmup: '300',
          skip_matching: true,
          auto_rollback: true,
        }),
      });
    });

    it('launches a healthy successor before terminating an unhealthy node', () => {
      expect(asg.instance_maintenance_policy).toEqual({ min_healthy_percentage: 100, max_healthy_percentage: 120 });
    });

    it('propagates the Raft auto_join tag (and Name) to the nodes, once each', () => {
      expect(asg.tag).toEqual(
        expect.arrayContaining([
          { key: 'VaultCluster', value: 'vault-dev-primary', propagate_at_launch: true },
          { key: 'Name', value: 'vault-dev-primary', propagate_at_launch: true },
        ]),
      );
      expect(asg.tag.filter((t: { key: string }) => t.key === 'VaultCluster')).toHaveLength(1);
    });

    it('runs three nodes when asked, with one extra node during a refresh', () => {
      const small = synthCluster({ nodeCount: 3 });
      expect(small.json).toHaveResourceWithProperties(AutoscalingGroup, {
        min_size: 3,
        max_size: 3,
        desired_capacity: 3,
        instance_maintenance_policy: { min_healthy_percentage: 100, max_healthy_percentage: 134 },
      });
      expect(small.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, { threshold: 2 });
    });

    it('takes the grace period and warm-up from props', () => {
      const custom = synthCluster({ healthCheckGracePeriodSeconds: 900, instanceWarmupSeconds: 120 });
      expect(custom.json).toHaveResourceWithProperties(AutoscalingGroup, {
        health_check_grace_period: 900,
        instance_refresh: expect.objectContaining({ preferences: expect.objectContaining({ instance_warmup: '120' }) }),
      });
    });
  });

  describe('launch template', () => {
    const template = single(doc, 'aws_launch_template').body;

    it('uses the AMI from props', () => {
      expect(template.image_id).toBe('ami-0123456789abcdef0');
      expect(template.instance_type).toBe('m7i.xlarge');
    });

    it('reads the AMI from an SSM parameter at plan time when asked', () => {
      const fromSsm = synthCluster({ image: { ssmParameterName: '/vault/ami/enterprise' } });
      expect(fromSsm.json).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: '/vault/ami/enterprise' });
      const parameter = Object.keys(fromSsm.doc.data?.aws_ssm_parameter ?? {})[0];
      expect(single(fromSsm.doc, 'aws_launch_template').body.image_id).toBe(ref('data.aws_ssm_parameter', parameter, 'insecure_value'));
    });

    it('requires IMDSv2 with a hop limit of 1', () => {
      expect(template.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
        instance_metadata_tags: 'disabled',
      });
    });

    it('encrypts the gp3 root and Raft data volumes with the cluster key', () => {
      const encrypted = { encrypted: 'true', kms_key_id: ref('aws_kms_key', key, 'arn'), volume_type: 'gp3', delete_on_termination: 'true' };
      expect(template.block_device_mappings).toEqual([
        { device_name: '/dev/xvda', ebs: { ...encrypted, volume_size: 20 } },
        { device_name: '/dev/sdf', ebs: { ...encrypted, volume_size: 100, iops: 3000, throughput: 125 } },
      ]);
    });

    it('gives the nodes the instance profile and their security group', () => {
      const profile = id('aws_iam_instance_profile');
      expect(template.iam_instance_profile).toEqual({ arn: ref('aws_iam_instance_profile', profile, 'arn') });
      expect(template.vpc_security_group_ids).toEqual([ref('aws_security_group', nodeSg, 'id')]);
    });

    it('carries the boot script base64-encoded', () => {
      expect(template.user_data).toMatch(/^\$\{base64encode\(/);
    });
  });

  describe('Network Load Balancer', () => {
    it('is an internal NLB with cross-zone load balancing and deletion protection', () => {
      expect(json).toHaveResourceWithProperties(Lb, {
        name: 'vault-dev-primary',
        load_balancer_type: 'network',
        internal: true,
        enable_cross_zone_load_balancing: true,
        enable_deletion_protection: true,
        subnets: ['subnet-a', 'subnet-b', 'subnet-c'],
        security_groups: [ref('aws_security_group', lbSg, 'id')],
      });
      expect(single(doc, 'aws_lb').body.access_logs).toBeUndefined();
    });

    it('can be internet-facing, unprotected and logging when asked', () => {
      const custom = synthCluster({ internal: false, deletionProtection: false, accessLogs: { bucketName: 'lb-logs' } });
      expect(custom.json).toHaveResourceWithProperties(Lb, {
        internal: false,
        enable_deletion_protection: false,
        access_logs: { bucket: 'lb-logs', prefix: 'vault-dev-primary', enabled: true },
      });
    });

    it('listens on TCP 8200 and 8201, each forwarding to its target group (TLS passes through)', () => {
      const listeners = resources(doc, 'aws_lb_listener').map(([, body]) => body);
      expect(listeners).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ port: 8200, protocol: 'TCP', load_balancer_arn: ref('aws_lb', lb, 'arn'), default_action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group', apiTg, 'arn') }] }),
          expect.objectContaining({ port: 8201, protocol: 'TCP', load_balancer_arn: ref('aws_lb', lb, 'arn'), default_action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group', clusterTg, 'arn') }] }),
        ]),
      );
      expect(listeners).toHaveLength(2);
    });

    it.each([
      ['ApiTargetGroup', 8200],
      ['ClusterTargetGroup', 8201],
    ])('%s: TCP %i to the instances, HTTPS health check of every connected member on 8200', (fragment, port) => {
      const tg = byId(doc, 'aws_lb_target_group', fragment).body;
      expect(tg).toEqual(
        expect.objectContaining({ name: `vault-dev-primary-${port}`, port, protocol: 'TCP', target_type: 'instance', vpc_id: 'vpc-0123456789abcdef0' }),
      );
      expect(tg.health_check).toEqual({
        enabled: true,
        protocol: 'HTTPS',
        port: '8200',
        path: HEALTH_PATH,
        matcher: '200',
        interval: 10,
        timeout: 5,
        healthy_threshold: 2,
        unhealthy_threshold: 2,
      });
    });

    it('keeps standbys, performance standbys and DR secondaries in service, and nothing else', () => {
      const query = new URLSearchParams(HEALTH_PATH.split('?')[1]);
      expect(Object.fromEntries(query)).toEqual({ standbyok: 'true', perfstandbyok: 'true', drsecondarycode: '200' });
      // Sealed (503), uninitialised (501), removed (530) and cut-off standbys (474) keep their codes.
      for (const kept of ['sealedcode', 'uninitcode', 'removedcode', 'haunhealthycode']) expect(query.has(kept)).toBe(false);
    });
  });

  describe('security groups', () => {
    const ingress = resources(doc, 'aws_vpc_security_group_ingress_rule').map(([, body]) => body);
    const egress = resources(doc, 'aws_vpc_security_group_egress_rule').map(([, body]) => body);
    const on = (rules: typeof ingress, sg: string) => rules.filter((r) => r.security_group_id === ref('aws_security_group', sg, 'id'));
    const source = (r: Record<string, any>) => r.cidr_ipv4 ?? r.cidr_ipv6 ?? r.referenced_security_group_id ?? r.prefix_list_id;

    it('describes both groups and every rule', () => {
      for (const [, sg] of resources(doc, 'aws_security_group')) expect(sg.description).toMatch(/\w/);
      for (const rule of [...ingress, ...egress]) expect(rule.description).toMatch(/\w{5}/);
    });

    it('allows no ingress from 0.0.0.0/0 or ::/0 and no all-protocol rule', () => {
      for (const rule of ingress) {
        expect(rule.cidr_ipv4).not.toBe('0.0.0.0/0');
        expect(rule.cidr_ipv6).not.toBe('::/0');
      }
      for (const rule of [...ingress, ...egress]) {
        expect(rule.ip_protocol).toBe('tcp');
        expect(rule.from_port).toBe(rule.to_port);
      }
    });

    it('lets the clients and DR functions reach 8200 through the load balancer', () => {
      expect(on(ingress, lbSg).filter((r) => r.from_port === 8200).map(source).sort()).toEqual(['10.0.0.0/16', '10.1.0.0/16', 'sg-0dr0functions000']);
    });

    it('lets only the peer cluster reach 8201 through the load balancer', () => {
      expect(on(ingress, lbSg).filter((r) => r.from_port === 8201).map(source)).toEqual(['10.1.0.0/16']);
    });

    it('lets 8200 reach the nodes from the load balancer, clients (preserved address), nodes and peer', () => {
      expect(on(ingress, nodeSg).filter((r) => r.from_port === 8200).map(source).sort()).toEqual(
        ['10.0.0.0/16', '10.1.0.0/16', ref('aws_security_group', lbSg, 'id'), ref('aws_security_group', nodeSg, 'id'), 'sg-0dr0functions000'].sort(),
      );
    });

    it('lets 8201 reach the nodes only from the nodes themselves, the load balancer and the peer cluster', () => {
      expect(on(ingress, nodeSg).filter((r) => r.from_port === 8201).map(source).sort()).toEqual(
        ['10.1.0.0/16', ref('aws_security_group', lbSg, 'id'), ref('aws_security_group', nodeSg, 'id')].sort(),
      );
    });

    it('restricts node egress to HTTPS for AWS APIs and Vault ports to the nodes and the peer', () => {
      expect(on(egress, nodeSg).map((r) => `${r.from_port} ${source(r)}`).sort()).toEqual(
        ['443 0.0.0.0/0', '8200 10.1.0.0/16', '8201 10.1.0.0/16', `8200 ${ref('aws_security_group', nodeSg, 'id')}`, `8201 ${ref('aws_security_group', nodeSg, 'id')}`].sort(),
      );
    });

    it('restricts load balancer egress to the nodes on 8200 and 8201', () => {
      expect(on(egress, lbSg).map((r) => `${r.from_port} ${source(r)}`).sort()).toEqual(
        [`8200 ${ref('aws_security_group', nodeSg, 'id')}`, `8201 ${ref('aws_security_group', nodeSg, 'id')}`],
      );
    });

    it('narrows AWS API egress to given CIDRs and prefix lists', () => {
      const narrow = synthCluster({ awsApiEgressCidrs: ['10.0.100.0/24'], awsApiEgressPrefixListIds: ['pl-63a5400a'] });
      const https = resources(narrow.doc, 'aws_vpc_security_group_egress_rule').map(([, r]) => r).filter((r) => r.from_port === 443);
      expect(https.map(source).sort()).toEqual(['10.0.100.0/24', 'pl-63a5400a']);
    });

    it('writes IPv6 client CIDRs as cidr_ipv6', () => {
      const v6 = synthCluster({ allowedClientCidrs: ['fd00:10::/48'] });
      const rules = resources(v6.doc, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r);
      expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ cidr_ipv6: 'fd00:10::/48', from_port: 8200 })]));
    });
  });

  describe('node IAM role', () => {
    const nodePolicy = policy(single(doc, 'aws_iam_role_policy').body);

    it('is assumed by EC2 and wrapped in an instance profile', () => {
      const trust = policy(single(doc, 'aws_iam_role').body, 'assume_role_policy');
      expect(trust.Statement).toEqual([{ Sid: 'Ec2Nodes', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
      expect(single(doc, 'aws_iam_instance_profile').body.role).toBe(ref('aws_iam_role', role, 'name'));
    });

    it('may use the seal key for Encrypt, Decrypt and DescribeKey only', () => {
      expect(statement(nodePolicy, 'VaultSeal')).toEqual({
        Sid: 'VaultSeal',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
        Resource: ref('aws_kms_key', key, 'arn'),
      });
    });

    it('may describe instances for auto_join (no narrower resource exists)', () => {
      expect(statement(nodePolicy, 'RaftAutoJoin')).toEqual(expect.objectContaining({ Action: 'ec2:DescribeInstances', Resource: '*' }));
    });

    it('may read exactly the TLS and licence secrets', () => {
      const props = clusterProps();
      expect(statement(nodePolicy, 'BootSecrets')).toEqual(
        expect.objectContaining({
          Action: 'secretsmanager:GetSecretValue',
          Resource: [props.tls.certificateSecretArn, props.tls.privateKeySecretArn, props.tls.caBundleSecretArn, props.licenseSecretArn],
        }),
      );
    });

    it('has nothing else by default: no wildcard action, no snapshot access', () => {
      expect(nodePolicy.Statement.map((s) => s.Sid)).toEqual([
        'VaultSeal',
        'RaftAutoJoin',
        'BootSecrets',
        'ShipAuditLog',
        'PublishVaultMetrics',
        'WriteSessionLogs',
        'CheckSessionLogGroupEncryption',
        'DecryptSessions',
      ]);
      for (const s of nodePolicy.Statement) expect([s.Action].flat().some((a: string) => a.includes('*'))).toBe(false);
    });

    it('ships the audit log to the cluster\'s audit log group only, and publishes metrics to the cluster\'s namespace only', () => {
      const audit = id('aws_cloudwatch_log_group', 'AuditLog');
      expect(statement(nodePolicy, 'ShipAuditLog')).toEqual({
        Sid: 'ShipAuditLog',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: `${ref('aws_cloudwatch_log_group', audit, 'arn')}:*`,
      });
      expect(statement(nodePolicy, 'PublishVaultMetrics')).toEqual({
        Sid: 'PublishVaultMetrics',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Vault/vault-dev-primary' } },
      });
    });

    it('writes session logs to the session log group, and decrypts sessions only', () => {
      const sessions = id('aws_cloudwatch_log_group', 'SessionLog');
      expect(statement(nodePolicy, 'WriteSessionLogs').Resource).toBe(`${ref('aws_cloudwatch_log_group', sessions, 'arn')}:*`);
      expect(statement(nodePolicy, 'DecryptSessions')).toEqual({
        Sid: 'DecryptSessions',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: ref('aws_kms_key', id('aws_kms_key', 'Logs_Key'), 'arn'),
        Condition: { StringLike: { 'kms:EncryptionContext:aws:ssm:SessionId': '*' } },
      });
      expect(statement(nodePolicy, 'CheckSessionLogGroupEncryption').Action).toBe('logs:DescribeLogGroups');
    });

    it('cannot delete snapshot versions, change a bucket\'s versioning or lock, or bypass retention', () => {
      const destinations: VaultSnapshotDestination[] = [
        { name: 'use1', bucketName: 'snap-a', bucketArn: 'arn:aws:s3:::snap-a', region: 'us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/a', pathPrefix: 'raft-snapshots/' },
      ];
      const withSnapshots = policy(single(synthCluster({ snapshotDestinations: destinations }).doc, 'aws_iam_role_policy').body);
      const actions = withSnapshots.Statement.flatMap((s) => [s.Action].flat() as string[]);
      for (const forbidden of ['s3:DeleteObjectVersion', 's3:PutBucketVersioning', 's3:PutBucketObjectLockConfiguration', 's3:BypassGovernanceRetention', 's3:PutObjectRetention']) {
        expect(actions).not.toContain(forbidden);
      }
      expect(actions).toContain('s3:PutObject');
    });

    it('may read exactly the IAM roles it is told to resolve (AWS auth resolve_aws_unique_ids), in a policy of its own', () => {
      const roles = ['arn:aws:iam::111122223333:role/dr-token-generator-dev-main', 'arn:aws:iam::111122223333:role/dr-operations-dev-main'];
      const built = synth((scope) => {
        const cluster = new VaultCluster(scope, 'Primary', clusterProps());
        cluster.allowVaultToResolveRoles(roles);
        expect(() => cluster.allowVaultToResolveRoles(roles)).toThrow(/already called/);
      });
      const resolution = byId(built.doc, 'aws_iam_role_policy', 'AwsAuthResolution').body;
      expect(resolution.role).toBe(ref('aws_iam_role', role, 'name'));
      expect(policy(resolution).Statement).toEqual([{ Sid: 'ResolveAwsAuthRoles', Effect: 'Allow', Action: 'iam:GetRole', Resource: roles }]);
      expect(resources(doc, 'aws_iam_role_policy')).toHaveLength(1);
    });

    it('may decrypt with the secrets keys only through Secrets Manager', () => {
      const withKey = synthCluster({ secretsKmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:key/secrets'] });
      const region = Object.keys(withKey.doc.data?.aws_region ?? {})[0];
      expect(statement(policy(single(withKey.doc, 'aws_iam_role_policy').body), 'BootSecretsKeys')).toEqual({
        Sid: 'BootSecretsKeys',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: ['arn:aws:kms:us-east-1:111122223333:key/secrets'],
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${ref('data.aws_region', region, 'region')}.amazonaws.com` } },
      });
    });

    it('may write, list and prune snapshots in each destination, under its prefix, with its key via S3', () => {
      const destinations: VaultSnapshotDestination[] = [
        { name: 'use1', bucketName: 'snap-a', bucketArn: 'arn:aws:s3:::snap-a', region: 'us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/a', pathPrefix: 'raft-snapshots/' },
        { name: 'usw2', bucketName: 'snap-b', bucketArn: 'arn:aws:s3:::snap-b', region: 'us-west-2', kmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/b', pathPrefix: 'raft-snapshots/' },
      ];
      const withSnapshots = policy(single(synthCluster({ snapshotDestinations: destinations }).doc, 'aws_iam_role_policy').body);
      expect(statement(withSnapshots, 'SnapshotBuckets')).toEqual(
        expect.objectContaining({
          Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
          Resource: ['arn:aws:s3:::snap-a', 'arn:aws:s3:::snap-b'],
        }),
      );
      expect(statement(withSnapshots, 'SnapshotObjects')).toEqual(
        expect.objectContaining({
          Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          Resource: ['arn:aws:s3:::snap-a/raft-snapshots/*', 'arn:aws:s3:::snap-b/raft-snapshots/*'],
        }),
      );
      expect(statement(withSnapshots, 'SnapshotKeys')).toEqual(
        expect.objectContaining({
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: ['arn:aws:kms:us-east-1:111122223333:key/a', 'arn:aws:kms:us-west-2:111122223333:key/b'],
          Condition: { StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com', 's3.us-west-2.amazonaws.com'] } },
        }),
      );
    });

    it('gets Session Manager access by default, and none when turned off', () => {
      expect(single(doc, 'aws_iam_role_policy_attachment').body.policy_arn).toMatch(/:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
      const off = synthCluster({ sessionManagerAccess: false }).doc;
      expect(resources(off, 'aws_iam_role_policy_attachment')).toHaveLength(0);
      expect(resources(off, 'aws_ssm_document')).toHaveLength(0);
      expect(resources(off, 'aws_iam_policy')).toHaveLength(0);
      expect(resources(off, 'aws_cloudwatch_log_group').map(([, g]) => g.name)).toEqual(['/vault/vault-dev-primary/audit']);
      expect(policy(single(off, 'aws_iam_role_policy').body).Statement.map((s) => s.Sid)).not.toContain('DecryptSessions');
    });
  });

  describe('KMS key', () => {
    const kms = byId(doc, 'aws_kms_key', 'SealKey').body;
    const keyPolicy = policy(kms);
    const partition = Object.keys(doc.data?.aws_partition ?? {})[0];
    const caller = Object.keys(doc.data?.aws_caller_identity ?? {})[0];
    const account = `arn:${ref('data.aws_partition', partition, 'partition')}:iam::${ref('data.aws_caller_identity', caller, 'account_id')}`;
    const autoScalingRole = `${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

    it('rotates and waits 30 days before deletion', () => {
      expect(kms).toEqual(expect.objectContaining({ enable_key_rotation: true, deletion_window_in_days: 30 }));
    });

    it('lets the account root administer the key but not use it, grant it or rewrite its policy', () => {
      const admin = statement(keyPolicy, 'KeyAdministration');
      expect(admin.Principal).toEqual({ AWS: `${account}:root` });
      expect(admin.Action).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:DescribeKey', 'kms:EnableKeyRotation']));
      expect(admin.Action.some((a: string) => /\*|Encrypt|Decrypt|GenerateDataKey|CreateGrant|PutKeyPolicy|ReplicateKey|ImportKeyMaterial/.test(a))).toBe(false);
    });

    it('lets only the identity running Terraform (by default) rewrite its policy', () => {
      const context = Object.keys(doc.data?.aws_iam_session_context ?? {})[0];
      expect(statement(keyPolicy, 'KeyPolicyAdministration')).toEqual({
        Sid: 'KeyPolicyAdministration',
        Effect: 'Allow',
        Principal: { AWS: [ref('data.aws_iam_session_context', context, 'issuer_arn')] },
        Action: 'kms:PutKeyPolicy',
        Resource: '*',
      });
      const named = policy(byId(synthCluster({ keyAdministratorArns: ['arn:aws:iam::111122223333:role/deploy'] }).doc, 'aws_kms_key', 'SealKey').body);
      expect(statement(named, 'KeyPolicyAdministration').Principal).toEqual({ AWS: ['arn:aws:iam::111122223333:role/deploy'] });
    });

    it('decrypts for nobody but the node role and the Auto Scaling role', () => {
      const decrypters = keyPolicy.Statement.filter((s) => [s.Action].flat().some((a: string) => a === 'kms:Decrypt' || a === 'kms:*'));
      expect(decrypters.map((s) => s.Principal)).toEqual([{ AWS: ref('aws_iam_role', role, 'arn') }, { AWS: autoScalingRole }]);
    });

    it('lets the node role use it for the seal', () => {
      expect(statement(keyPolicy, 'VaultSeal')).toEqual(
        expect.objectContaining({ Principal: { AWS: ref('aws_iam_role', role, 'arn') }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'] }),
      );
    });

    it("lets the Auto Scaling service-linked role encrypt volumes and grant EC2 the key", () => {
      expect(statement(keyPolicy, 'AutoScalingVolumes')).toEqual(
        expect.objectContaining({
          Principal: { AWS: autoScalingRole },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        }),
      );
      expect(statement(keyPolicy, 'AutoScalingVolumeGrants')).toEqual(
        expect.objectContaining({
          Principal: { AWS: autoScalingRole },
          Action: 'kms:CreateGrant',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    });

    it('takes another Auto Scaling role when given', () => {
      const arn = 'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_vault';
      const custom = policy(byId(synthCluster({ autoScalingServiceRoleArn: arn }).doc, 'aws_kms_key', 'SealKey').body);
      expect(statement(custom, 'AutoScalingVolumes').Principal).toEqual({ AWS: arn });
    });

    it('has an alias named after the cluster', () => {
      expect(byId(doc, 'aws_kms_alias', 'SealKey').body).toEqual({ name: 'alias/vault-dev-primary-seal', target_key_id: ref('aws_kms_key', key, 'key_id') });
    });
  });

  describe('DNS name', () => {
    it('is an alias A record vault-<env>-<cluster>.<zone> to the load balancer', () => {
      expect(json).toHaveResourceWithProperties(Route53Record, {
        zone_id: 'Z0123456789ABCDEFGHIJ',
        name: 'vault-dev-primary.example.com',
        type: 'A',
        alias: { name: ref('aws_lb', lb, 'dns_name'), zone_id: ref('aws_lb', lb, 'zone_id'), evaluate_target_health: true },
      });
    });

    it('takes another record name, which also becomes the TLS server name', () => {
      const custom = synthCluster({ recordName: 'vault-use1' });
      expect(custom.json).toHaveResourceWithProperties(Route53Record, { name: 'vault-use1.example.com' });
      expect(custom.cluster.address).toBe('https://vault-use1.example.com:8200');
    });
  });

  describe('quorum alarm', () => {
    it('fires when fewer than floor(n/2)+1 nodes pass the API health check', () => {
      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: 'vault-dev-primary-healthy-nodes-below-quorum',
        namespace: 'AWS/NetworkELB',
        metric_name: 'HealthyHostCount',
        dimensions: { LoadBalancer: ref('aws_lb', lb, 'arn_suffix'), TargetGroup: ref('aws_lb_target_group', apiTg, 'arn_suffix') },
        statistic: 'Minimum',
        period: 60,
        evaluation_periods: 2,
        threshold: 3,
        comparison_operator: 'LessThanThreshold',
        treat_missing_data: 'breaching',
      });
    });

    it('notifies the given actions on alarm and recovery', () => {
      const topic = 'arn:aws:sns:us-east-1:111122223333:vault-alerts';
      expect(synthCluster({ alarmActions: [topic] }).json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_actions: [topic],
        ok_actions: [topic],
      });
    });
  });

  describe('public attributes', () => {
    it('give the addresses the stacks and functions use', () => {
      expect(cluster.name).toBe('vault-dev-primary');
      expect(cluster.fqdn).toBe('vault-dev-primary.example.com');
      expect(cluster.address).toBe('https://vault-dev-primary.example.com:8200');
      expect(cluster.clusterAddress).toBe('https://vault-dev-primary.example.com:8201');
    });
  });

  describe('provider and tags', () => {
    it('creates every resource and data source with the given provider', () => {
      const { doc: dr } = synth((scope) => {
        const provider = new AwsProvider(scope, 'dr', { region: 'us-west-2', alias: 'dr' });
        // Subnets of the provider's region: a zone of another region is refused (validate.test.ts).
        const subnets = ['a', 'b', 'c'].map((zone) => ({ subnetId: `subnet-${zone}`, availabilityZone: `us-west-2${zone}` }));
        new VaultCluster(scope, 'Dr', clusterProps({ clusterName: 'dr', subnets, provider }));
      });
      const blocks = [...Object.values(dr.resource ?? {}), ...Object.values(dr.data ?? {})].flatMap((byType) => Object.values(byType));
      expect(blocks.length).toBeGreaterThan(30);
      for (const block of blocks) expect(block.provider).toBe('aws.dr');
    });

    it('tags what takes tags', () => {
      const tagged = synthCluster({ tags: { CostCentre: 'security' } });
      expect(tagged.json).toHaveResourceWithProperties(Lb, { tags: expect.objectContaining({ CostCentre: 'security', VaultCluster: 'vault-dev-primary' }) });
      expect(single(tagged.doc, 'aws_autoscaling_group').body.tag).toEqual(
        expect.arrayContaining([{ key: 'CostCentre', value: 'security', propagate_at_launch: true }]),
      );
    });
  });
});

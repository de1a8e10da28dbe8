import { alarmTopicIn, VaultDrStack, vaultDrStackId } from '../../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { HOSTED_ZONE_ID, VAULT_ADDRESS, FIXTURE_BUNDLES_DIRECTORY } from '../modules/support/dr-automation-fixtures';
import { type Block, dataRef, ref, synthesizeStack, type Synthesized, testApp } from '../modules/support/synthesized';
import { ACCOUNT, APPLY_ROLE, BREAK_GLASS, clusterSettings, FUNCTION_SUBNET_CIDRS, FUNCTIONS_SG, stackProps, TAGS } from './support/stack-props';

function build(overrides: Partial<VaultDrStackProps> = {}): { stack: VaultDrStack; synth: Synthesized } {
  const stack = new VaultDrStack(testApp(), stackProps(overrides));
  return { stack, synth: synthesizeStack(stack) };
}

/** Every resource and data source as [address kind, type, logical id, body]. */
function blocks(synth: Synthesized): Array<[string, string, Block]> {
  const out: Array<[string, string, Block]> = [];
  for (const [type, byId] of Object.entries((synth.doc.resource ?? {}) as Record<string, Record<string, Block>>)) {
    for (const [id, body] of Object.entries(byId)) out.push([type, id, body]);
  }
  for (const [type, byId] of Object.entries((synth.doc.data ?? {}) as Record<string, Record<string, Block>>)) {
    for (const [id, body] of Object.entries(byId)) out.push([`data.${type}`, id, body]);
  }
  return out;
}

const CLUSTERS = {
  primary: { name: 'vault-test-use1', fqdn: 'vault-test-use1.example.com' },
  dr: { name: 'vault-test-usw2', fqdn: 'vault-test-usw2.example.com' },
};

describe('VaultDrStack', () => {
  let synth: Synthesized;
  let stack: VaultDrStack;
  /** One stack with every optional value changed (each synth costs ~0.2 s, so they share it). */
  let variant: Synthesized;
  beforeAll(() => {
    ({ stack, synth } = build());
    ({ synth: variant } = build({
      functionsRegion: 'us-east-1',
      nodeCount: 3,
      alarmTopicArn: undefined,
      drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY, refreshIntervalMinutes: 30, logRetentionDays: 400, watchdogMode: 'auto', watchdogWindowSeconds: 180 },
    }));
  });

  const byIdPrefix = (type: string, prefix: string) => Object.entries(synth.resources(type)).filter(([id]) => id.startsWith(prefix));
  const one = (type: string, prefix: string): { id: string; body: Block } => {
    const found = byIdPrefix(type, prefix);
    if (found.length !== 1) throw new Error(`expected one ${type} under ${prefix}, found ${found.length}`);
    return { id: found[0]![0], body: found[0]![1] };
  };
  const functions = () => Object.values(synth.resources('aws_lambda_function'));

  it('is named after its environment', () => {
    expect(stack.node.id).toBe('vault-dr-test');
    expect(vaultDrStackId('prod')).toBe('vault-dr-prod');
  });

  it('keeps its state in S3, encrypted, per environment, with S3-native locking', () => {
    expect(synth.doc.terraform.backend).toEqual({
      s3: { bucket: 'state-bucket', key: 'vault-dr/test/terraform.tfstate', region: 'us-west-2', encrypt: true, use_lockfile: true },
    });
    // checkov crashes on a required_version added by override (checkov#7454).
    expect(synth.doc.terraform.required_version).toBeUndefined();
  });

  describe('providers', () => {
    const aws = (s: Synthesized): Block[] => s.doc.provider.aws;
    const common = { allowed_account_ids: [ACCOUNT], default_tags: [{ tags: TAGS }] };

    it('default to the DR region for the functions, so the failover machinery survives the primary region', () => {
      expect(aws(synth).find((p) => p.alias === undefined)).toEqual({ region: 'us-west-2', ...common });
    });

    it('put the functions in the region given', () => {
      expect(aws(variant).find((p) => p.alias === undefined)!.region).toBe('us-east-1');
    });

    it('have one aliased provider per cluster region', () => {
      expect(aws(synth).filter((p) => p.alias !== undefined)).toEqual([
        { alias: 'primary', region: 'us-east-1', ...common },
        { alias: 'dr', region: 'us-west-2', ...common },
      ]);
    });

    it('declare the archive provider that zips the functions, pinned', () => {
      expect(synth.doc.provider.archive).toEqual([{}]);
      expect(synth.doc.terraform.required_providers.archive).toEqual({ source: 'hashicorp/archive', version: '2.7.1' });
    });

    it('point the Vault provider at the high-level endpoint and log in with AWS auth, not a token', () => {
      const [vault] = synth.doc.provider.vault;
      expect(vault).toEqual({
        address: VAULT_ADDRESS,
        ca_cert_file: expect.stringMatching(/^assets\/VaultCaBundle\/[0-9A-F]{32}\/vault-ca\.pem$/),
        skip_child_token: true,
        auth_login_aws: [{ role: '${var.read_only_plan ? "terraform-vault-dr-test-plan" : "terraform-vault-dr-test"}', header_value: 'vault-test.example.com' }],
      });
      expect(vault).not.toHaveProperty('token');
    });

    it('log in to Vault with the read-only plan role only when the plan is a read-only one (a variable, false by default)', () => {
      expect(synth.doc.variable.read_only_plan).toEqual({ type: 'bool', default: false, description: expect.stringContaining('read-only plan role') });
    });

    it('send the same server id header as the DR functions, which is their auth mount\'s', () => {
      const header = synth.doc.provider.vault[0].auth_login_aws[0].header_value;
      expect(synth.resource('vault_aws_auth_backend_client').body.iam_server_id_header_value).toBe(header);
      for (const fn of functions().filter((f) => f.environment.variables.VAULT_AWS_AUTH_ROLE !== undefined)) {
        expect(fn.environment.variables.VAULT_IAM_SERVER_ID).toBe(header);
      }
      const { synth: derived } = build({ vaultLogin: { role: 'r', planRole: 'p' } });
      expect(derived.doc.provider.vault[0].auth_login_aws[0].header_value).toBe('vault-test.example.com');
      expect(derived.resource('vault_aws_auth_backend_client').body.iam_server_id_header_value).toBe('vault-test.example.com');
    });

    it('give each cluster and its snapshot bucket their region, and the DR automation and DNS the functions region', () => {
      const expected = (type: string, id: string): string | undefined => {
        if (id.startsWith('PrimaryCluster_') || id.startsWith('PrimarySnapshotBucket_')) return 'aws.primary';
        if (id.startsWith('DrCluster_') || id.startsWith('DrSnapshotBucket_')) return 'aws.dr';
        if (['DrAutomation_', 'VaultEndpoint_', 'SnapshotSchedule_', 'RaftAutopilot_', 'AuditLog_', 'VaultConfiguration_'].some((prefix) => id.startsWith(prefix))) {
          return undefined; // the default aws / vault / archive provider
        }
        throw new Error(`unexpected ${type}.${id}`);
      };
      const wrong = blocks(synth)
        .filter(([type, id, body]) => body.provider !== expected(type, id))
        .map(([type, id, body]) => `${type}.${id}: ${body.provider}`);
      expect(wrong).toEqual([]);
      // Each region has its own cluster.
      expect(byIdPrefix('aws_autoscaling_group', 'PrimaryCluster_')).toHaveLength(1);
      expect(byIdPrefix('aws_autoscaling_group', 'DrCluster_')).toHaveLength(1);
    });
  });

  describe('clusters', () => {
    it('are named vault-<environment>-<name>, with the nodes the environment asks for', () => {
      const groups = Object.values(synth.resources('aws_autoscaling_group'));
      expect(groups.map((g) => [g.name, g.provider, g.desired_capacity]).sort()).toEqual([
        ['vault-test-use1', 'aws.primary', 5],
        ['vault-test-usw2', 'aws.dr', 5],
      ]);
      expect(Object.values(variant.resources('aws_autoscaling_group')).map((g) => g.desired_capacity)).toEqual([3, 3]);
      expect(variant.resource('vault_raft_autopilot').body.min_quorum).toBe(3);
    });

    it('each get their own DNS name: an alias to their own load balancer', () => {
      for (const [prefix, cluster] of [['PrimaryCluster_', CLUSTERS.primary], ['DrCluster_', CLUSTERS.dr]] as const) {
        const lb = one('aws_lb', prefix);
        expect(one('aws_route53_record', prefix).body).toMatchObject({
          zone_id: HOSTED_ZONE_ID,
          name: cluster.fqdn,
          type: 'A',
          alias: { name: ref('aws_lb', lb.id, 'dns_name'), zone_id: ref('aws_lb', lb.id, 'zone_id') },
        });
      }
    });

    it('allow each other\'s node subnets on the replication ports, not each other\'s whole VPC', () => {
      const peerRules = (prefix: string, group: string, direction: 'ingress' | 'egress') =>
        byIdPrefix(`aws_vpc_security_group_${direction}_rule`, `${prefix}SecurityGroups_${group}_${direction === 'ingress' ? 'In' : 'Out'}Peer`)
          .map(([, r]) => `${r.cidr_ipv4} ${r.from_port}`)
          .sort();
      const subnetsOf = (net: string) => [0, 16, 32].flatMap((third) => [`${net}.${third}.0/20 8200`, `${net}.${third}.0/20 8201`]).sort();
      expect(peerRules('PrimaryCluster_', 'Nodes', 'ingress')).toEqual(subnetsOf('10.1'));
      expect(peerRules('PrimaryCluster_', 'LoadBalancer', 'ingress')).toEqual(subnetsOf('10.1'));
      expect(peerRules('PrimaryCluster_', 'Nodes', 'egress')).toEqual(subnetsOf('10.1'));
      expect(peerRules('DrCluster_', 'Nodes', 'ingress')).toEqual(subnetsOf('10.0'));
      const all = [...Object.values(synth.resources('aws_vpc_security_group_ingress_rule')), ...Object.values(synth.resources('aws_vpc_security_group_egress_rule'))];
      expect(all.filter((r) => r.cidr_ipv4 === '10.0.0.0/16' || r.cidr_ipv4 === '10.1.0.0/16')).toEqual([]);
    });
  });

  describe('the DR functions in their VPC', () => {
    const clientRules = (s: Synthesized, prefix: string, group: 'LoadBalancer' | 'Nodes') =>
      Object.entries(s.resources('aws_vpc_security_group_ingress_rule'))
        .filter(([id]) => id.startsWith(`${prefix}SecurityGroups_${group}_InClient`))
        .map(([, rule]) => ({ port: rule.from_port, to: rule.to_port, cidr: rule.cidr_ipv4, group: rule.referenced_security_group_id }));

    it('run in the given subnets and security groups', () => {
      for (const fn of functions()) {
        expect(fn.vpc_config).toEqual({ subnet_ids: ['subnet-fn1', 'subnet-fn2'], security_group_ids: [FUNCTIONS_SG] });
      }
    });

    it.each(['LoadBalancer', 'Nodes'] as const)('are let in on 8200 by the DR cluster (same region) through their security group: %s', (group) => {
      const securityGroup = one('aws_security_group', `DrCluster_SecurityGroups_${group}`);
      expect(clientRules(synth, 'DrCluster_', group)).toEqual(
        expect.arrayContaining([{ port: 8200, to: 8200, cidr: undefined, group: FUNCTIONS_SG }]),
      );
      const rule = byIdPrefix('aws_vpc_security_group_ingress_rule', `DrCluster_SecurityGroups_${group}_InClient-${FUNCTIONS_SG}`);
      expect(rule.map(([, r]) => r.security_group_id)).toEqual([ref('aws_security_group', securityGroup.id, 'id')]);
    });

    it.each(['LoadBalancer', 'Nodes'] as const)(
      'are let in on 8200 by the primary cluster (another region) through their subnets\' CIDRs: security group rules do not cross regions: %s',
      (group) => {
        const rules = clientRules(synth, 'PrimaryCluster_', group);
        expect(rules).toEqual(
          expect.arrayContaining(FUNCTION_SUBNET_CIDRS.map((cidr) => ({ port: 8200, to: 8200, cidr, group: undefined }))),
        );
        expect(rules.filter((r) => r.group !== undefined)).toEqual([]);
      },
    );

    it('keep each cluster\'s own clients', () => {
      expect(clientRules(synth, 'PrimaryCluster_', 'Nodes')).toContainEqual({ port: 8200, to: 8200, cidr: '10.0.100.0/24', group: undefined });
      expect(clientRules(synth, 'DrCluster_', 'Nodes')).toContainEqual({ port: 8200, to: 8200, cidr: '10.1.100.0/24', group: undefined });
    });

    it('are let in by security group by whichever cluster shares their region', () => {
      const inPrimary = variant; // functionsRegion: us-east-1
      expect(clientRules(inPrimary, 'PrimaryCluster_', 'Nodes')).toContainEqual({ port: 8200, to: 8200, cidr: undefined, group: FUNCTIONS_SG });
      expect(clientRules(inPrimary, 'DrCluster_', 'Nodes').filter((r) => r.group !== undefined)).toEqual([]);
      expect(clientRules(inPrimary, 'DrCluster_', 'Nodes')).toEqual(
        expect.arrayContaining(FUNCTION_SUBNET_CIDRS.map((cidr) => ({ port: 8200, to: 8200, cidr, group: undefined }))),
      );
    });
  });

  describe('the clusters\' endpoints', () => {
    it('flow into every function\'s VAULT_CLUSTERS, with the cluster port address', () => {
      expect(functions()).toHaveLength(4);
      for (const fn of functions()) {
        expect(JSON.parse(fn.environment.variables.VAULT_CLUSTERS)).toEqual([
          { name: CLUSTERS.primary.name, address: `https://${CLUSTERS.primary.fqdn}:8200`, clusterAddress: `https://${CLUSTERS.primary.fqdn}:8201` },
          { name: CLUSTERS.dr.name, address: `https://${CLUSTERS.dr.fqdn}:8200`, clusterAddress: `https://${CLUSTERS.dr.fqdn}:8201` },
        ]);
      }
    });

    it('name the weighted records of the high-level name, which point at the clusters\' own names', () => {
      const records = Object.entries(synth.resources('aws_route53_record')).filter(([id]) => id.startsWith('VaultEndpoint_'));
      expect(records.map(([, r]) => [r.set_identifier, r.records, r.weighted_routing_policy.weight]).sort()).toEqual([
        [CLUSTERS.primary.name, [CLUSTERS.primary.fqdn], 255],
        [CLUSTERS.dr.name, [CLUSTERS.dr.fqdn], 0],
      ]);
      const dnsSwitch = functions().find((fn) => fn.function_name === 'dns-switch-test-main')!.environment.variables;
      for (const [, record] of records) {
        expect(record).toMatchObject({ name: dnsSwitch.DNS_RECORD_NAME, zone_id: dnsSwitch.HOSTED_ZONE_ID, type: dnsSwitch.DNS_RECORD_TYPE, ttl: 10 });
        // The weights belong to the DNS switch, and target health does not move them (README:
        // "Why the high-level name does not follow target health").
        expect(record.lifecycle).toEqual({ ignore_changes: ['weighted_routing_policy'] });
        expect(record).not.toHaveProperty('alias');
        expect(record).not.toHaveProperty('health_check_id');
      }
    });
  });

  describe('snapshots', () => {
    const bucketOf = (prefix: string) =>
      Object.entries(synth.resources('aws_s3_bucket')).find(([id]) => id.startsWith(prefix) && !id.includes('AccessLog'))!;

    it('has one bucket (and its access-log bucket) per region', () => {
      expect(Object.values(synth.resources('aws_s3_bucket')).map((b) => b.provider).sort()).toEqual(['aws.dr', 'aws.dr', 'aws.primary', 'aws.primary']);
      expect(bucketOf('PrimarySnapshotBucket_')[1].bucket).toMatch(/^vault-test-use1-snapshots-/);
      expect(bucketOf('DrSnapshotBucket_')[1].bucket).toMatch(/^vault-test-usw2-snapshots-/);
    });

    it('writes one configuration per region\'s bucket through the Vault provider, each with its bucket\'s region and key', () => {
      const configs = Object.values(synth.resources('vault_raft_snapshot_agent_config'));
      const regionOf = (prefix: string) => {
        const [id, body] = Object.entries(synth.dataSources('aws_region')).find(([candidate]) => candidate.startsWith(prefix))!;
        return { ref: dataRef('aws_region', id, 'region'), provider: body.provider };
      };
      expect(configs.map((c) => [c.name, c.aws_s3_bucket, c.aws_s3_region, c.provider])).toEqual([
        ['test-use1', ref('aws_s3_bucket', bucketOf('PrimarySnapshotBucket_')[0], 'bucket'), regionOf('PrimarySnapshotBucket_').ref, undefined],
        ['test-usw2', ref('aws_s3_bucket', bucketOf('DrSnapshotBucket_')[0], 'bucket'), regionOf('DrSnapshotBucket_').ref, undefined],
      ]);
      expect(regionOf('PrimarySnapshotBucket_').provider).toBe('aws.primary');
      expect(regionOf('DrSnapshotBucket_').provider).toBe('aws.dr');
      for (const [config, prefix] of [[configs[0]!, 'PrimarySnapshotBucket_'], [configs[1]!, 'DrSnapshotBucket_']] as const) {
        expect(config.aws_s3_kms_key).toBe(ref('aws_kms_key', one('aws_kms_key', prefix).id, 'arn'));
        expect(config).toMatchObject({ storage_type: 'aws-s3', aws_s3_enable_kms: true, interval_seconds: 3600 });
      }
    });

    it('lets the nodes of both clusters write both buckets', () => {
      const both = [ref('aws_s3_bucket', bucketOf('PrimarySnapshotBucket_')[0], 'arn'), ref('aws_s3_bucket', bucketOf('DrSnapshotBucket_')[0], 'arn')];
      for (const prefix of ['PrimaryCluster_', 'DrCluster_']) {
        const statements = JSON.parse(one('aws_iam_role_policy', `${prefix}NodePolicy`).body.policy).Statement as Block[];
        expect(statements.find((s) => s.Sid === 'SnapshotBuckets')!.Resource).toEqual(both);
      }
    });

    it('configures Raft autopilot once, on whichever cluster the high-level name points at', () => {
      expect(synth.resource('vault_raft_autopilot').body).toEqual({ cleanup_dead_servers: true, dead_server_last_contact_threshold: '24h0m0s', min_quorum: 3 });
    });
  });

  describe('security', () => {
    const roleArnOf = (fn: string) => ref('aws_iam_role', synth.resource('aws_iam_role', (r) => r.name === `${fn}-test-main`).id, 'arn');

    it('lets both clusters\' nodes (Vault) read exactly the two IAM roles bound to Vault AWS auth roles', () => {
      for (const prefix of ['PrimaryCluster_', 'DrCluster_']) {
        const policy = one('aws_iam_role_policy', `${prefix}AwsAuthResolution`).body;
        expect(JSON.parse(policy.policy).Statement).toEqual([
          { Sid: 'ResolveAwsAuthRoles', Effect: 'Allow', Action: 'iam:GetRole', Resource: [roleArnOf('dr-token-generator'), roleArnOf('dr-operations')] },
        ]);
        expect(policy.role).toBe(ref('aws_iam_role', one('aws_iam_role', `${prefix}NodeRole`).id, 'name'));
      }
    });

    it('writes the Vault AWS auth roles only once both clusters may resolve their IAM roles (resolve_aws_unique_ids)', () => {
      const resolution = ['PrimaryCluster_', 'DrCluster_'].map((prefix) => `aws_iam_role_policy.${one('aws_iam_role_policy', `${prefix}AwsAuthResolution`).id}`);
      const roles = Object.values(synth.resources('vault_aws_auth_backend_role'));
      expect(roles).toHaveLength(2);
      for (const role of roles) expect(role.depends_on).toEqual(expect.arrayContaining(resolution));
    });

    it('binds the functions\' Vault tokens to their subnets', () => {
      expect(synth.resource('vault_token_auth_backend_role').body.token_bound_cidrs).toEqual(FUNCTION_SUBNET_CIDRS);
      for (const role of Object.values(synth.resources('vault_aws_auth_backend_role'))) expect(role.token_bound_cidrs).toEqual(FUNCTION_SUBNET_CIDRS);
    });

    it('enables the file audit device once, through the Vault provider (replicated to the DR secondary)', () => {
      expect(synth.resource('vault_audit').body).toMatchObject({ type: 'file', local: false, options: { file_path: '/var/log/vault/audit.log' } });
    });

    it('gives the break-glass role to the DR token and the snapshot buckets', () => {
      expect(synth.resource('aws_secretsmanager_secret_policy').body.policy).toContain(BREAK_GLASS);
      for (const [, bucketPolicy] of byIdPrefix('aws_s3_bucket_policy', 'PrimarySnapshotBucket_SnapshotBucket').concat(byIdPrefix('aws_s3_bucket_policy', 'DrSnapshotBucket_SnapshotBucket'))) {
        expect(JSON.parse(bucketPolicy.policy).Statement.find((s: Block) => s.Sid === 'DenyDeletingVersions').Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [BREAK_GLASS] } });
      }
    });

    it('names the apply role as the only key policy administrator of every key, so plans by another identity show no change', () => {
      const keys = Object.values(synth.resources('aws_kms_key'));
      expect(keys.length).toBe(8);
      for (const key of keys) {
        expect(JSON.parse(key.policy).Statement.find((s: Block) => s.Sid === 'KeyPolicyAdministration').Principal).toEqual({ AWS: [APPLY_ROLE] });
      }
      expect(synth.dataSources('aws_iam_session_context')).toEqual({});
    });

    it('attaches each cluster\'s session policy to the operators\' roles', () => {
      for (const prefix of ['PrimaryCluster_', 'DrCluster_']) {
        expect(one('aws_iam_role_policy_attachment', `${prefix}SessionManager`).body.role).toBe('vault-operators');
      }
    });
  });

  describe('alarms', () => {
    const alarms = (s: Synthesized) => Object.values(s.resources('aws_cloudwatch_metric_alarm'));
    const topic = (region: string) => `arn:aws:sns:${region}:${ACCOUNT}:vault-dr-alerts`;

    it('has every alarm of the issue, each notifying the alarm topic of its own region', () => {
      expect(alarms(synth).map((a) => [a.alarm_name, a.provider, a.alarm_actions, a.ok_actions]).sort()).toEqual([
        ['dr-functions-erroring-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        // About the pair, from the functions' (DR) region, on the watchdog's metrics.
        ['dr-no-active-primary-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-replication-lag-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-secondary-not-streaming-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-token-expiring-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-token-generator-failing-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-token-not-refreshed-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-watchdog-failover-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['dr-watchdog-not-reporting-test-main', undefined, [topic('us-west-2')], [topic('us-west-2')]],
        ['vault-test-use1-audit-failures', 'aws.primary', [topic('us-east-1')], [topic('us-east-1')]],
        ['vault-test-use1-healthy-nodes-below-quorum', 'aws.primary', [topic('us-east-1')], [topic('us-east-1')]],
        ['vault-test-use1-leadership-changes', 'aws.primary', [topic('us-east-1')], [topic('us-east-1')]],
        // Each region's snapshot bucket: the DR region's outlives the primary's.
        ['vault-test-use1-no-snapshot', 'aws.primary', [topic('us-east-1')], [topic('us-east-1')]],
        ['vault-test-use1-node-sealed', 'aws.primary', [topic('us-east-1')], [topic('us-east-1')]],
        ['vault-test-usw2-audit-failures', 'aws.dr', [topic('us-west-2')], [topic('us-west-2')]],
        ['vault-test-usw2-healthy-nodes-below-quorum', 'aws.dr', [topic('us-west-2')], [topic('us-west-2')]],
        ['vault-test-usw2-leadership-changes', 'aws.dr', [topic('us-west-2')], [topic('us-west-2')]],
        ['vault-test-usw2-no-snapshot', 'aws.dr', [topic('us-west-2')], [topic('us-west-2')]],
        ['vault-test-usw2-node-sealed', 'aws.dr', [topic('us-west-2')], [topic('us-west-2')]],
      ]);
    });

    it("the watchdog pages the functions' region copy of the topic, and runs in the mode the environment gives", () => {
      const watchdog = (s: Synthesized) => s.resource('aws_lambda_function', (f) => String(f.function_name).startsWith('dr-watchdog-')).body.environment.variables;
      expect(watchdog(synth)).toMatchObject({ WATCHDOG_MODE: 'notify', WATCHDOG_PAGE_TOPIC_ARN: topic('us-west-2') });
      expect(watchdog(variant)).toMatchObject({ WATCHDOG_MODE: 'auto', WATCHDOG_WINDOW_MS: '180000' });
      expect(watchdog(variant)).not.toHaveProperty('WATCHDOG_PAGE_TOPIC_ARN');
    });

    it('watch each cluster\'s own API target group', () => {
      for (const prefix of ['PrimaryCluster_', 'DrCluster_']) {
        const alarm = one('aws_cloudwatch_metric_alarm', `${prefix}QuorumAlarm`).body;
        const targetGroup = Object.entries(synth.resources('aws_lb_target_group')).find(([id]) => id.startsWith(`${prefix}LoadBalancer_ApiTargetGroup`))!;
        expect(alarm.dimensions.TargetGroup).toBe(ref('aws_lb_target_group', targetGroup[0], 'arn_suffix'));
        expect(alarm).toMatchObject({ metric_name: 'HealthyHostCount', threshold: 3, comparison_operator: 'LessThanThreshold' });
      }
    });

    it('only change state when no topic is given', () => {
      expect(alarms(variant)).toHaveLength(19);
      for (const alarm of alarms(variant)) expect(alarm.alarm_actions ?? []).toEqual([]);
    });

    it('move the topic ARN to each region', () => {
      expect(alarmTopicIn('arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts', 'us-gov-east-1')).toBe('arn:aws-us-gov:sns:us-gov-east-1:123456789012:alerts');
    });
  });

  describe('validation', () => {
    it.each([
      ['both clusters in one region', { drCluster: clusterSettings('use1b', 'us-east-1', '10.1') }, 'VaultDrStack prop "drCluster.region"'],
      ['two clusters with one name', { drCluster: clusterSettings('use1', 'us-west-2', '10.1') }, 'VaultDrStack prop "drCluster.name"'],
      ['an alarm topic that is no SNS ARN', { alarmTopicArn: 'vault-dr-alerts' }, 'VaultDrStack prop "alarmTopicArn"'],
      [
        'functions without security groups',
        { drFunctionsNetwork: { subnetIds: ['subnet-1'], securityGroupIds: [], subnetCidrs: ['10.1.0.0/24'] } },
        'VaultDrStack prop "drFunctionsNetwork.securityGroupIds"',
      ],
      [
        'a node subnet without its CIDR',
        { drCluster: { ...clusterSettings('usw2', 'us-west-2', '10.1'), subnets: [{ subnetId: 'subnet-x', availabilityZone: 'us-west-2a' }] } },
        'VaultDrStack prop "drCluster.subnets[0].cidrBlock"',
      ],
      ['no key administrator', { keyAdministratorArns: [] }, 'VaultDrStack prop "keyAdministratorArns"'],
    ])('refuses %s', (_case, overrides, message) => {
      expect(() => new VaultDrStack(testApp(), stackProps(overrides as Partial<VaultDrStackProps>))).toThrow(message);
    });
  });

  it('passes the DR automation settings through', () => {
    expect(variant.resource('aws_scheduler_schedule', (b) => String(b.name).startsWith('dr-token-refresh-')).body.schedule_expression).toBe('rate(30 minutes)');
    for (const [id, group] of Object.entries(variant.resources('aws_cloudwatch_log_group'))) {
      if (id.startsWith('DrAutomation_')) expect(group.retention_in_days).toBe(400);
    }
  });

  it('exposes its providers and clusters', () => {
    expect(stack.primaryRegionProvider.alias).toBe('primary');
    expect(stack.drRegionProvider.alias).toBe('dr');
    expect(stack.functionsRegionProvider.alias).toBeUndefined();
    expect(stack.primaryCluster.name).toBe(CLUSTERS.primary.name);
    expect(stack.drCluster.clusterAddress).toBe(`https://${CLUSTERS.dr.fqdn}:8201`);
  });
});

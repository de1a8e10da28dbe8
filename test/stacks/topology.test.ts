/**
 * A stack with performance secondaries: the primary (use1, 10.0) and its DR secondary (usw2, 10.1);
 * a performance secondary euw1 (10.2) with its own DR secondary euc1 (10.3); a performance
 * secondary apse2 (10.4) alone. The expectations are written from the replication model
 * (docs/topology.md: who replicates with whom, in every state DR failovers can reach), not read
 * from the code.
 */
import { VaultDrStack } from '../../stacks/vault-dr-stack';
import type { PerformanceSecondarySettings, VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { PropsValidationError } from '../../modules';
import { HOSTED_ZONE_ID, PERFORMANCE_OPERATIONS_POLICY_HCL, VAULT_ADDRESS } from '../modules/support/dr-automation-fixtures';
import { type Block, ref, synthesizeStack, type Synthesized, testApp } from '../modules/support/synthesized';
import { ACCOUNT, clusterSettings, FUNCTION_SUBNET_CIDRS, FUNCTIONS_SG, stackProps } from './support/stack-props';

const NEAREST = 'https://vault-test-near.example.com:8200';
const EUW1_PAIR = 'https://vault-test-euw1-pair.example.com:8200';
const PERFORMANCE: PerformanceSecondarySettings[] = [
  { cluster: clusterSettings('euw1', 'eu-west-1', '10.2'), drCluster: clusterSettings('euc1', 'eu-central-1', '10.3'), vaultAddress: EUW1_PAIR },
  { cluster: clusterSettings('apse2', 'ap-southeast-2', '10.4') },
];
const threeRegions = (overrides: Partial<VaultDrStackProps> = {}) => stackProps({ performanceSecondaries: PERFORMANCE, nearestVaultAddress: NEAREST, ...overrides });

/** Construct id prefix of each cluster's resources. */
const PREFIX: Record<string, string> = {
  use1: 'PrimaryCluster_',
  usw2: 'DrCluster_',
  euw1: 'PerformanceCluster-euw1_',
  euc1: 'PerformanceCluster-euc1_',
  apse2: 'PerformanceCluster-apse2_',
};
const NET: Record<string, string> = { use1: '10.0', usw2: '10.1', euw1: '10.2', euc1: '10.3', apse2: '10.4' };
/** Who replicates with whom (8201 both ways), from the model. */
const PEERS: Record<string, string[]> = {
  use1: ['usw2', 'euw1', 'euc1', 'apse2'],
  usw2: ['use1', 'euw1', 'euc1', 'apse2'],
  euw1: ['use1', 'usw2', 'euc1'],
  euc1: ['use1', 'usw2', 'euw1'],
  apse2: ['use1', 'usw2'],
};
const subnetsOf = (cluster: string) => [0, 16, 32].map((third) => `${NET[cluster]}.${third}.0/20`);

function problemsOf(props: VaultDrStackProps): string[] {
  try {
    new VaultDrStack(testApp(), props);
  } catch (error) {
    if (!(error instanceof PropsValidationError)) throw error;
    return error.problems.map((p) => `${p.prop}: ${p.problem}`);
  }
  return [];
}

describe('VaultDrStack with performance secondaries', () => {
  let stack: VaultDrStack;
  let synth: Synthesized;
  beforeAll(() => {
    stack = new VaultDrStack(testApp(), threeRegions());
    synth = synthesizeStack(stack);
  });
  const byIdPrefix = (type: string, prefix: string) => Object.entries(synth.resources(type)).filter(([id]) => id.startsWith(prefix));
  const records = () => Object.values(synth.resources('aws_route53_record'));

  describe('clusters', () => {
    it('builds five VaultClusters, each in its own region through its own aliased provider', () => {
      const aws = (synth.doc.provider.aws as Block[]).filter((p) => p.alias !== undefined).map((p) => [p.alias, p.region]);
      expect(aws).toEqual([
        ['primary', 'us-east-1'],
        ['dr', 'us-west-2'],
        ['perf-euw1', 'eu-west-1'],
        ['perf-euc1', 'eu-central-1'],
        ['perf-apse2', 'ap-southeast-2'],
      ]);
      const groups = Object.values(synth.resources('aws_autoscaling_group')).map((g) => [g.name, g.provider, g.desired_capacity]);
      expect(groups.sort()).toEqual([
        ['vault-test-apse2', 'aws.perf-apse2', 5],
        ['vault-test-euc1', 'aws.perf-euc1', 5],
        ['vault-test-euw1', 'aws.perf-euw1', 5],
        ['vault-test-use1', 'aws.primary', 5],
        ['vault-test-usw2', 'aws.dr', 5],
      ]);
    });

    it('creates every resource of a performance cluster and its snapshot bucket with that cluster\'s provider', () => {
      for (const name of ['euw1', 'euc1', 'apse2']) {
        const all = Object.entries(synth.doc.resource as Record<string, Record<string, Block>>).flatMap(([, byId]) =>
          Object.entries(byId).filter(([id]) => id.startsWith(`PerformanceCluster-${name}_`) || id.startsWith(`PerformanceSnapshotBucket-${name}_`)),
        );
        expect(all.length).toBeGreaterThan(30);
        expect([...new Set(all.map(([, body]) => body.provider))]).toEqual([`aws.perf-${name}`]);
      }
    });

    it('gives each performance cluster its own DNS name (an alias to its own load balancer) and its alarms, notifying its region\'s topic', () => {
      for (const name of ['euw1', 'euc1', 'apse2']) {
        const [[lbId]] = byIdPrefix('aws_lb', PREFIX[name]!) as [[string, Block]];
        const own = records().filter((r) => r.name === `vault-test-${name}.example.com`);
        expect(own).toEqual([expect.objectContaining({ type: 'A', alias: expect.objectContaining({ name: ref('aws_lb', lbId, 'dns_name') }) })]);
        const alarms = byIdPrefix('aws_cloudwatch_metric_alarm', PREFIX[name]!).map(([, a]) => a);
        expect(alarms.length).toBeGreaterThanOrEqual(4);
        const region = threeRegions().performanceSecondaries!.flatMap((s) => [s.cluster, s.drCluster]).find((c) => c?.name === name)!.region;
        for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([`arn:aws:sns:${region}:${ACCOUNT}:vault-dr-alerts`]);
      }
    });

    it('exposes the groups: the performance secondary, its DR secondary and the address its clients use', () => {
      expect(stack.performanceSecondaries.map((g) => [g.cluster.endpoint.name, g.drCluster?.endpoint.name, g.address])).toEqual([
        ['vault-test-euw1', 'vault-test-euc1', EUW1_PAIR],
        ['vault-test-apse2', undefined, 'https://vault-test-apse2.example.com:8200'],
      ]);
      expect(stack.performanceSecondaries[0]!.endpoint?.recordName).toBe('vault-test-euw1-pair.example.com');
    });
  });

  describe('port 8201 (and 8200 for activation): open only between clusters that replicate', () => {
    /** `<cidr> <port>` of every peer rule of a cluster's group, one direction. */
    const peerRules = (cluster: string, group: 'Nodes' | 'LoadBalancer', direction: 'ingress' | 'egress') =>
      byIdPrefix(`aws_vpc_security_group_${direction}_rule`, `${PREFIX[cluster]}SecurityGroups_${group}_${direction === 'ingress' ? 'In' : 'Out'}Peer`)
        .map(([, r]) => `${r.cidr_ipv4} ${r.from_port}-${r.to_port}`)
        .sort();
    const expected = (cluster: string) => PEERS[cluster]!.flatMap(subnetsOf).flatMap((cidr) => [`${cidr} 8200-8200`, `${cidr} 8201-8201`]).sort();

    it.each(Object.keys(PEERS))('%s: nodes in and out, and its load balancer in, exactly its peers\' node subnets', (cluster) => {
      expect(peerRules(cluster, 'Nodes', 'ingress')).toEqual(expected(cluster));
      expect(peerRules(cluster, 'Nodes', 'egress')).toEqual(expected(cluster));
      expect(peerRules(cluster, 'LoadBalancer', 'ingress')).toEqual(expected(cluster));
    });

    it('never lets two performance secondaries (or one and another\'s DR secondary) reach each other on 8201', () => {
      const all = [...Object.entries(synth.resources('aws_vpc_security_group_ingress_rule')), ...Object.entries(synth.resources('aws_vpc_security_group_egress_rule'))];
      const on8201 = (cluster: string, net: string) => all.filter(([id, r]) => id.startsWith(PREFIX[cluster]!) && r.from_port <= 8201 && r.to_port >= 8201 && String(r.cidr_ipv4).startsWith(`${net}.`));
      expect(on8201('apse2', '10.2')).toEqual([]);
      expect(on8201('apse2', '10.3')).toEqual([]);
      expect(on8201('euw1', '10.4')).toEqual([]);
      expect(on8201('euc1', '10.4')).toEqual([]);
    });

    it('never opens 8201 to a whole VPC, or to anything but a peer\'s node subnet or the cluster\'s own groups', () => {
      const allowed = new Set(Object.values(NET).flatMap((net) => [0, 16, 32].map((third) => `${net}.${third}.0/20`)));
      const all = [...Object.values(synth.resources('aws_vpc_security_group_ingress_rule')), ...Object.values(synth.resources('aws_vpc_security_group_egress_rule'))];
      const wide = all.filter((r) => r.from_port <= 8201 && r.to_port >= 8201 && r.referenced_security_group_id === undefined && !allowed.has(r.cidr_ipv4));
      expect(wide).toEqual([]);
    });

    /** `<cidr or security group> <from>-<to>` of every client rule of a cluster's group. */
    const clientRules = (s: Synthesized, cluster: string, group: 'Nodes' | 'LoadBalancer') =>
      Object.entries(s.resources('aws_vpc_security_group_ingress_rule'))
        .filter(([id]) => id.startsWith(`${PREFIX[cluster]}SecurityGroups_${group}_InClient`))
        .map(([, r]) => `${r.cidr_ipv4 ?? r.referenced_security_group_id} ${r.from_port}-${r.to_port}`)
        .sort();
    const own = (cluster: string) => `${NET[cluster]}.100.0/24 8200-8200`;
    const functionCidrs = FUNCTION_SUBNET_CIDRS.map((c) => `${c} 8200-8200`);

    it.each(['Nodes', 'LoadBalancer'] as const)(
      'lets the DR functions (in the DR region) reach each performance secondary they call on 8200 through their subnets\' CIDRs, and nothing more: %s',
      (group) => {
        expect(clientRules(synth, 'euw1', group)).toEqual([own('euw1'), ...functionCidrs].sort());
        expect(clientRules(synth, 'apse2', group)).toEqual([own('apse2'), ...functionCidrs].sort());
      },
    );

    it.each(['Nodes', 'LoadBalancer'] as const)('keeps the DR functions out of a performance secondary\'s DR secondary, which they never call: %s', (group) => {
      expect(clientRules(synth, 'euc1', group)).toEqual([own('euc1')]);
    });

    it('lets them in by security group when the performance secondary shares their region, and by CIDR elsewhere', () => {
      const inEuw1 = synthesizeStack(new VaultDrStack(testApp(), threeRegions({ functionsRegion: 'eu-west-1' })));
      expect(clientRules(inEuw1, 'euw1', 'Nodes')).toEqual([own('euw1'), `${FUNCTIONS_SG} 8200-8200`].sort());
      expect(clientRules(inEuw1, 'apse2', 'Nodes')).toEqual([own('apse2'), ...functionCidrs].sort());
      expect(clientRules(inEuw1, 'euc1', 'Nodes')).toEqual([own('euc1')]);
    });
  });

  describe('DNS', () => {
    it('keeps the weighted high-level name exactly as it is: two records, 255 on the primary and 0 on the DR cluster', () => {
      const high = records().filter((r) => r.name === 'vault-test.example.com');
      expect(high.map((r) => [r.set_identifier, r.records, r.weighted_routing_policy, r.type, r.ttl]).sort()).toEqual([
        ['vault-test-use1', ['vault-test-use1.example.com'], { weight: 255 }, 'CNAME', 10],
        ['vault-test-usw2', ['vault-test-usw2.example.com'], { weight: 0 }, 'CNAME', 10],
      ]);
    });

    it('gives the performance secondary with a DR secondary a weighted pair name of its own: 255 on it, 0 on its DR secondary, weights left to the DNS switch', () => {
      const pair = records().filter((r) => r.name === 'vault-test-euw1-pair.example.com');
      expect(pair.map((r) => [r.set_identifier, r.records, r.weighted_routing_policy.weight, r.lifecycle]).sort()).toEqual([
        ['vault-test-euc1', ['vault-test-euc1.example.com'], 0, { ignore_changes: ['weighted_routing_policy'] }],
        ['vault-test-euw1', ['vault-test-euw1.example.com'], 255, { ignore_changes: ['weighted_routing_policy'] }],
      ]);
      expect(records().filter((r) => r.name === 'vault-test-apse2-pair.example.com')).toEqual([]);
    });

    it('sends each client to the nearest serving group: one latency record per group, the primary pair\'s at the weighted high-level name', () => {
      const near = records().filter((r) => r.name === 'vault-test-near.example.com');
      expect(near.map((r) => [r.set_identifier, r.latency_routing_policy.region, r.records, r.type, r.ttl, r.zone_id]).sort()).toEqual([
        ['vault-test-apse2', 'ap-southeast-2', ['vault-test-apse2.example.com'], 'CNAME', 10, HOSTED_ZONE_ID],
        ['vault-test-euw1', 'eu-west-1', ['vault-test-euw1-pair.example.com'], 'CNAME', 10, HOSTED_ZONE_ID],
        ['vault-test-use1', 'us-east-1', [new URL(VAULT_ADDRESS).hostname], 'CNAME', 10, HOSTED_ZONE_ID],
      ]);
      for (const r of near) expect(r.provider).toBeUndefined();
    });
  });

  describe('snapshots', () => {
    const bucketRef = (name: string) => ref('aws_s3_bucket', byIdPrefix('aws_s3_bucket', `PerformanceSnapshotBucket-${name}_SnapshotBucket_`)[0]![0], 'arn');

    it('gives each performance cluster a snapshot bucket in its region', () => {
      for (const name of ['euw1', 'euc1', 'apse2']) {
        const [[, bucket]] = byIdPrefix('aws_s3_bucket', `PerformanceSnapshotBucket-${name}_SnapshotBucket_`) as [[string, Block]];
        expect(bucket.bucket).toMatch(new RegExp(`^vault-test-${name}-snapshots-`));
        expect(bucket.provider).toBe(`aws.perf-${name}`);
      }
    });

    it('lets a performance pair\'s nodes write both of its buckets and nothing of the primary pair\'s; a lone performance secondary its own', () => {
      const writable = (cluster: string) => {
        const [[, policy]] = byIdPrefix('aws_iam_role_policy', `${PREFIX[cluster]}NodePolicy`) as [[string, Block]];
        return (JSON.parse(policy.policy).Statement as Block[]).find((s) => s.Sid === 'SnapshotBuckets')!.Resource;
      };
      expect(writable('euw1')).toEqual([bucketRef('euw1'), bucketRef('euc1')]);
      expect(writable('euc1')).toEqual([bucketRef('euw1'), bucketRef('euc1')]);
      expect(writable('apse2')).toEqual([bucketRef('apse2')]);
    });

    it('writes no snapshot configuration to a performance secondary through Terraform (its own, written by the runbook), and keeps the primary pair\'s two', () => {
      expect(Object.values(synth.resources('vault_raft_snapshot_agent_config')).map((c) => c.name)).toEqual(['test-use1', 'test-usw2']);
    });
  });

  describe('the DR automation', () => {
    it('keeps VAULT_CLUSTERS to the DR pair: the performance secondaries are no DR cluster', () => {
      for (const fn of Object.values(synth.resources('aws_lambda_function'))) {
        const clusters = fn.environment?.variables?.VAULT_CLUSTERS;
        if (clusters !== undefined) expect(JSON.parse(clusters).map((c: Block) => c.name)).toEqual(['vault-test-use1', 'vault-test-usw2']);
      }
    });

    it('gives dr-operations each performance secondary by its own name and address (not its pair name), with its cluster port', () => {
      const operations = synth.resource('aws_lambda_function', (f) => f.function_name === 'dr-operations-test-main').body;
      expect(JSON.parse(operations.environment.variables.VAULT_PERFORMANCE_SECONDARIES)).toEqual([
        { name: 'vault-test-euw1', address: 'https://vault-test-euw1.example.com:8200', clusterAddress: 'https://vault-test-euw1.example.com:8201' },
        { name: 'vault-test-apse2', address: 'https://vault-test-apse2.example.com:8200', clusterAddress: 'https://vault-test-apse2.example.com:8201' },
      ]);
      // The same names as their records in the nearest name (and as their clusters' resources).
      const nearest = records().filter((r) => r.name === 'vault-test-near.example.com').map((r) => r.set_identifier);
      expect(nearest).toEqual(expect.arrayContaining(['vault-test-euw1', 'vault-test-apse2']));
      for (const fn of Object.values(synth.resources('aws_lambda_function')).filter((f) => f.function_name !== 'dr-operations-test-main')) {
        expect(fn.environment.variables).not.toHaveProperty('VAULT_PERFORMANCE_SECONDARIES');
      }
    });

    it('gives dr-operations\' login the performance operations policy, by exact path, as a third policy', () => {
      const policy = synth.resource('vault_policy', (p) => p.name === 'dr-perf-ops-test-main');
      expect(policy.body.policy).toBe(PERFORMANCE_OPERATIONS_POLICY_HCL);
      const login = synth.resource('vault_aws_auth_backend_role', (r) => r.role === 'dr-operations-test-main').body;
      expect(login.token_policies).toHaveLength(3);
      expect(login.token_policies[2]).toBe(ref('vault_policy', policy.id, 'name'));
      expect(stack.drAutomation.vaultObjectNames.performanceOperationsPolicy).toBe('dr-perf-ops-test-main');
    });

    it('two clusters: no performance policy at all, and the login keeps its two', () => {
      const two = new VaultDrStack(testApp(), stackProps());
      const twoSynth = synthesizeStack(two);
      expect(Object.values(twoSynth.resources('vault_policy')).map((p) => p.name)).not.toContain('dr-perf-ops-test-main');
      expect(twoSynth.resource('vault_aws_auth_backend_role', (r) => r.role === 'dr-operations-test-main').body.token_policies).toHaveLength(2);
      expect(two.drAutomation.vaultObjectNames.performanceOperationsPolicy).toBeUndefined();
      expect(twoSynth.resource('aws_lambda_function', (f) => f.function_name === 'dr-operations-test-main').body.environment.variables).not.toHaveProperty('VAULT_PERFORMANCE_SECONDARIES');
      expect(two.performanceSecondaries).toEqual([]);
      expect(two.nearestEndpoint).toBeUndefined();
      expect(Object.values(twoSynth.resources('aws_route53_record')).filter((r) => r.latency_routing_policy !== undefined)).toEqual([]);
    });
  });

  describe('validation, through the stack', () => {
    it('refuses a pair name missing with a DR secondary, and one given without', () => {
      const { vaultAddress: _, ...withoutName } = PERFORMANCE[0]!;
      expect(problemsOf(threeRegions({ performanceSecondaries: [withoutName] }))).toEqual([
        'performanceSecondaries[0].vaultAddress: is required with performanceSecondaries[0].drCluster: the name of that DR pair (weighted 255 on euw1, 0 on euc1), as vaultAddress is the primary pair\'s',
      ]);
      expect(problemsOf(threeRegions({ performanceSecondaries: [{ ...PERFORMANCE[1]!, vaultAddress: 'https://vault-test-apse2-pair.example.com:8200' }] }))).toEqual([
        expect.stringMatching(/^performanceSecondaries\[0\]\.vaultAddress: is set without performanceSecondaries\[0\]\.drCluster/),
      ]);
    });

    it('refuses a pair name or nearest name that is another name\'s host', () => {
      expect(problemsOf(threeRegions({ nearestVaultAddress: VAULT_ADDRESS }))).toEqual([
        'nearestVaultAddress: names the host vault-test.example.com, which vaultAddress has: each name needs a host of its own',
      ]);
      expect(problemsOf(threeRegions({ nearestVaultAddress: EUW1_PAIR }))).toEqual([
        'nearestVaultAddress: names the host vault-test-euw1-pair.example.com, which performanceSecondaries[0].vaultAddress has: each name needs a host of its own',
      ]);
    });

    it('requires the nearest name with performance secondaries and refuses it without', () => {
      expect(problemsOf(threeRegions({ nearestVaultAddress: undefined }))).toEqual([expect.stringMatching(/^nearestVaultAddress: is required with performanceSecondaries/)]);
      expect(problemsOf(stackProps({ nearestVaultAddress: NEAREST }))).toEqual([expect.stringMatching(/^nearestVaultAddress: is set without performanceSecondaries/)]);
    });

    it('refuses a performance node subnet without its CIDR', () => {
      const cluster = clusterSettings('apse2', 'ap-southeast-2', '10.4');
      const subnets = cluster.subnets.map((s, i) => (i === 1 ? { subnetId: s.subnetId, availabilityZone: s.availabilityZone } : s));
      expect(problemsOf(threeRegions({ performanceSecondaries: [PERFORMANCE[0]!, { cluster: { ...cluster, subnets } }] }))).toEqual([
        expect.stringMatching(/^performanceSecondaries\[1\]\.cluster\.subnets\[1\]\.cidrBlock: is required/),
      ]);
    });

    it('reports the topology\'s rules with the stack\'s prop names: a performance secondary in the DR region, overlapping networks', () => {
      expect(problemsOf(threeRegions({ performanceSecondaries: [{ cluster: clusterSettings('usw2b', 'us-west-2', '10.4') }] }))).toEqual([
        expect.stringMatching(/^performanceSecondaries\[0\]\.cluster\.region: is the region of drCluster too \("us-west-2"\)/),
      ]);
      expect(problemsOf(threeRegions({ performanceSecondaries: [{ cluster: clusterSettings('apse2', 'ap-southeast-2', '10.0') }] }))).toEqual([
        expect.stringMatching(/^performanceSecondaries\[0\]\.cluster: has the network 10\.0\.0\.0\/16, which overlaps 10\.0\.0\.0\/16 of primaryCluster/),
      ]);
    });

    it('refuses two clusters with one name across the topology', () => {
      expect(problemsOf(threeRegions({ performanceSecondaries: [{ cluster: clusterSettings('use1', 'eu-west-1', '10.2') }] }))).toEqual([
        expect.stringMatching(/^performanceSecondaries\[0\]\.cluster\.name: "use1" is also the name of primaryCluster/),
      ]);
    });
  });
});

import { checkVaultTopology, cidrsOverlap } from '../../../modules/vault-topology';
import { MAX_PERFORMANCE_SECONDARIES, PropsValidationError, replicatesWith, replicationPeers, topologyMembers, validateVaultTopology, type VaultTopology } from '../../../modules';
import { PropsValidation } from '../../../modules/shared/validation';
import { testStack } from '../support/synthesized';

const cluster = (name: string, region: string, net: string) => ({ name, region, cidrs: [`${net}.0.0/16`, `${net}.0.0/20`] });

/** Primary in us-east-1, DR in us-west-2, a performance secondary in eu-west-1 with its DR in eu-central-1, another in ap-southeast-2 alone. */
const full = (): VaultTopology => ({
  primary: cluster('use1', 'us-east-1', '10.0'),
  dr: cluster('usw2', 'us-west-2', '10.1'),
  performanceSecondaries: [
    { cluster: cluster('euw1', 'eu-west-1', '10.2'), drCluster: cluster('euc1', 'eu-central-1', '10.3') },
    { cluster: cluster('apse2', 'ap-southeast-2', '10.4') },
  ],
});

/** The problems checkVaultTopology records, as `prop: problem` lines (none: []). */
function problems(topology: VaultTopology): string[] {
  const v = new PropsValidation(testStack(), 'Test');
  const ok = checkVaultTopology(v, topology, { primary: 'primaryCluster', dr: 'drCluster' });
  try {
    v.throwIfInvalid();
  } catch (error) {
    expect(ok).toBe(false);
    return (error as PropsValidationError).problems.map((p) => `${p.prop}: ${p.problem}`);
  }
  expect(ok).toBe(true);
  return [];
}

describe('replication pairs: who must let whom in on 8201', () => {
  // Written from the replication model (docs/topology.md), not from the code: the primary pair
  // replicate; each performance cluster replicates with both clusters of the primary pair (it
  // follows whichever is primary, its DR secondary once promoted too); a performance secondary and
  // its own DR secondary replicate; nothing else.
  const expected: Record<string, string[]> = {
    use1: ['usw2', 'euw1', 'euc1', 'apse2'],
    usw2: ['use1', 'euw1', 'euc1', 'apse2'],
    euw1: ['use1', 'usw2', 'euc1'],
    euc1: ['use1', 'usw2', 'euw1'],
    apse2: ['use1', 'usw2'],
  };

  it.each(Object.entries(expected))('%s replicates with exactly %j', (name, peers) => {
    expect(replicationPeers(full(), name)).toEqual(peers);
  });

  it('is symmetric and never pairs a cluster with itself', () => {
    const members = topologyMembers(full());
    for (const a of members) {
      expect(replicatesWith(a, a)).toBe(false);
      for (const b of members) expect(replicatesWith(a, b)).toBe(replicatesWith(b, a));
    }
  });

  it('two clusters: the primary and the DR secondary, each other only', () => {
    const two = { primary: cluster('use1', 'us-east-1', '10.0'), dr: cluster('usw2', 'us-west-2', '10.1') };
    expect(replicationPeers(two, 'use1')).toEqual(['usw2']);
    expect(replicationPeers(two, 'usw2')).toEqual(['use1']);
    expect(() => replicationPeers(two, 'euw1')).toThrow('no cluster named "euw1"');
  });

  it('lists the members with their roles, each performance DR secondary after its performance secondary', () => {
    expect(topologyMembers(full()).map((m) => [m.cluster.name, m.role, m.group])).toEqual([
      ['use1', 'primary', undefined],
      ['usw2', 'dr', undefined],
      ['euw1', 'performance-secondary', 0],
      ['euc1', 'performance-dr', 0],
      ['apse2', 'performance-secondary', 1],
    ]);
  });
});

describe('checkVaultTopology: one rule, one passing and one failing case each', () => {
  it('accepts two clusters, and the full topology', () => {
    const { performanceSecondaries: _, ...two } = full();
    expect(problems(two)).toEqual([]);
    expect(problems(full())).toEqual([]);
  });

  it('refuses two clusters with one name, naming the second and the first', () => {
    const t = full();
    const dup = { ...t, performanceSecondaries: [{ cluster: { ...t.performanceSecondaries![0]!.cluster, name: 'usw2' } }] };
    expect(problems(dup)).toEqual([
      'performanceSecondaries[0].cluster.name: "usw2" is also the name of drCluster: every cluster needs a name of its own (it names the cluster\'s resources, DNS record and record set identifier)',
    ]);
  });

  it('refuses a DR cluster in the primary\'s region', () => {
    expect(problems({ ...full(), dr: cluster('use1b', 'us-east-1', '10.1') })).toEqual([
      'drCluster.region: is the primary\'s region too ("us-east-1"): the DR cluster must be in another region to survive the loss of the primary\'s',
    ]);
  });

  it.each([
    ['the primary', 'us-east-1', 'primaryCluster'],
    ['the DR cluster', 'us-west-2', 'drCluster'],
    ['another performance secondary', 'eu-west-1', 'performanceSecondaries[0].cluster'],
  ])('refuses a performance secondary in the region of %s', (_, region, owner) => {
    const t = full();
    const bad = { ...t, performanceSecondaries: [t.performanceSecondaries![0]!, { cluster: cluster('apse2', region, '10.4') }] };
    const found = problems(bad);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^performanceSecondaries\\[1\\]\\.cluster\\.region: is the region of ${owner.replace(/[[\].]/g, '\\$&')} too \\("${region}"\\): .*put it in a region of its own$`));
  });

  it('accepts a performance secondary in the region of another one\'s DR secondary (that region has no serving cluster)', () => {
    const t = full();
    const ok = { ...t, performanceSecondaries: [t.performanceSecondaries![0]!, { cluster: cluster('apse2', 'eu-central-1', '10.4') }] };
    expect(problems(ok)).toEqual([]);
  });

  it('refuses a performance secondary\'s DR secondary in its own region', () => {
    const t = full();
    const bad = { ...t, performanceSecondaries: [{ cluster: t.performanceSecondaries![0]!.cluster, drCluster: cluster('euw1b', 'eu-west-1', '10.3') }] };
    expect(problems(bad)).toEqual([
      'performanceSecondaries[0].drCluster.region: is its performance secondary\'s region too ("eu-west-1"): its DR secondary must be in another region to survive the loss of that one',
    ]);
  });

  it('refuses a region that does not exist', () => {
    const t = full();
    expect(problems({ ...t, performanceSecondaries: [{ cluster: cluster('mars', 'mars-north-1', '10.2') }] })).toEqual([
      expect.stringMatching(/^performanceSecondaries\[0\]\.cluster\.region: must be an AWS region/),
    ]);
  });

  it(`accepts ${MAX_PERFORMANCE_SECONDARIES} performance secondaries and refuses one more, saying why`, () => {
    const regions = ['eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
    const many = (n: number): VaultTopology => ({ ...full(), performanceSecondaries: regions.slice(0, n).map((region, i) => ({ cluster: cluster(`p${i}`, region, `10.${10 + i}`) })) });
    expect(MAX_PERFORMANCE_SECONDARIES).toBe(4);
    expect(problems(many(4))).toEqual([]);
    expect(problems(many(5))).toEqual([expect.stringMatching(/^performanceSecondaries: lists 5 performance secondaries; at most 4 fit: .*60 inbound rules per security group/)]);
  });

  it('refuses overlapping networks between clusters that replicate: primary and DR, primary and a performance secondary, a performance secondary and its DR secondary', () => {
    const t = full();
    expect(problems({ ...t, dr: cluster('usw2', 'us-west-2', '10.0') })).toEqual([
      expect.stringMatching(/^drCluster: has the network 10\.0\.0\.0\/16, which overlaps 10\.0\.0\.0\/16 of primaryCluster: the two clusters replicate \(port 8201\)/),
    ]);
    const perfOverlapsPrimary = { ...t, performanceSecondaries: [{ cluster: { name: 'euw1', region: 'eu-west-1', cidrs: ['10.0.128.0/24'] } }] };
    expect(problems(perfOverlapsPrimary)).toEqual([expect.stringMatching(/^performanceSecondaries\[0\]\.cluster: has the network 10\.0\.128\.0\/24, which overlaps 10\.0\.0\.0\/16 of primaryCluster/)]);
    const drOverlapsPerf = { ...t, performanceSecondaries: [{ cluster: t.performanceSecondaries![0]!.cluster, drCluster: cluster('euc1', 'eu-central-1', '10.2') }] };
    expect(problems(drOverlapsPerf)).toEqual([
      expect.stringMatching(/^performanceSecondaries\[0\]\.drCluster: has the network 10\.2\.0\.0\/16, which overlaps 10\.2\.0\.0\/16 of performanceSecondaries\[0\]\.cluster/),
    ]);
  });

  it('accepts overlapping networks between two performance secondaries, which never replicate with each other', () => {
    const t = full();
    const ok = { ...t, performanceSecondaries: [{ cluster: cluster('euw1', 'eu-west-1', '10.2') }, { cluster: cluster('apse2', 'ap-southeast-2', '10.2') }] };
    expect(problems(ok)).toEqual([]);
  });
});

describe('validateVaultTopology: for a consumer\'s own stack', () => {
  it('throws one PropsValidationError with every problem, naming the scope, and passes a good topology', () => {
    const stack = testStack();
    expect(() => validateVaultTopology(stack, full())).not.toThrow();
    const bad = { ...full(), dr: cluster('use1', 'us-east-1', '10.0') };
    try {
      validateVaultTopology(stack, bad, {}, 'MyStack');
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(PropsValidationError);
      expect((error as PropsValidationError).message.split('\n')).toEqual([
        expect.stringMatching(/^\[test\] MyStack prop "dr\.name": "use1" is also the name of primary/),
        expect.stringMatching(/^\[test\] MyStack prop "dr\.region": is the primary's region too/),
        expect.stringMatching(/^\[test\] MyStack prop "dr": has the network 10\.0\.0\.0\/16/),
      ]);
    }
  });
});

describe('cidrsOverlap', () => {
  it.each([
    ['10.0.0.0/16', '10.0.255.0/24', true],
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['10.0.0.5/24', '10.0.0.200/32', true],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/48', '2001:db8:1::/48', false],
    ['10.0.0.0/16', '2001:db8::/32', false],
    ['not-a-cidr', '10.0.0.0/16', false],
  ])('%s and %s: %s', (a, b, overlap) => {
    expect(cidrsOverlap(a, b)).toBe(overlap);
    expect(cidrsOverlap(b, a)).toBe(overlap);
  });
});

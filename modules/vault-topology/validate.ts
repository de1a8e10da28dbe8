import type { IConstruct } from 'constructs';
import * as rules from '../shared/rules';
import { PropsValidation } from '../shared/validation';
import { cidrsOverlap } from './cidr-overlap';
import { replicatesWith, topologyMembers, type VaultTopologyMember } from './replication';
import type { VaultTopology } from './types';

/**
 * The most performance secondaries a topology may have. Each cluster lets every node subnet of
 * every cluster it replicates with in on two ports, one security group rule each: with three
 * subnets per cluster, the primary's node group holds 6 rules per peer cluster. Four performance
 * secondaries, each with a DR secondary, make nine peers (54 rules) beside the load balancer, the
 * other nodes and the clients: AWS's default quota of 60 inbound rules per security group
 * ("Inbound or outbound rules per security group") is then nearly used up, and a fifth would not fit.
 */
export const MAX_PERFORMANCE_SECONDARIES = 4;

/** The props that hold each part of the topology, as the caller's props name them. */
export interface VaultTopologyPropNames {
  /** @default 'primary' */
  readonly primary?: string;
  /** @default 'dr' */
  readonly dr?: string;
  /** @default 'performanceSecondaries' */
  readonly performanceSecondaries?: string;
}

/**
 * Checks a topology's shape and records each problem on `v`, naming the prop and the fix:
 * cluster names unique; the DR cluster in another region than the primary; every performance
 * secondary in a region of its own (not the primary's, not its DR secondary's, not another
 * performance secondary's); a performance secondary's DR secondary in another region than it; at
 * most MAX_PERFORMANCE_SECONDARIES; and no two clusters that replicate with overlapping networks.
 * Returns whether the topology passed.
 */
export function checkVaultTopology(v: PropsValidation, topology: VaultTopology, names: VaultTopologyPropNames = {}): boolean {
  const primaryProp = names.primary ?? 'primary';
  const drProp = names.dr ?? 'dr';
  const perfProp = names.performanceSecondaries ?? 'performanceSecondaries';
  const secondaries = topology.performanceSecondaries ?? [];
  if (!Array.isArray(secondaries)) {
    v.report(perfProp, 'must be a list of { cluster, drCluster? } (leave it out for none)');
    return false;
  }
  if (secondaries.length > MAX_PERFORMANCE_SECONDARIES) {
    v.report(
      perfProp,
      `lists ${secondaries.length} performance secondaries; at most ${MAX_PERFORMANCE_SECONDARIES} fit: each adds two security group rules per node subnet to the primary pair's node groups, and AWS allows 60 inbound rules per security group by default. Remove some, or run another primary for the rest`,
    );
  }
  const members = topologyMembers(topology);
  const propOf = (m: VaultTopologyMember): string => {
    if (m.role === 'primary') return primaryProp;
    if (m.role === 'dr') return drProp;
    return `${perfProp}[${m.group}].${m.role === 'performance-secondary' ? 'cluster' : 'drCluster'}`;
  };

  // Names: each names its resources, its DNS record and its set identifier.
  const byName = new Map<string, VaultTopologyMember>();
  for (const m of members) {
    const first = byName.get(m.cluster.name);
    if (first !== undefined) {
      v.report(`${propOf(m)}.name`, `"${m.cluster.name}" is also the name of ${propOf(first)}: every cluster needs a name of its own (it names the cluster's resources, DNS record and record set identifier)`);
    } else byName.set(m.cluster.name, m);
  }

  // Regions.
  for (const m of members) v.check(`${propOf(m)}.region`, m.cluster.region, rules.awsRegion);
  if (topology.primary.region === topology.dr.region) {
    v.report(`${drProp}.region`, `is the primary's region too ("${topology.dr.region}"): the DR cluster must be in another region to survive the loss of the primary's`);
  }
  const performance = members.filter((m) => m.role === 'performance-secondary');
  for (const m of performance) {
    const clash = members.find((other) => other !== m && other.role !== 'performance-dr' && other.cluster.region === m.cluster.region && members.indexOf(other) < members.indexOf(m));
    if (clash !== undefined) {
      v.report(
        `${propOf(m)}.region`,
        `is the region of ${propOf(clash)} too ("${m.cluster.region}"): a performance secondary serves the clients of a region that has no other serving cluster (one latency record per region), and in the primary pair's region it would share that region's fate and add no nearer cluster; put it in a region of its own`,
      );
    }
  }
  for (const m of members.filter((x) => x.role === 'performance-dr')) {
    const secondary = performance.find((p) => p.group === m.group)!;
    if (m.cluster.region === secondary.cluster.region) {
      v.report(`${propOf(m)}.region`, `is its performance secondary's region too ("${m.cluster.region}"): its DR secondary must be in another region to survive the loss of that one`);
    }
  }

  // Networks of the clusters that replicate must route to each other.
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const [a, b] = [members[i]!, members[j]!];
      if (!replicatesWith(a, b)) continue;
      const overlap = a.cluster.cidrs.flatMap((x) => b.cluster.cidrs.filter((y) => cidrsOverlap(x, y)).map((y) => [x, y] as const))[0];
      if (overlap !== undefined) {
        v.report(
          propOf(b),
          `has the network ${overlap[1]}, which overlaps ${overlap[0]} of ${propOf(a)}: the two clusters replicate (port 8201), so their networks must route to each other, and overlapping ranges cannot be peered or routed; give the clusters distinct VPC and subnet CIDRs`,
        );
      }
    }
  }
  return ![primaryProp, drProp, perfProp].some((prop) => v.failed(prop));
}

/**
 * Checks a topology (checkVaultTopology's rules) before anything is created and throws one
 * PropsValidationError listing every problem, each with `scope`'s path and the prop, for a stack
 * that composes its own clusters.
 *
 * @param scope the construct (usually the stack) the errors name
 * @param constructName the name the errors give it
 */
export function validateVaultTopology(scope: IConstruct, topology: VaultTopology, names: VaultTopologyPropNames = {}, constructName = 'VaultTopology'): void {
  const v = new PropsValidation(scope, constructName);
  checkVaultTopology(v, topology, names);
  v.throwIfInvalid();
}

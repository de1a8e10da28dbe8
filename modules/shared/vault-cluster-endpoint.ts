import * as rules from './rules';
import type { PropsValidation } from './validation';

/** One Vault cluster as the DR functions address it (docs/contracts.md, `VAULT_CLUSTERS`). */
export interface VaultClusterEndpoint {
  /**
   * Stable label of the cluster. It is also the Route 53 set identifier of the cluster's weighted
   * record, which is how the DNS switch finds the record to move.
   */
  readonly name: string;
  /** The cluster's own HTTPS URL, e.g. `https://vault-prod-use1.example.com:8200`. */
  readonly address: string;
  /**
   * The cluster port through the cluster's load balancer, e.g. `https://vault-prod-use1.example.com:8201`.
   * The DR operations function sends it as `primary_cluster_addr` when it promotes this cluster, so
   * that the secondary replicates through the load balancer and survives node replacements.
   * @default - Vault advertises the active node's own cluster_addr
   */
  readonly clusterAddress?: string;
  /**
   * AWS region the cluster runs in (`us-east-1`). VaultCluster's `endpoint` fills it when its
   * provider's region is written in the stack. With it the constructs that take both clusters refuse
   * a primary and a DR cluster in one region, and DrAutomation refuses functions in the primary's.
   * @default - unknown: those checks are skipped
   */
  readonly region?: string;
}

/**
 * The two clusters of a DR pair, as deployed. Which one is primary at run time is read from the
 * clusters' own answers; `primary` here only decides the initial DNS weights.
 */
export interface VaultClusterPair {
  /** The cluster that takes the traffic when first deployed (weight 255). */
  readonly primary: VaultClusterEndpoint;
  /** The DR secondary (weight 0 until a failover). */
  readonly dr: VaultClusterEndpoint;
}

/**
 * Checks a cluster pair against the rules every construct that takes one shares: names (the
 * functions' rule), addresses (https, by DNS name, distinct), regions (known, distinct) and, when
 * `vaultAddress` is given, that no cluster is the high-level name itself. Records each problem;
 * returns whether the pair is usable.
 */
export function checkClusterPair(v: PropsValidation, clusters: VaultClusterPair | undefined, vaultAddress?: string): boolean {
  const roles = ['primary', 'dr'] as const;
  for (const role of roles) {
    const cluster = clusters?.[role];
    if (cluster === undefined || cluster === null) {
      v.report(`clusters.${role}`, 'is required: { name, address } of the cluster (a VaultCluster\'s `endpoint`)');
      continue;
    }
    v.check(`clusters.${role}.name`, cluster.name, rules.clusterName);
    if (v.check(`clusters.${role}.address`, cluster.address, rules.httpsAddress) && vaultAddress !== undefined && rules.httpsAddress(vaultAddress) === undefined) {
      if (rules.hostOf(cluster.address) === rules.hostOf(vaultAddress)) {
        v.report(
          `clusters.${role}.address`,
          `names the high-level host ${rules.hostOf(vaultAddress)} (vaultAddress): give the cluster's own name (VaultCluster.address), the one its weighted record points at`,
        );
      }
    }
    if (cluster.clusterAddress !== undefined && v.check(`clusters.${role}.clusterAddress`, cluster.clusterAddress, rules.httpsAddress)) {
      if (cluster.clusterAddress === cluster.address) {
        v.report(`clusters.${role}.clusterAddress`, `must be the cluster port (8201), not the API address ("${cluster.clusterAddress}")`);
      }
    }
    v.optional(`clusters.${role}.region`, cluster.region, rules.awsRegion);
  }
  if (v.failed('clusters')) return false;
  const { primary, dr } = clusters!;
  if (primary.name === dr.name) v.report('clusters.dr.name', `must differ from clusters.primary.name ("${dr.name}")`);
  if (rules.hostOf(primary.address) === rules.hostOf(dr.address)) {
    v.report('clusters.dr.address', `must name another host than clusters.primary.address ("${rules.hostOf(dr.address)}"): each weighted record points at its own cluster`);
  }
  if (primary.region !== undefined && primary.region === dr.region) {
    v.report('clusters.dr.region', `is the primary's region too ("${dr.region}"): the DR cluster must be in another region to survive the loss of the primary's`);
  }
  return !v.failed('clusters');
}

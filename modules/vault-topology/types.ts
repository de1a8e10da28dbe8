/**
 * A replication topology: which Vault clusters exist, where, and which replicate with which. The
 * constructs that build clusters (and a consumer's own stack) derive from it the networks each
 * cluster lets in on Vault's cluster port, and check it before anything is created
 * (`validateVaultTopology`).
 *
 * Facts it follows (docs/topology.md has them with their links): a performance secondary replicates
 * from the performance primary, which is whichever cluster of the primary's DR pair is primary; a
 * performance secondary may have its own DR secondary, which replicates from it and, once promoted,
 * replaces it as the performance secondary of the same primary.
 */

/** One cluster of the topology, as far as the topology rules need it. */
export interface VaultTopologyCluster {
  /** Name of the cluster, unique in the topology (`use1`). */
  readonly name: string;
  /** AWS region of the cluster (`us-east-1`). */
  readonly region: string;
  /**
   * The networks the cluster's nodes and load balancer live in (its VPC CIDRs and node subnets'
   * CIDRs). Two clusters that replicate route to each other, so their networks must not overlap.
   */
  readonly cidrs: readonly string[];
}

/** A performance secondary of the primary, with its own DR secondary if it has one. */
export interface VaultPerformanceSecondaryTopology {
  /** The performance secondary: serves clients near it, forwards writes to the primary. */
  readonly cluster: VaultTopologyCluster;
  /**
   * Its DR secondary, in another region: promoted when the performance secondary's region is lost.
   * @default - none
   */
  readonly drCluster?: VaultTopologyCluster;
}

/** The whole topology: the primary's DR pair and the performance secondaries. */
export interface VaultTopology {
  /** The cluster that is DR (and performance) primary when first deployed. */
  readonly primary: VaultTopologyCluster;
  /** The primary's DR secondary, in another region. */
  readonly dr: VaultTopologyCluster;
  /**
   * Performance secondaries of the primary, each in a region of its own.
   * @default []
   */
  readonly performanceSecondaries?: readonly VaultPerformanceSecondaryTopology[];
}

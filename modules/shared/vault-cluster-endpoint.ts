import { CLUSTER_NAME_PATTERN, CLUSTER_NAME_RULE_TEXT } from '../../functions/shared/settings/clusters';
import { Token } from '../internal/cdktf';
import { PropsValidationError } from './props-validation-error';

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

// One rule for a cluster name, the functions' own (they read it from VAULT_CLUSTERS at run time).

/** The host of an https URL given as a prop, or an error that names the prop. */
export function hostOfHttpsUrl(constructName: string, prop: string, value: string): string {
  if (Token.isUnresolved(value)) {
    throw new PropsValidationError(constructName, prop, 'must be a plain string, not a Terraform reference');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PropsValidationError(constructName, prop, `must be an https URL such as https://vault.example.com:8200 (got "${value}")`);
  }
  if (url.protocol !== 'https:') {
    throw new PropsValidationError(constructName, prop, `must use https: TLS verification is always on (got "${value}")`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new PropsValidationError(constructName, prop, `must be the address of the listener only, without path, query or credentials (got "${value}")`);
  }
  return url.hostname.toLowerCase();
}

/** Checks a cluster pair and returns it unchanged. */
export function validateClusterPair(constructName: string, clusters: VaultClusterPair): VaultClusterPair {
  const seen = new Map<string, string>();
  for (const role of ['primary', 'dr'] as const) {
    const cluster = clusters?.[role];
    if (cluster === undefined || cluster === null) {
      throw new PropsValidationError(constructName, `clusters.${role}`, 'is required');
    }
    if (Token.isUnresolved(cluster.name) || !CLUSTER_NAME_PATTERN.test(cluster.name ?? '')) {
      throw new PropsValidationError(constructName, `clusters.${role}.name`, `must be ${CLUSTER_NAME_RULE_TEXT} (got "${cluster.name}")`);
    }
    hostOfHttpsUrl(constructName, `clusters.${role}.address`, cluster.address);
    if (cluster.clusterAddress !== undefined) {
      hostOfHttpsUrl(constructName, `clusters.${role}.clusterAddress`, cluster.clusterAddress);
      if (cluster.clusterAddress === cluster.address) {
        throw new PropsValidationError(
          constructName,
          `clusters.${role}.clusterAddress`,
          `must be the cluster port (8201), not the API address ("${cluster.clusterAddress}")`,
        );
      }
    }
    const other = seen.get(cluster.name);
    if (other !== undefined) {
      throw new PropsValidationError(constructName, `clusters.${role}.name`, `must differ from clusters.${other}.name ("${cluster.name}")`);
    }
    seen.set(cluster.name, role);
  }
  if (clusters.primary.address === clusters.dr.address) {
    throw new PropsValidationError(constructName, 'clusters.dr.address', `must differ from clusters.primary.address ("${clusters.dr.address}")`);
  }
  return clusters;
}

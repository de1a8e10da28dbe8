import { VAULT_API_PORT, type VaultClusterPair } from '../modules';
import type { VaultClusterSettings, VaultDrStackProps } from './vault-dr-stack-props';

/**
 * The values VaultDrStack of release 0.1.0 reads that this version no longer takes: the two regions
 * and the clusters' endpoints (this version builds the clusters and takes their endpoints from them).
 *
 * An environment pinned to 0.1.0 (`pinnedRelease` in environments/<env>.ts) is built by that
 * release's stack from the values in this checkout, so its values must carry these as well. They
 * are derived from the current values, so they name exactly the clusters this version creates
 * (`vault-<environment>-<name>`, `https://<that>.<zone>:8200`). Drop them from an environment once
 * it is pinned to a release with cluster composition.
 */
export interface Release010Values {
  readonly primaryRegion: string;
  readonly drRegion: string;
  readonly clusters: VaultClusterPair;
}

function endpoint(values: VaultDrStackProps, cluster: VaultClusterSettings): { name: string; address: string } {
  const name = `vault-${values.environment}-${cluster.name}`;
  return { name, address: `https://${name}.${values.hostedZoneName}:${VAULT_API_PORT}` };
}

/** The values, plus what a 0.1.0 stack reads (see Release010Values). */
export function withRelease010Values(values: VaultDrStackProps): VaultDrStackProps & Release010Values {
  return {
    ...values,
    primaryRegion: values.primaryCluster.region,
    drRegion: values.drCluster.region,
    clusters: { primary: endpoint(values, values.primaryCluster), dr: endpoint(values, values.drCluster) },
  };
}

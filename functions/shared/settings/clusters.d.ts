import { type RawRule } from './variables';
/**
 * A cluster name is the Route 53 set identifier of its weighted record (1 to 128 characters) and
 * appears in answers, logs and Vault secondary ids: letters, digits, "-" and "_", starting with a
 * letter or digit.
 */
export declare const CLUSTER_NAME_PATTERN: RegExp;
export declare const CLUSTER_NAME_RULE_TEXT = "1 to 128 letters, digits, \"-\" or \"_\", starting with a letter or digit (it is the Route 53 set identifier)";
/** Why `name` is not a valid cluster name, or undefined when it is. */
export declare function clusterNameProblem(name: unknown): string | undefined;
export interface ClusterRef {
    /** Stable label; also the Route 53 set identifier of the cluster's weighted record. */
    readonly name: string;
    /** The cluster's own HTTPS origin, e.g. `https://vault-dev-use1.example.com:8200`. */
    readonly address: string;
    /**
     * The cluster port (8201) address secondaries replicate from. Given to Vault as
     * `primary_cluster_addr` when this cluster is promoted, so that secondaries reach it through its
     * load balancer rather than a node's own address. Optional: without it Vault advertises its
     * nodes' cluster_addr.
     */
    readonly clusterAddress?: string;
}
export declare const clustersRule: RawRule<readonly [ClusterRef, ClusterRef]>;
/** The `VAULT_CLUSTERS` value for two clusters (what the construct writes). */
export declare function clustersValue(clusters: readonly [ClusterRef, ClusterRef]): string;

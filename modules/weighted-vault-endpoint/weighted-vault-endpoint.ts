import { Construct } from 'constructs';
import { Route53Record } from '../internal/aws';
import type { TerraformProvider } from '../internal/cdktf';
import { hostOf } from '../shared/rules';
import type { VaultClusterPair } from '../shared/vault-cluster-endpoint';
import { SERVING_WEIGHT, STANDBY_WEIGHT, VAULT_ENDPOINT_RECORD_TYPE, WEIGHTED_VAULT_ENDPOINT_DEFAULTS } from './defaults';
import { validateWeightedVaultEndpointProps } from './validate';

export interface WeightedVaultEndpointProps {
  /**
   * The high-level Vault address clients use, e.g. `https://vault-prod.example.com:8200`. Its host
   * is the name of the two weighted records: a DNS name, not an IP address, other than the clusters'.
   */
  readonly vaultAddress: string;
  /** Id of the Route 53 hosted zone (`Z...`) that holds the high-level name. */
  readonly hostedZoneId: string;
  /**
   * The two clusters. Each record points at the host of the cluster's `address` and has the
   * cluster's `name` as its set identifier (the DNS switch finds the records by these names). Two
   * hosts of their own; with their `region` known, two regions.
   */
  readonly clusters: VaultClusterPair;
  /**
   * TTL of the records, in seconds, at most 60: clients follow a failover only when their cached
   * answer expires.
   * @default 10
   */
  readonly ttlSeconds?: number;
  /**
   * AWS provider for the records.
   * @default - the default AWS provider of the stack
   */
  readonly provider?: TerraformProvider;
}

/**
 * The high-level Vault name: two weighted CNAME records, the primary cluster's at weight 255 and the
 * DR cluster's at 0.
 *
 * The weights belong to the DNS switch after the first apply: Terraform ignores changes to them.
 * Otherwise the first apply after a failover would put the weights back and send every client to
 * the cluster that just failed.
 */
export class WeightedVaultEndpoint extends Construct {
  /** The DNS name clients resolve (no trailing dot). */
  readonly recordName: string;
  /** Type of both records. */
  readonly recordType: string = VAULT_ENDPOINT_RECORD_TYPE;
  /** The hosted zone of the records. */
  readonly hostedZoneId: string;
  /** The two clusters the records point at. */
  readonly clusters: VaultClusterPair;

  constructor(scope: Construct, id: string, props: WeightedVaultEndpointProps) {
    super(scope, id);
    validateWeightedVaultEndpointProps(this, props);
    const clusters = props.clusters;
    this.recordName = hostOf(props.vaultAddress);
    this.hostedZoneId = props.hostedZoneId;
    this.clusters = clusters;
    const ttl = props.ttlSeconds ?? WEIGHTED_VAULT_ENDPOINT_DEFAULTS.ttlSeconds;

    const record = (recordId: string, role: keyof VaultClusterPair, weight: number) =>
      new Route53Record(this, recordId, {
        provider: props.provider,
        zoneId: props.hostedZoneId,
        name: this.recordName,
        type: this.recordType,
        ttl,
        records: [hostOf(clusters[role].address)],
        setIdentifier: clusters[role].name,
        weightedRoutingPolicy: { weight },
        lifecycle: { ignoreChanges: ['weighted_routing_policy'] },
      });
    // Construct ids are public API: they decide the Terraform addresses of the records.
    record('PrimaryRecord', 'primary', SERVING_WEIGHT);
    record('DrRecord', 'dr', STANDBY_WEIGHT);
  }
}

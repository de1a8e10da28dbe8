import { Construct } from 'constructs';
import { Route53Record } from '../internal/aws';
import type { TerraformProvider } from '../internal/cdktf';
import { hostOf } from '../shared/rules';
import { NEAREST_VAULT_ENDPOINT_DEFAULTS, NEAREST_VAULT_ENDPOINT_RECORD_TYPE } from './defaults';
import { validateNearestVaultEndpointProps } from './validate';

/** One serving group of the topology the nearest name may answer with. */
export interface NearestVaultTarget {
  /** Set identifier of its latency record (the group's cluster name: `use1`, `euw1`). */
  readonly name: string;
  /** AWS region the group serves from: Route 53 answers with it the resolvers nearest that region. */
  readonly region: string;
  /**
   * The name the record points at, as an HTTPS address: the primary pair's high-level name, a
   * performance secondary's own name, or its pair's weighted name. The record follows whatever
   * that name points at, so a DR failover that moves the weighted name moves these clients too.
   */
  readonly address: string;
}

export interface NearestVaultEndpointProps {
  /** The address clients use to reach the nearest cluster (`https://vault-prod-near.example.com:8200`). */
  readonly vaultAddress: string;
  /** Id of the Route 53 hosted zone (`Z...`) of that name. */
  readonly hostedZoneId: string;
  /** The groups, at least two, each in a region of its own, with distinct names and addresses. */
  readonly targets: readonly NearestVaultTarget[];
  /**
   * TTL of the records, in seconds, at most 60.
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
 * The name that sends each client to the nearest serving cluster: one latency-based CNAME record
 * per serving group (the primary's DR pair, each performance secondary), each pointing at that
 * group's own name. Route 53 answers with the record of the AWS region of lowest latency from the
 * client's resolver (docs/topology.md says why latency rather than geolocation).
 *
 * The records point at names, never at clusters: the primary pair's record points at the weighted
 * high-level name, so it follows a DR failover without being touched. Terraform owns them.
 */
export class NearestVaultEndpoint extends Construct {
  /** The DNS name clients resolve (no trailing dot). */
  readonly recordName: string;
  readonly recordType: string = NEAREST_VAULT_ENDPOINT_RECORD_TYPE;

  constructor(scope: Construct, id: string, props: NearestVaultEndpointProps) {
    super(scope, id);
    validateNearestVaultEndpointProps(this, props);
    this.recordName = hostOf(props.vaultAddress);
    const ttl = props.ttlSeconds ?? NEAREST_VAULT_ENDPOINT_DEFAULTS.ttlSeconds;
    for (const target of props.targets) {
      // Construct ids are public API: the set identifier names each record's Terraform address.
      new Route53Record(this, `Record-${target.name}`, {
        provider: props.provider,
        zoneId: props.hostedZoneId,
        name: this.recordName,
        type: this.recordType,
        ttl,
        records: [hostOf(target.address)],
        setIdentifier: target.name,
        latencyRoutingPolicy: { region: target.region },
      });
    }
  }
}

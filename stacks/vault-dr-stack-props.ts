import type { DrAutomationProps, VaultConfigurationProps, VaultMachineImage, VaultSubnet, VaultTlsSecrets } from '../modules';

/** Where an environment's Terraform state lives. */
export interface StateBackendSettings {
  /** S3 bucket of the state (versioned and encrypted by its owners). */
  readonly bucket: string;
  /** Region of the bucket. Keep it out of the primary region: a failover may need an apply. */
  readonly region: string;
  /**
   * KMS key of the state objects.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyId?: string;
}

/** How Terraform logs in to Vault: Vault's AWS auth, with the identity running Terraform. */
export interface VaultProviderLogin {
  /** Vault AWS auth role of the pipeline that applies this stack (bound to its apply role). */
  readonly role: string;
  /**
   * Vault AWS auth role of the read-only identity that plans pull requests (bound to the plan role,
   * with a policy that reads the objects this stack manages and nothing else). Chosen with the
   * Terraform variable `read_only_plan` (README "Security").
   */
  readonly planRole: string;
  /**
   * Mount path of Vault's AWS auth method.
   * @default 'aws'
   */
  readonly mount?: string;
  /**
   * `X-Vault-AWS-IAM-Server-ID` header value. The DR functions send the same value, and it is the
   * `iam_server_id_header_value` of their AWS auth mount.
   * @default - the host of `vaultAddress`
   */
  readonly headerValue?: string;
}

/** One Vault cluster of the environment, in its own region: the values VaultCluster is built from. */
export interface VaultClusterSettings {
  /**
   * Short name of the cluster, usually its region's (`use1`). The cluster is
   * `vault-<environment>-<name>` (its resources, its DNS name, its set identifier in the weighted
   * record and its name in VAULT_CLUSTERS), and its region's snapshot bucket is named after it too.
   */
  readonly name: string;
  /** AWS region of the cluster and of its snapshot bucket. */
  readonly region: string;
  /** VPC of the nodes and the load balancer. */
  readonly vpcId: string;
  /**
   * CIDRs of that VPC.
   * @deprecated Not read since the peer cluster allows only this cluster's node subnets
   * (`subnets[].cidrBlock`); kept while stage and prod pin releases (0.2.1 and earlier) that read it.
   */
  readonly vpcCidrs: readonly string[];
  /**
   * Private subnets in at least three availability zones, each with its `cidrBlock`: the other
   * cluster allows exactly these on 8200 and 8201 (DR replication), not this whole VPC.
   */
  readonly subnets: readonly VaultSubnet[];
  /** Machine image of the nodes (an SSM parameter name in this repository's environments). */
  readonly image: VaultMachineImage;
  /** Secrets Manager secrets of the listener's TLS material, in the cluster's region. */
  readonly tls: VaultTlsSecrets;
  /** Secret of the Vault Enterprise licence, in the cluster's region. */
  readonly licenseSecretArn: string;
  /** Networks of the applications that use this cluster (never 0.0.0.0/0). */
  readonly allowedClientCidrs: readonly string[];
  /**
   * Where the nodes may reach the AWS APIs on 443.
   * @default ['0.0.0.0/0'] (through a NAT gateway)
   */
  readonly awsApiEgressCidrs?: readonly string[];
  /**
   * Managed prefix lists also allowed on 443 (the S3 gateway endpoint's).
   * @default []
   */
  readonly awsApiEgressPrefixListIds?: readonly string[];
}

/**
 * A performance secondary of the primary: a third (fourth, ...) cluster in a region of its own that
 * serves the clients near it (reads locally, writes forwarded to the primary by Vault), optionally
 * with its own DR secondary in another region. docs/topology.md describes the topologies.
 */
export interface PerformanceSecondarySettings {
  /**
   * The performance secondary. Its `name` must be unique in the environment, its region must be
   * none of the primary's, the DR cluster's or another performance secondary's.
   */
  readonly cluster: VaultClusterSettings;
  /**
   * Its DR secondary, in another region than the performance secondary: promoted when that
   * region is lost, it becomes the performance secondary of the same primary.
   * @default - none
   */
  readonly drCluster?: VaultClusterSettings;
  /**
   * The name of this performance secondary's DR pair (`https://vault-prod-euw1-pair.example.com:8200`):
   * two weighted records, 255 on the performance secondary and 0 on its DR secondary, like the
   * high-level name's. Required with `drCluster`, refused without it (the performance secondary's
   * own name serves then).
   * @default - the performance secondary's own name (`https://vault-<environment>-<name>.<zone>:8200`)
   */
  readonly vaultAddress?: string;
}

/**
 * Where the DR functions run: private subnets of the functions' region from which both clusters'
 * internal load balancers are reachable (the DR cluster's VPC, peered with the primary's).
 */
export interface DrFunctionsNetwork {
  /** Subnets of the functions' network interfaces. */
  readonly subnetIds: readonly string[];
  /**
   * Security groups of the functions' network interfaces. Their egress (8200 to both clusters and
   * to each performance secondary, 443 to the AWS APIs) is the VPC owner's; each of those clusters
   * in the functions' region allows them on 8200.
   */
  readonly securityGroupIds: readonly string[];
  /**
   * CIDRs of those subnets. A cluster in another region (of the two, or a performance secondary;
   * not a performance secondary's DR secondary, which the functions never call) allows these on
   * 8200 instead of the security groups: a security group rule cannot reference a group of another
   * region.
   */
  readonly subnetCidrs: readonly string[];
}

/** Everything that differs between two environments. */
export interface VaultDrStackProps {
  /** Environment name (`dev`, `stage`, `prod`): part of every resource name and of the stack id. */
  readonly environment: string;
  /** Tells two Vault deployments in one environment apart. */
  readonly identifier: string;
  /** The only account this stack may be applied to. */
  readonly awsAccountId: string;
  /** The cluster that is DR primary when first deployed (weight 255 in the high-level name). */
  readonly primaryCluster: VaultClusterSettings;
  /** The DR secondary, in another region (weight 0 until a failover). */
  readonly drCluster: VaultClusterSettings;
  /**
   * Performance secondaries of the primary, each in a region of its own, each optionally with its
   * own DR secondary (at most 4). Each is a VaultCluster like the two above, with its snapshot
   * bucket(s), alarms and DNS name; port 8201 is open only between clusters that replicate.
   * @default [] (two clusters)
   */
  readonly performanceSecondaries?: readonly PerformanceSecondarySettings[];
  /**
   * The name that sends each client to the nearest serving cluster
   * (`https://vault-prod-near.example.com:8200`): latency-based records, one per serving group (the
   * primary's DR pair through `vaultAddress`, each performance secondary through its own name).
   * Required with performance secondaries, refused without them. The high-level `vaultAddress`
   * stays as it is.
   * @default - none
   */
  readonly nearestVaultAddress?: string;
  /**
   * Raft voters per cluster, 3 or 5 (both clusters alike: autopilot's min_quorum is applied to
   * whichever is primary).
   * @default 5
   */
  readonly nodeCount?: number;
  /**
   * Region of the failover functions, secret, key and alarms.
   * @default - the DR cluster's region, so that the failover machinery survives the loss of the
   * primary region
   */
  readonly functionsRegion?: string;
  /** Where the DR functions run (the clusters' load balancers are internal). */
  readonly drFunctionsNetwork: DrFunctionsNetwork;
  /** The high-level Vault address clients and Terraform use (`https://vault-dev.example.com:8200`). */
  readonly vaultAddress: string;
  /** Route 53 hosted zone of the high-level name and of the clusters' own names. */
  readonly hostedZoneId: string;
  /** Name of that zone (`example.com`), without the trailing dot. */
  readonly hostedZoneName: string;
  /**
   * SNS topic notified when an alarm fires and clears: each cluster's (healthy nodes below quorum,
   * audit failures, a sealed node, frequent leadership changes), each snapshot bucket's (no
   * snapshot), and the DR automation's in the functions' region (the generator failing, the DR
   * token not refreshed or close to expiry, a DR function erroring, the DR secondary not streaming,
   * replication lag, no active primary, the watchdog silent or its rule met). The watchdog also
   * pages this topic (in the functions' region) with its evidence.
   * CloudWatch only notifies a topic of the alarm's own region, so each alarm notifies the topic
   * of this name in its region: a topic of this name must exist in the functions' region and in
   * each cluster's region.
   * @default - the alarms only change state
   */
  readonly alarmTopicArn?: string;
  /** Path of the PEM file of the CA(s) that sign the Vault listeners' certificates. */
  readonly vaultCaBundleFile: string;
  readonly stateBackend: StateBackendSettings;
  readonly vaultLogin: VaultProviderLogin;
  /**
   * The identity that applies this stack (the pipeline's apply role): the only principal, beside the
   * break-glass role, that may change the KMS key policies and the snapshot bucket policies.
   * Explicit, so that plans made by another identity show no policy change.
   */
  readonly keyAdministratorArns: readonly string[];
  /**
   * The break-glass role: may read and write the DR token, and delete snapshot versions or change
   * the snapshot buckets' lock (README "Security").
   * @default - none
   */
  readonly breakGlassRoleArn?: string;
  /**
   * IAM roles (names) of the operators who may open Session Manager sessions on the nodes of both
   * clusters (logged).
   * @default []
   */
  readonly sessionManagerRoleNames?: readonly string[];
  /** Tags on every AWS resource (the AWS providers' default tags). */
  readonly tags: Record<string, string>;
  /**
   * Vault's operating configuration (lease TTLs, quotas) written to the primary.
   * @default - VaultConfiguration's defaults, with the DR automation's AWS auth mount and DR token TTL
   */
  readonly vaultConfiguration?: Omit<VaultConfigurationProps, 'provider'>;
  /**
   * Settings of the DR automation beyond what the stack derives.
   * @default - the construct's defaults
   */
  readonly drAutomation?: Pick<
    DrAutomationProps,
    | 'drTokenTtlSeconds'
    | 'refreshIntervalMinutes'
    | 'drTokenMinRemainingSeconds'
    | 'kmsKeyArn'
    | 'logRetentionDays'
    | 'vaultAwsAuthMountPath'
    | 'vaultStsUrl'
    | 'vaultStsRegion'
    | 'logLevel'
    | 'switchDnsAfterPromotion'
    | 'functionBundlesDirectory'
    | 'watchdogMode'
    | 'watchdogWindowSeconds'
    | 'watchdogPageTopicArn'
    | 'maxReplicationWalGap'
  >;
}

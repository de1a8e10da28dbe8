import { readFileSync } from 'node:fs';
import type { Construct } from 'constructs';
import {
  DrAutomation,
  NearestVaultEndpoint,
  PropsValidationError,
  replicationPeers,
  VaultAuditLog,
  VaultCluster,
  VaultConfiguration,
  VaultRaftAutopilot,
  VaultSnapshotBucket,
  VaultSnapshotSchedule,
  WeightedVaultEndpoint,
  type VaultSnapshotDestination,
  type VaultTopology,
  type VaultTopologyCluster,
} from '../modules';
import { hostOf, httpsAddress } from '../modules/shared/rules';
import { PropsValidation } from '../modules/shared/validation';
import { checkVaultTopology } from '../modules/vault-topology';
import { ArchiveProvider } from '../modules/internal/archive';
import { AwsProvider } from '../modules/internal/aws';
import { AssetType, Fn, S3Backend, TerraformAsset, TerraformStack, TerraformVariable } from '../modules/internal/cdktf';
import { VaultProvider } from '../modules/internal/vault';
import type { DrFunctionsNetwork, PerformanceSecondarySettings, VaultClusterSettings, VaultDrStackProps } from './vault-dr-stack-props';

/** Stack id (and cdktf.out/stacks/<id> folder) of an environment. */
export function vaultDrStackId(environment: string): string {
  return `vault-dr-${environment}`;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * The same topic in another region: CloudWatch alarms only notify SNS topics of their own region,
 * so an environment names one topic and each region's alarms notify that region's copy.
 */
export function alarmTopicIn(topicArn: string, region: string): string {
  const [arn, partition, service, , account, name] = topicArn.split(':');
  return [arn, partition, service, region, account, name].join(':');
}

function fail(prop: string, problem: string): never {
  throw new PropsValidationError('VaultDrStack', prop, problem);
}

function validate(props: VaultDrStackProps): void {
  if (props.primaryCluster.region === props.drCluster.region) {
    fail('drCluster.region', `must differ from primaryCluster.region ("${props.drCluster.region}"): the DR cluster must survive the loss of the primary region`);
  }
  if (props.primaryCluster.name === props.drCluster.name) {
    fail('drCluster.name', `must differ from primaryCluster.name ("${props.drCluster.name}")`);
  }
  if (props.alarmTopicArn !== undefined && !SNS_TOPIC_ARN.test(props.alarmTopicArn)) {
    fail('alarmTopicArn', `must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>); got "${props.alarmTopicArn}"`);
  }
  for (const role of ['primaryCluster', 'drCluster'] as const) {
    props[role].subnets.forEach((subnet, i) => {
      if (subnet.cidrBlock === undefined) {
        fail(`${role}.subnets[${i}].cidrBlock`, `is required: the other cluster allows exactly the node subnets' CIDRs on 8200 and 8201 (give ${subnet.subnetId}'s CIDR)`);
      }
    });
  }
  if (props.keyAdministratorArns.length === 0) {
    fail('keyAdministratorArns', 'must name the identity that applies the stack (the pipeline\'s apply role)');
  }
  const network = props.drFunctionsNetwork;
  if (network.subnetIds.length === 0) fail('drFunctionsNetwork.subnetIds', 'must name at least one subnet');
  if (network.securityGroupIds.length === 0) fail('drFunctionsNetwork.securityGroupIds', 'must name at least one security group');
  if (network.subnetCidrs.length === 0) fail('drFunctionsNetwork.subnetCidrs', 'must give the CIDRs of those subnets');
}

/** A cluster as the topology rules see it: its name, region and networks (VPC and node subnets). */
function topologyCluster(settings: VaultClusterSettings): VaultTopologyCluster {
  const subnets = settings.subnets.map((subnet) => subnet.cidrBlock).filter((cidr): cidr is string => cidr !== undefined);
  return { name: settings.name, region: settings.region, cidrs: [...(settings.vpcCidrs ?? []), ...subnets] };
}

/** The environment's replication topology. */
export function vaultTopologyOf(props: VaultDrStackProps): VaultTopology {
  return {
    primary: topologyCluster(props.primaryCluster),
    dr: topologyCluster(props.drCluster),
    performanceSecondaries: (props.performanceSecondaries ?? []).map((secondary) => ({
      cluster: topologyCluster(secondary.cluster),
      ...(secondary.drCluster !== undefined ? { drCluster: topologyCluster(secondary.drCluster) } : {}),
    })),
  };
}

/**
 * The topology's rules (modules/vault-topology) and the props only performance secondaries have:
 * every problem at once, each naming the prop and the fix.
 */
function validateTopology(stack: TerraformStack, props: VaultDrStackProps): void {
  const v = new PropsValidation(stack, 'VaultDrStack');
  const secondaries = props.performanceSecondaries ?? [];
  if (!Array.isArray(secondaries)) {
    v.report('performanceSecondaries', 'must be a list of { cluster, drCluster?, vaultAddress? } (leave it out for two clusters)');
    v.throwIfInvalid();
  }
  secondaries.forEach((secondary, i) => {
    for (const role of ['cluster', 'drCluster'] as const) {
      secondary[role]?.subnets.forEach((subnet: VaultClusterSettings['subnets'][number], j: number) => {
        if (subnet.cidrBlock === undefined) {
          v.report(`performanceSecondaries[${i}].${role}.subnets[${j}].cidrBlock`, `is required: the clusters it replicates with allow exactly the node subnets' CIDRs on 8200 and 8201 (give ${subnet.subnetId}'s CIDR)`);
        }
      });
    }
  });
  if (v.failed()) v.throwIfInvalid();
  checkVaultTopology(v, vaultTopologyOf(props), { primary: 'primaryCluster', dr: 'drCluster', performanceSecondaries: 'performanceSecondaries' });

  const hosts = new Map<string, string>([[hostOf(props.vaultAddress), 'vaultAddress']]);
  const claimHost = (prop: string, address: string) => {
    if (!v.check(prop, address, httpsAddress)) return;
    const owner = hosts.get(hostOf(address));
    if (owner !== undefined) v.report(prop, `names the host ${hostOf(address)}, which ${owner} has: each name needs a host of its own`);
    else hosts.set(hostOf(address), prop);
  };
  secondaries.forEach((secondary, i) => {
    const prop = `performanceSecondaries[${i}].vaultAddress`;
    if (secondary.drCluster !== undefined && secondary.vaultAddress === undefined) {
      v.report(prop, `is required with performanceSecondaries[${i}].drCluster: the name of that DR pair (weighted 255 on ${secondary.cluster.name}, 0 on ${secondary.drCluster.name}), as vaultAddress is the primary pair's`);
    } else if (secondary.drCluster === undefined && secondary.vaultAddress !== undefined) {
      v.report(prop, `is set without performanceSecondaries[${i}].drCluster: a performance secondary alone is reached by its own name; leave vaultAddress out, or give its DR secondary`);
    } else if (secondary.vaultAddress !== undefined) claimHost(prop, secondary.vaultAddress);
  });
  if (secondaries.length > 0 && props.nearestVaultAddress === undefined) {
    v.report('nearestVaultAddress', 'is required with performanceSecondaries: the name that sends each client to its nearest cluster (https://vault-<environment>-near.<zone>:8200)');
  } else if (secondaries.length === 0 && props.nearestVaultAddress !== undefined) {
    v.report('nearestVaultAddress', 'is set without performanceSecondaries: with one serving cluster there is nothing to choose from; use vaultAddress, or add a performance secondary');
  } else if (props.nearestVaultAddress !== undefined) claimHost('nearestVaultAddress', props.nearestVaultAddress);
  v.throwIfInvalid();
}

/** The clusters of one performance secondary's group, as built. */
export interface PerformanceSecondaryGroup {
  /** The performance secondary. */
  readonly cluster: VaultCluster;
  /** Its DR secondary, if it has one. */
  readonly drCluster?: VaultCluster;
  /** The weighted name of its DR pair (only with a DR secondary). */
  readonly endpoint?: WeightedVaultEndpoint;
  /** The address its clients use: the pair's weighted name, else the performance secondary's own. */
  readonly address: string;
}

/**
 * One environment's Vault DR: a Vault Enterprise cluster in the primary region and one in the DR
 * region (each with its region's snapshot bucket), the high-level name weighted between them, the
 * automated snapshots and Raft autopilot written through Vault, and the DR automation, with their
 * providers and state backend. Composition only: every resource comes from modules/.
 *
 * Construct ids are public API (they decide Terraform addresses): renaming one replaces resources.
 */
export class VaultDrStack extends TerraformStack {
  /** Provider of the functions' region (the stack's default AWS provider). */
  readonly functionsRegionProvider: AwsProvider;
  /** Provider of the primary cluster's region (alias `primary`). */
  readonly primaryRegionProvider: AwsProvider;
  /** Provider of the DR cluster's region (alias `dr`). */
  readonly drRegionProvider: AwsProvider;
  readonly primaryCluster: VaultCluster;
  readonly drCluster: VaultCluster;
  /** The performance secondaries, in the order of `performanceSecondaries` (empty for two clusters). */
  readonly performanceSecondaries: readonly PerformanceSecondaryGroup[];
  /** The latency-based name of the nearest cluster (only with performance secondaries). */
  readonly nearestEndpoint?: NearestVaultEndpoint;
  readonly drAutomation: DrAutomation;

  constructor(scope: Construct, props: VaultDrStackProps) {
    super(scope, vaultDrStackId(props.environment));
    validate(props);
    validateTopology(this, props);
    const topology = vaultTopologyOf(props);
    const performanceSecondaries = props.performanceSecondaries ?? [];
    const functionsRegion = props.functionsRegion ?? props.drCluster.region;

    new S3Backend(this, {
      bucket: props.stateBackend.bucket,
      key: `vault-dr/${props.environment}/terraform.tfstate`,
      region: props.stateBackend.region,
      encrypt: true,
      kmsKeyId: props.stateBackend.kmsKeyId,
    });
    // S3-native state locking (Terraform >= 1.10). cdktf 0.21's S3Backend has no field for it.
    this.addOverride('terraform.backend.s3.use_lockfile', true);

    const awsProvider = (id: string, region: string, alias?: string) =>
      new AwsProvider(this, id, {
        region,
        alias,
        allowedAccountIds: [props.awsAccountId],
        defaultTags: [{ tags: props.tags }],
      });
    this.functionsRegionProvider = awsProvider('aws', functionsRegion);
    this.primaryRegionProvider = awsProvider('aws-primary', props.primaryCluster.region, 'primary');
    this.drRegionProvider = awsProvider('aws-dr', props.drCluster.region, 'dr');
    // One provider per performance cluster, aliased after its name (`perf-euw1`).
    const performanceProvider = (settings: VaultClusterSettings) => awsProvider(`aws-perf-${settings.name}`, settings.region, `perf-${settings.name}`);
    // Zips the functions' code at plan time; declared so that Terraform pins its version.
    new ArchiveProvider(this, 'archive');

    // The CA bundle travels with the synthesized stack, so the provider's path is relative to the
    // stack folder and the same on every machine.
    const vaultCaBundle = new TerraformAsset(this, 'VaultCaBundle', { path: props.vaultCaBundleFile, type: AssetType.FILE });
    // Pull requests plan with a read-only identity (Jenkinsfile: TF_VAR_read_only_plan=true), which
    // logs in to Vault with its own read-only role; applies use the apply role.
    const readOnlyPlan = new TerraformVariable(this, 'read_only_plan', {
      type: 'bool',
      default: false,
      description: 'Log in to Vault with the read-only plan role (pull request plans); false for the plans that are applied',
    });
    // One server id for every AWS login to this Vault: Terraform's and the DR functions'.
    const iamServerId = props.vaultLogin.headerValue ?? new URL(props.vaultAddress).hostname;
    // Aimed at the high-level name: whatever Terraform writes to Vault lands on the current primary.
    new VaultProvider(this, 'vault', {
      address: props.vaultAddress,
      caCertFile: vaultCaBundle.path,
      // The login token itself (short-lived) serves the run: creating a child token would need
      // auth/token/create, which the read-only plan role must not have.
      skipChildToken: true,
      authLoginAws: [
        {
          role: Fn.conditional(readOnlyPlan.booleanValue, props.vaultLogin.planRole, props.vaultLogin.role),
          mount: props.vaultLogin.mount,
          headerValue: iamServerId,
        },
      ],
    });

    const alarmActions = (region: string): string[] => (props.alarmTopicArn === undefined ? [] : [alarmTopicIn(props.alarmTopicArn, region)]);

    // One snapshot bucket per region; both clusters may write both, and the schedule (replicated to
    // the DR secondary) writes to both from whichever cluster is primary.
    const snapshotBucket = (id: string, cluster: VaultClusterSettings, provider: AwsProvider) =>
      new VaultSnapshotBucket(this, id, {
        environment: props.environment,
        name: cluster.name,
        breakGlassRoleArn: props.breakGlassRoleArn,
        keyAdministratorArns: props.keyAdministratorArns,
        // Its "no snapshot" alarm, in the bucket's region: the DR region's outlives the primary's.
        alarmActions: alarmActions(cluster.region),
        provider,
      });
    const destinations: VaultSnapshotDestination[] = [
      snapshotBucket('PrimarySnapshotBucket', props.primaryCluster, this.primaryRegionProvider).destination,
      snapshotBucket('DrSnapshotBucket', props.drCluster, this.drRegionProvider).destination,
    ];

    // Every cluster's settings by name: a cluster lets in the node subnets of exactly the clusters
    // it replicates with (modules/vault-topology, replicatesWith), on 8201 and 8200, nothing wider.
    const settingsByName = new Map<string, VaultClusterSettings>([
      [props.primaryCluster.name, props.primaryCluster],
      [props.drCluster.name, props.drCluster],
      ...performanceSecondaries.flatMap((s) => [s.cluster, ...(s.drCluster !== undefined ? [s.drCluster] : [])].map((c) => [c.name, c] as const)),
    ]);
    const peerCidrs = (settings: VaultClusterSettings): string[] =>
      replicationPeers(topology, settings.name).flatMap((peer) => settingsByName.get(peer)!.subnets.map((subnet) => subnet.cidrBlock!));

    // `calledByFunctions`: the DR functions call this cluster's API (the DR pair, each performance
    // secondary), so it lets them in on 8200; a performance secondary's DR secondary is not called.
    const cluster = (id: string, settings: VaultClusterSettings, snapshotDestinations: readonly VaultSnapshotDestination[], provider: AwsProvider, calledByFunctions: boolean) =>
      new VaultCluster(this, id, {
        environment: props.environment,
        clusterName: settings.name,
        nodeCount: props.nodeCount,
        vpcId: settings.vpcId,
        subnets: settings.subnets,
        image: settings.image,
        tls: settings.tls,
        licenseSecretArn: settings.licenseSecretArn,
        hostedZoneId: props.hostedZoneId,
        hostedZoneName: props.hostedZoneName,
        // The peers' node subnets (their nodes and load balancers live there), not their whole VPCs.
        peerClusterCidrs: peerCidrs(settings),
        keyAdministratorArns: props.keyAdministratorArns,
        sessionManagerRoleNames: props.sessionManagerRoleNames,
        awsApiEgressCidrs: settings.awsApiEgressCidrs,
        awsApiEgressPrefixListIds: settings.awsApiEgressPrefixListIds,
        ...(calledByFunctions
          ? drFunctionsAccess(settings.region, functionsRegion, settings.allowedClientCidrs, props.drFunctionsNetwork)
          : { allowedClientCidrs: [...settings.allowedClientCidrs], allowedClientSecurityGroupIds: [] }),
        snapshotDestinations,
        alarmActions: alarmActions(settings.region),
        provider,
      });
    this.primaryCluster = cluster('PrimaryCluster', props.primaryCluster, destinations, this.primaryRegionProvider, true);
    this.drCluster = cluster('DrCluster', props.drCluster, destinations, this.drRegionProvider, true);
    this.performanceSecondaries = performanceSecondaries.map((secondary) => this.performanceSecondary(secondary, props, { performanceProvider, snapshotBucket, cluster }));

    // name = set identifier of the weighted record = name in VAULT_CLUSTERS; clusterAddress is the
    // 8201 address the DR operations function sends as primary_cluster_addr on promotion.
    const clusters = { primary: this.primaryCluster.endpoint, dr: this.drCluster.endpoint };

    new WeightedVaultEndpoint(this, 'VaultEndpoint', {
      vaultAddress: props.vaultAddress,
      hostedZoneId: props.hostedZoneId,
      clusters,
    });
    if (props.nearestVaultAddress !== undefined) {
      // Each group's record points at the group's name: the primary pair's at the weighted
      // high-level name, so a DR failover that moves it moves these clients too.
      this.nearestEndpoint = new NearestVaultEndpoint(this, 'NearestEndpoint', {
        vaultAddress: props.nearestVaultAddress,
        hostedZoneId: props.hostedZoneId,
        targets: [
          { name: this.primaryCluster.endpoint.name, region: props.primaryCluster.region, address: props.vaultAddress },
          ...performanceSecondaries.map((secondary, i) => ({
            name: this.performanceSecondaries[i]!.cluster.endpoint.name,
            region: secondary.cluster.region,
            address: this.performanceSecondaries[i]!.address,
          })),
        ],
      });
    }

    new VaultSnapshotSchedule(this, 'SnapshotSchedule', { environment: props.environment, destinations });
    new VaultRaftAutopilot(this, 'RaftAutopilot', { nodeCount: this.primaryCluster.nodeCount });
    // Replicated to the DR secondary: both clusters write their audit log file.
    new VaultAuditLog(this, 'AuditLog');
    new VaultConfiguration(this, 'VaultConfiguration', {
      // The mount the Vault provider itself logs in through (auth_login_aws).
      awsAuthMountPath: props.vaultLogin.mount ?? 'aws',
      longestTokenTtlSeconds: props.drAutomation?.drTokenTtlSeconds,
      ...props.vaultConfiguration,
    });

    this.drAutomation = new DrAutomation(this, 'DrAutomation', {
      ...props.drAutomation,
      environment: props.environment,
      identifier: props.identifier,
      vaultAddress: props.vaultAddress,
      clusters,
      // Each performance secondary by its own endpoint, as the pair's: its cluster name (the name
      // in answers and events) and its own address, not its group's pair name; dr-operations
      // re-points this cluster after a failover of the primary pair.
      performanceSecondaries: this.performanceSecondaries.map((group) => group.cluster.endpoint),
      hostedZoneId: props.hostedZoneId,
      vaultCaBundlePem: readFileSync(props.vaultCaBundleFile, 'utf8'),
      vpcPlacement: {
        subnetIds: [...props.drFunctionsNetwork.subnetIds],
        securityGroupIds: [...props.drFunctionsNetwork.securityGroupIds],
        subnetCidrs: [...props.drFunctionsNetwork.subnetCidrs],
      },
      vaultIamServerId: iamServerId,
      breakGlassRoleArn: props.breakGlassRoleArn,
      keyAdministratorArns: [...props.keyAdministratorArns],
      alarmActions: alarmActions(functionsRegion),
    });

    // Vault (on whichever cluster is primary) resolves the functions' IAM roles when their AWS auth
    // roles are written: both clusters' nodes may read exactly those roles, before the write.
    const loginRoleArns = [this.drAutomation.functions['dr-token-generator'].roleArn, this.drAutomation.functions['dr-operations'].roleArn];
    this.drAutomation.vaultAuthRolesDependOn(
      this.primaryCluster.allowVaultToResolveRoles(loginRoleArns),
      this.drCluster.allowVaultToResolveRoles(loginRoleArns),
    );
  }

  /**
   * One performance secondary's group: its cluster and snapshot bucket in its region, and, with a
   * DR secondary, that one's cluster and bucket in its own region and the pair's weighted name.
   * Whichever of the two serves writes every snapshot to both regions' buckets, as the primary
   * pair does; the primary pair's buckets are not theirs (a performance secondary's snapshots hold
   * its own tokens and leases, and its snapshot configuration is its own: docs/topology.md).
   */
  private performanceSecondary(
    secondary: PerformanceSecondarySettings,
    props: VaultDrStackProps,
    build: {
      performanceProvider: (settings: VaultClusterSettings) => AwsProvider;
      snapshotBucket: (id: string, settings: VaultClusterSettings, provider: AwsProvider) => VaultSnapshotBucket;
      cluster: (id: string, settings: VaultClusterSettings, destinations: readonly VaultSnapshotDestination[], provider: AwsProvider, calledByFunctions: boolean) => VaultCluster;
    },
  ): PerformanceSecondaryGroup {
    const members = [secondary.cluster, ...(secondary.drCluster !== undefined ? [secondary.drCluster] : [])].map((settings) => ({
      settings,
      provider: build.performanceProvider(settings),
    }));
    // Construct ids carry the cluster's name: adding or removing one group leaves the others alone.
    const destinations = members.map((m) => build.snapshotBucket(`PerformanceSnapshotBucket-${m.settings.name}`, m.settings, m.provider).destination);
    // The DR functions call the performance secondary (VAULT_PERFORMANCE_SECONDARIES), never its DR secondary.
    const [cluster, drCluster] = members.map((m, i) => build.cluster(`PerformanceCluster-${m.settings.name}`, m.settings, destinations, m.provider, i === 0));
    if (drCluster === undefined || secondary.vaultAddress === undefined) return { cluster: cluster!, address: cluster!.address };
    const endpoint = new WeightedVaultEndpoint(this, `PerformanceEndpoint-${secondary.cluster.name}`, {
      vaultAddress: secondary.vaultAddress,
      hostedZoneId: props.hostedZoneId,
      clusters: { primary: cluster!.endpoint, dr: drCluster.endpoint },
    });
    return { cluster: cluster!, drCluster, endpoint, address: secondary.vaultAddress };
  }
}

/**
 * How a cluster lets the DR functions in on 8200, beside its own clients: by their security groups
 * when it is in the functions' region, by their subnets' CIDRs otherwise (security group rules
 * cannot reference a group of another region).
 */
function drFunctionsAccess(
  clusterRegion: string,
  functionsRegion: string,
  clientCidrs: readonly string[],
  network: DrFunctionsNetwork,
): { allowedClientCidrs: string[]; allowedClientSecurityGroupIds: string[] } {
  if (clusterRegion === functionsRegion) {
    return { allowedClientCidrs: [...clientCidrs], allowedClientSecurityGroupIds: [...network.securityGroupIds] };
  }
  return { allowedClientCidrs: [...new Set([...clientCidrs, ...network.subnetCidrs])], allowedClientSecurityGroupIds: [] };
}

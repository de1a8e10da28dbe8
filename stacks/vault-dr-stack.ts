import { readFileSync } from 'node:fs';
import type { Construct } from 'constructs';
import {
  DrAutomation,
  PropsValidationError,
  VaultAuditLog,
  VaultCluster,
  VaultConfiguration,
  VaultRaftAutopilot,
  VaultSnapshotBucket,
  VaultSnapshotSchedule,
  WeightedVaultEndpoint,
  type VaultSnapshotDestination,
} from '../modules';
import { ArchiveProvider } from '../modules/internal/archive';
import { AwsProvider } from '../modules/internal/aws';
import { AssetType, Fn, S3Backend, TerraformAsset, TerraformStack, TerraformVariable } from '../modules/internal/cdktf';
import { VaultProvider } from '../modules/internal/vault';
import type { DrFunctionsNetwork, VaultClusterSettings, VaultDrStackProps } from './vault-dr-stack-props';

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
  readonly drAutomation: DrAutomation;

  constructor(scope: Construct, props: VaultDrStackProps) {
    super(scope, vaultDrStackId(props.environment));
    validate(props);
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

    const cluster = (id: string, settings: VaultClusterSettings, peer: VaultClusterSettings, provider: AwsProvider) =>
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
        // The peer's node subnets (its nodes and load balancer live there), not its whole VPC.
        peerClusterCidrs: peer.subnets.map((subnet) => subnet.cidrBlock!),
        keyAdministratorArns: props.keyAdministratorArns,
        sessionManagerRoleNames: props.sessionManagerRoleNames,
        awsApiEgressCidrs: settings.awsApiEgressCidrs,
        awsApiEgressPrefixListIds: settings.awsApiEgressPrefixListIds,
        ...drFunctionsAccess(settings.region, functionsRegion, settings.allowedClientCidrs, props.drFunctionsNetwork),
        snapshotDestinations: destinations,
        alarmActions: alarmActions(settings.region),
        provider,
      });
    this.primaryCluster = cluster('PrimaryCluster', props.primaryCluster, props.drCluster, this.primaryRegionProvider);
    this.drCluster = cluster('DrCluster', props.drCluster, props.primaryCluster, this.drRegionProvider);

    // name = set identifier of the weighted record = name in VAULT_CLUSTERS; clusterAddress is the
    // 8201 address the DR operations function sends as primary_cluster_addr on promotion.
    const clusters = { primary: this.primaryCluster.endpoint, dr: this.drCluster.endpoint };

    new WeightedVaultEndpoint(this, 'VaultEndpoint', {
      vaultAddress: props.vaultAddress,
      hostedZoneId: props.hostedZoneId,
      clusters,
    });

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

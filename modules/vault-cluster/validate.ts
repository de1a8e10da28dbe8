import type { Construct } from 'constructs';
import { regionOfZone } from '../shared/aws-regions';
import * as rules from '../shared/rules';
import { awsProviderRegion, PropsValidation } from '../shared/validation';
import { VAULT_CLUSTER_DEFAULTS } from './defaults';
import type { VaultClusterProps } from './types';

/** Target group names are limited to 32 characters and get `-8200` appended. */
const MAX_BASE_NAME = 27;
const MIN_ZONES = 3;
const ALLOWED_NODE_COUNTS = [3, 5];
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Cluster names are name labels; `vault-<environment>-<clusterName>` is checked against its limit below. */
const CLUSTER_NAME = rules.nameLabel(MAX_BASE_NAME);

const known = rules.known;

/**
 * Checks every prop of a VaultCluster before anything is created, and throws one
 * PropsValidationError listing every problem, each with the construct's path and the prop.
 */
export function validateVaultClusterProps(scope: Construct, props: VaultClusterProps): void {
  const v = new PropsValidation(scope, 'VaultCluster');
  const region = awsProviderRegion(scope, props.provider);
  if (region !== undefined) {
    v.check('provider', region, (r) => (rules.awsRegion(r) === undefined ? undefined : `has the region "${r}", which does not exist: give the AWS provider an AWS region`));
  }
  validateNames(v, props);
  validateNodeCount(v, props.nodeCount ?? VAULT_CLUSTER_DEFAULTS.nodeCount);
  v.check('vpcId', props.vpcId, rules.vpcId);
  validateSubnets(v, props, region !== undefined && rules.awsRegion(region) === undefined ? region : undefined);
  validateImage(v, props);
  validateSecrets(v, props);
  validateNetworkSources(v, props);
  validateNumbers(v, props);
  validateDns(v, props);
  validateAccess(v, props);
  validateAlarms(v, props, region);
  validateSnapshotDestinations(v, props);
  validateRuleCounts(v, props);
  v.throwIfInvalid();
}

function validateNames(v: PropsValidation, props: VaultClusterProps): void {
  const ok = v.check('environment', props.environment, rules.environment) && v.check('clusterName', props.clusterName, CLUSTER_NAME);
  if (!ok) return;
  const baseName = `vault-${props.environment}-${props.clusterName}`;
  if (baseName.length > MAX_BASE_NAME) {
    v.report(
      'clusterName',
      `"${baseName}" (vault-<environment>-<clusterName>) is ${baseName.length} characters; ` +
        `shorten environment or clusterName so it fits ${MAX_BASE_NAME} (load balancer and target group names are limited to 32)`,
    );
    return;
  }
  v.claimName('VaultCluster names', baseName, 'clusterName', 'their roles, keys, load balancers and Raft auto-join tag would be the same; give one of them another clusterName');
}

function validateNodeCount(v: PropsValidation, nodeCount: number): void {
  v.check('nodeCount', nodeCount, (value) => {
    if (!known(value)) return 'must be a number known at synth (it sizes the group and sets the quorum alarm threshold), not a token';
    return ALLOWED_NODE_COUNTS.includes(value as number)
      ? undefined
      : `must be 3 or 5 (an odd number of Raft voters: 3 survives one lost node, 5 survives two); got ${value}`;
  });
}

function validateSubnets(v: PropsValidation, props: VaultClusterProps, providerRegion: string | undefined): void {
  const subnets = props.subnets;
  if (!known(subnets)) return;
  if (!Array.isArray(subnets) || subnets.length === 0) {
    v.report('subnets', `must list the private subnets of the nodes, in at least ${MIN_ZONES} availability zones`);
    return;
  }
  v.each('subnets', subnets.map((s) => s.subnetId), rules.subnetId, 'subnetId');
  const ids = subnets.map((s) => s.subnetId).filter(known);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) v.report('subnets', `lists ${duplicate} twice; give each subnet once`);
  subnets.forEach((subnet, i) => {
    if (subnet.cidrBlock === undefined || !known(subnet.cidrBlock)) return;
    if (rules.cidr(false)(subnet.cidrBlock) !== undefined) {
      v.report(`subnets[${i}].cidrBlock`, `give ${subnet.subnetId} its own CIDR as cidrBlock (got "${subnet.cidrBlock}")`);
    }
  });
  if (!v.each('subnets', subnets.map((s) => s.availabilityZone), rules.zoneLabel, 'availabilityZone')) return;
  if (subnets.some((s) => !known(s.availabilityZone))) return;

  // Zone labels name their region: every subnet must be in the provider's region (the AWS API would
  // refuse a subnet of another region only at apply time), or at least all in one region.
  const expected = providerRegion ?? regionOfZone(subnets[0]!.availabilityZone);
  subnets.forEach((subnet, i) => {
    const zoneRegion = regionOfZone(subnet.availabilityZone);
    if (zoneRegion !== expected) {
      const where = providerRegion !== undefined ? `the cluster's AWS provider is in ${providerRegion}` : `subnets[0] is in ${expected}`;
      v.report(
        `subnets[${i}].availabilityZone`,
        `is a zone of ${zoneRegion}, but ${where}: a cluster's subnets are all in its provider's region; give the subnets of that region (or the provider of ${zoneRegion})`,
      );
    }
  });
  if (v.failed('subnets')) return;
  const zones = [...new Set(subnets.map((s) => s.availabilityZone))];
  if (zones.length < MIN_ZONES) {
    v.report(
      'subnets',
      `span ${zones.length} availability zone(s) (${zones.join(', ') || 'none'}); ` +
        `give subnets in at least ${MIN_ZONES} distinct zones so the Raft quorum survives the loss of a zone`,
    );
  }
}

function validateImage(v: PropsValidation, props: VaultClusterProps): void {
  const { amiId, ssmParameterName } = props.image ?? {};
  if ((amiId === undefined) === (ssmParameterName === undefined)) {
    v.report('image', 'needs exactly one of amiId and ssmParameterName');
    return;
  }
  v.optional('image.amiId', amiId, rules.amiId);
}

function validateSecrets(v: PropsValidation, props: VaultClusterProps): void {
  // The nodes read these by ARN (the region comes from it) and IAM grants them by ARN.
  v.check('tls.certificateSecretArn', props.tls?.certificateSecretArn, rules.secretArn);
  v.check('tls.privateKeySecretArn', props.tls?.privateKeySecretArn, rules.secretArn);
  v.check('tls.caBundleSecretArn', props.tls?.caBundleSecretArn, rules.secretArn);
  v.check('licenseSecretArn', props.licenseSecretArn, rules.secretArn);
  v.each('secretsKmsKeyArns', props.secretsKmsKeyArns, rules.kmsKeyArn);
}

function validateNetworkSources(v: PropsValidation, props: VaultClusterProps): void {
  v.each('allowedClientCidrs', props.allowedClientCidrs, rules.cidr(false));
  v.each('peerClusterCidrs', props.peerClusterCidrs, rules.cidr(false));
  v.each('awsApiEgressCidrs', props.awsApiEgressCidrs, rules.cidr(true));
  v.each('allowedClientSecurityGroupIds', props.allowedClientSecurityGroupIds, rules.securityGroupId);
  v.each('awsApiEgressPrefixListIds', props.awsApiEgressPrefixListIds, rules.prefixListId);
  const clientCidrs = props.allowedClientCidrs ?? [];
  const clientGroups = props.allowedClientSecurityGroupIds ?? [];
  if (known(clientCidrs) && known(clientGroups) && clientCidrs.length === 0 && clientGroups.length === 0) {
    v.report('allowedClientCidrs', 'and allowedClientSecurityGroupIds are both empty, so no client could reach the API; set one of them (the DR functions need it)');
  }
}

function validateNumbers(v: PropsValidation, props: VaultClusterProps): void {
  const ranges: Array<[keyof VaultClusterProps, number | undefined, number, number]> = [
    ['rootVolumeSizeGiB', props.rootVolumeSizeGiB, 8, 16384],
    ['dataVolumeSizeGiB', props.dataVolumeSizeGiB, 10, 16384],
    ['dataVolumeIops', props.dataVolumeIops, 3000, 80000],
    ['dataVolumeThroughput', props.dataVolumeThroughput, 125, 2000],
    ['healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds, 60, 7200],
    ['instanceWarmupSeconds', props.instanceWarmupSeconds, 0, 3600],
  ];
  for (const [prop, value, min, max] of ranges) {
    if (value === undefined || !known(value)) continue;
    if (!Number.isInteger(value) || value < min || value > max) v.report(prop, `must be an integer from ${min} to ${max}; got ${value}`);
  }
}

function validateDns(v: PropsValidation, props: VaultClusterProps): void {
  v.check('hostedZoneId', props.hostedZoneId, rules.hostedZoneId);
  if (known(props.hostedZoneName) && (typeof props.hostedZoneName !== 'string' || props.hostedZoneName.endsWith('.') || props.hostedZoneName.length === 0)) {
    v.report('hostedZoneName', `must be the zone's domain (example.com), without the trailing dot (got "${props.hostedZoneName}")`);
  }
}

function validateAccess(v: PropsValidation, props: VaultClusterProps): void {
  if (props.logRetentionDays !== undefined && known(props.logRetentionDays)) v.check('logRetentionDays', props.logRetentionDays, rules.logRetentionDays);
  const admins = props.keyAdministratorArns;
  if (admins !== undefined && known(admins)) {
    if (admins.length === 0) v.report('keyAdministratorArns', 'must name at least one principal when given (leave it out to use the identity running Terraform)');
    else v.each('keyAdministratorArns', admins, rules.iamPrincipalArn);
  }
  v.optional('autoScalingServiceRoleArn', props.autoScalingServiceRoleArn, rules.iamRoleArn);
  v.each('sessionManagerRoleNames', props.sessionManagerRoleNames, (name) =>
    !known(name) || (typeof name === 'string' && IAM_ROLE_NAME.test(name)) ? undefined : `has "${name}", which is not an IAM role name (a name, not an ARN)`,
  );
  if ((props.sessionManagerRoleNames ?? []).length > 0 && props.sessionManagerAccess === false) {
    v.report('sessionManagerRoleNames', 'is set while sessionManagerAccess is false: give one or the other');
  }
}

function validateAlarms(v: PropsValidation, props: VaultClusterProps, region: string | undefined): void {
  if (v.each('alarmActions', props.alarmActions, rules.arn())) {
    v.each('alarmActions', props.alarmActions, (action) => rules.alarmActionRegionProblem(action, region));
  }
}

function validateSnapshotDestinations(v: PropsValidation, props: VaultClusterProps): void {
  (props.snapshotDestinations ?? []).forEach((d, i) => {
    v.check(`snapshotDestinations[${i}].bucketArn`, d.bucketArn, rules.arn('s3', 'arn:aws:s3:::vault-dev-use1-snapshots'));
    v.check(`snapshotDestinations[${i}].kmsKeyArn`, d.kmsKeyArn, rules.kmsKeyArn);
    if (known(d.region)) v.check(`snapshotDestinations[${i}].region`, d.region, rules.awsRegion);
  });
}

/** Rules on the load balancer's and the nodes' groups, each side (private/security-groups.ts), against the account's quota. */
function validateRuleCounts(v: PropsValidation, props: VaultClusterProps): void {
  const quota = props.securityGroupRuleQuota ?? VAULT_CLUSTER_DEFAULTS.securityGroupRuleQuota;
  if (!v.check('securityGroupRuleQuota', quota, rules.wholeNumber(10, 1000, 'rules', 'AWS allows up to 1000 rules per security group'))) return;
  const lists = [props.allowedClientCidrs, props.allowedClientSecurityGroupIds, props.peerClusterCidrs, props.awsApiEgressCidrs, props.awsApiEgressPrefixListIds];
  if (lists.some((list) => list !== undefined && (!known(list) || !Array.isArray(list)))) return;
  const clients = (props.allowedClientCidrs ?? []).length + (props.allowedClientSecurityGroupIds ?? []).length;
  const peers = 2 * (props.peerClusterCidrs ?? []).length;
  const awsApi = (props.awsApiEgressCidrs ?? VAULT_CLUSTER_DEFAULTS.awsApiEgressCidrs).length + (props.awsApiEgressPrefixListIds ?? []).length;
  // The nodes' group also lets in the load balancer and the other nodes on both ports, and lets out the other nodes.
  const counts: Array<[string, number]> = [
    ['inbound rules on the nodes\' security group', clients + peers + 4],
    ['inbound rules on the load balancer\'s security group', clients + peers],
    ['outbound rules on the nodes\' security group', peers + 2 + awsApi],
  ];
  for (const [what, count] of counts) {
    if (count > quota) {
      v.report(
        'peerClusterCidrs',
        `with allowedClientCidrs and allowedClientSecurityGroupIds makes ${count} ${what}, more than securityGroupRuleQuota (${quota}, AWS's "Inbound or outbound rules per security group"): let in fewer peer subnets or client networks (a prefix list counts as one), or raise the quota and securityGroupRuleQuota with it`,
      );
      return;
    }
  }
}

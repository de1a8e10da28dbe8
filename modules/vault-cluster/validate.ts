import { Token } from '../internal/cdktf';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from '../shared/log-retention';
import { PropsValidationError } from '../shared/props-validation-error';
import { isWorldOpen, parseCidr } from './cidr';
import { VAULT_CLUSTER_DEFAULTS } from './defaults';
import type { VaultClusterProps } from './types';

const NAME = /^[a-z][a-z0-9-]*$/;
/** Target group names are limited to 32 characters and get `-8200` appended. */
const MAX_BASE_NAME = 27;
const MIN_ZONES = 3;
const ALLOWED_NODE_COUNTS = [3, 5];

function fail(prop: string, problem: string): never {
  throw new PropsValidationError('VaultCluster', prop, problem);
}

const known = (value: unknown): boolean => !Token.isUnresolved(value);

/** Throws, naming the prop and the fix, on the first prop that cannot work. */
export function validateVaultClusterProps(props: VaultClusterProps): void {
  validateNames(props);
  validateNodeCount(props.nodeCount ?? VAULT_CLUSTER_DEFAULTS.nodeCount);
  validateSubnets(props);
  validateImage(props);
  validateSecrets(props);
  validateNetworkSources(props);
  validateNumbers(props);
  validateDns(props);
  validateAccess(props);
}

const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function validateAccess(props: VaultClusterProps): void {
  const retention = props.logRetentionDays;
  if (retention !== undefined && known(retention) && !CLOUDWATCH_LOG_RETENTION_DAYS.includes(retention)) {
    fail('logRetentionDays', `must be one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')} (got ${retention})`);
  }
  const admins = props.keyAdministratorArns;
  if (admins !== undefined && known(admins)) {
    if (admins.length === 0) fail('keyAdministratorArns', 'must name at least one principal when given (leave it out to use the identity running Terraform)');
    for (const arn of admins) {
      if (known(arn) && !/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+/.test(arn)) {
        fail('keyAdministratorArns', `has "${arn}", which is not an IAM role or user ARN`);
      }
    }
  }
  for (const name of props.sessionManagerRoleNames ?? []) {
    if (known(name) && !IAM_ROLE_NAME.test(name)) {
      fail('sessionManagerRoleNames', `has "${name}", which is not an IAM role name (a name, not an ARN)`);
    }
  }
  if ((props.sessionManagerRoleNames ?? []).length > 0 && props.sessionManagerAccess === false) {
    fail('sessionManagerRoleNames', 'is set while sessionManagerAccess is false: give one or the other');
  }
}

function validateNames(props: VaultClusterProps): void {
  for (const prop of ['environment', 'clusterName'] as const) {
    const value = props[prop];
    if (known(value) && !NAME.test(value)) {
      fail(prop, `must be lowercase letters, digits and hyphens, starting with a letter (got "${value}")`);
    }
  }
  if (known(props.environment) && known(props.clusterName)) {
    const baseName = `vault-${props.environment}-${props.clusterName}`;
    if (baseName.length > MAX_BASE_NAME) {
      fail(
        'clusterName',
        `"${baseName}" (vault-<environment>-<clusterName>) is ${baseName.length} characters; ` +
          `shorten environment or clusterName so it fits ${MAX_BASE_NAME} (load balancer and target group names are limited to 32)`,
      );
    }
  }
}

function validateNodeCount(nodeCount: number): void {
  if (!known(nodeCount)) {
    fail('nodeCount', 'must be a number known at synth (it sizes the group and sets the quorum alarm threshold), not a token');
  }
  if (!ALLOWED_NODE_COUNTS.includes(nodeCount)) {
    fail('nodeCount', `must be 3 or 5 (an odd number of Raft voters: 3 survives one lost node, 5 survives two); got ${nodeCount}`);
  }
}

function validateSubnets(props: VaultClusterProps): void {
  if (!known(props.subnets)) return;
  const ids = props.subnets.map((s) => s.subnetId).filter(known);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) fail('subnets', `lists ${duplicate} twice; give each subnet once`);
  for (const subnet of props.subnets) {
    if (subnet.cidrBlock === undefined || !known(subnet.cidrBlock)) continue;
    const parsed = parseCidr(subnet.cidrBlock);
    if (!parsed || isWorldOpen(parsed)) fail('subnets', `give ${subnet.subnetId} its own CIDR as cidrBlock (got "${subnet.cidrBlock}")`);
  }
  if (props.subnets.some((s) => !known(s.availabilityZone))) return;
  const zones = [...new Set(props.subnets.map((s) => s.availabilityZone))];
  if (zones.length < MIN_ZONES) {
    fail(
      'subnets',
      `span ${zones.length} availability zone(s) (${zones.join(', ') || 'none'}); ` +
        `give subnets in at least ${MIN_ZONES} distinct zones so the Raft quorum survives the loss of a zone`,
    );
  }
}

function validateImage(props: VaultClusterProps): void {
  const { amiId, ssmParameterName } = props.image;
  if ((amiId === undefined) === (ssmParameterName === undefined)) {
    fail('image', 'needs exactly one of amiId and ssmParameterName');
  }
  if (amiId !== undefined && known(amiId) && !amiId.startsWith('ami-')) {
    fail('image.amiId', `"${amiId}" is not an AMI id (ami-...)`);
  }
}

function validateSecrets(props: VaultClusterProps): void {
  const secrets: Array<[string, string]> = [
    ['tls.certificateSecretArn', props.tls.certificateSecretArn],
    ['tls.privateKeySecretArn', props.tls.privateKeySecretArn],
    ['tls.caBundleSecretArn', props.tls.caBundleSecretArn],
    ['licenseSecretArn', props.licenseSecretArn],
  ];
  for (const [prop, arn] of secrets) {
    // The nodes read these by ARN (the region comes from it) and IAM grants them by ARN.
    if (known(arn) && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/.test(arn)) {
      fail(prop, `"${arn}" must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`);
    }
  }
}

function validateCidrs(prop: string, cidrs: readonly string[] | undefined, allowWorld: boolean): void {
  if (cidrs === undefined || !known(cidrs)) return;
  for (const cidr of cidrs) {
    if (!known(cidr)) continue;
    const parsed = parseCidr(cidr);
    if (!parsed) fail(prop, `has "${cidr}", which is not an IPv4 or IPv6 CIDR (10.0.0.0/16, fd00::/8)`);
    if (!allowWorld && isWorldOpen(parsed)) {
      fail(prop, `has "${cidr}", which opens Vault to every address; list the client or peer networks instead`);
    }
  }
}

function validateNetworkSources(props: VaultClusterProps): void {
  validateCidrs('allowedClientCidrs', props.allowedClientCidrs, false);
  validateCidrs('peerClusterCidrs', props.peerClusterCidrs, false);
  validateCidrs('awsApiEgressCidrs', props.awsApiEgressCidrs, true);
  const clientCidrs = props.allowedClientCidrs ?? [];
  const clientGroups = props.allowedClientSecurityGroupIds ?? [];
  if (known(clientCidrs) && known(clientGroups) && clientCidrs.length === 0 && clientGroups.length === 0) {
    fail('allowedClientCidrs', 'and allowedClientSecurityGroupIds are both empty, so no client could reach the API; set one of them (the DR functions need it)');
  }
}

function validateNumbers(props: VaultClusterProps): void {
  const ranges: Array<[string, number | undefined, number, number]> = [
    ['rootVolumeSizeGiB', props.rootVolumeSizeGiB, 8, 16384],
    ['dataVolumeSizeGiB', props.dataVolumeSizeGiB, 10, 16384],
    ['dataVolumeIops', props.dataVolumeIops, 3000, 80000],
    ['dataVolumeThroughput', props.dataVolumeThroughput, 125, 2000],
    ['healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds, 60, 7200],
    ['instanceWarmupSeconds', props.instanceWarmupSeconds, 0, 3600],
  ];
  for (const [prop, value, min, max] of ranges) {
    if (value === undefined || !known(value)) continue;
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(prop, `must be an integer from ${min} to ${max}; got ${value}`);
    }
  }
}

function validateDns(props: VaultClusterProps): void {
  if (known(props.hostedZoneName) && (props.hostedZoneName.endsWith('.') || props.hostedZoneName.length === 0)) {
    fail('hostedZoneName', `must be the zone's domain (example.com), without the trailing dot (got "${props.hostedZoneName}")`);
  }
}

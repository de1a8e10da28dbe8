import type { VaultClusterProps } from './types';

/** Every default of VaultCluster, in one place (the props' `@default` docs repeat these). */
export const VAULT_CLUSTER_DEFAULTS = Object.freeze({
  nodeCount: 5,
  instanceType: 'm7i.xlarge',
  rootDeviceName: '/dev/xvda',
  rootVolumeSizeGiB: 20,
  dataVolumeSizeGiB: 100,
  dataVolumeIops: 3000,
  dataVolumeThroughput: 125,
  internal: true,
  deletionProtection: true,
  healthCheckGracePeriodSeconds: 600,
  instanceWarmupSeconds: 300,
  sessionManagerAccess: true,
  // 365 days is the shortest retention CKV_AWS_338 accepts, and a year of audit is what an audit asks for.
  logRetentionDays: 365,
  awsApiEgressCidrs: Object.freeze(['0.0.0.0/0']) as readonly string[],
  // https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
  securityGroupRuleQuota: 60,
});

/** Ports Vault listens on. */
export const VAULT_API_PORT = 8200;
export const VAULT_CLUSTER_PORT = 8201;

/** Tag the Auto Scaling group propagates to its nodes; Raft's auto_join finds peers by it. */
export const AUTO_JOIN_TAG_KEY = 'VaultCluster';

/** Where things live on a node (the AMI contract and the user data share these). */
export const VAULT_NODE_PATHS = Object.freeze({
  binary: '/usr/bin/vault',
  configDir: '/etc/vault.d',
  configFile: '/etc/vault.d/vault.hcl',
  licenseFile: '/etc/vault.d/vault.hclic',
  dataDir: '/opt/vault/data',
  tlsDir: '/opt/vault/tls',
  tlsCertFile: '/opt/vault/tls/vault-cert.pem',
  tlsKeyFile: '/opt/vault/tls/vault-key.pem',
  tlsCaFile: '/opt/vault/tls/vault-ca.pem',
  dataDevice: '/dev/sdf',
  /** The file audit device's log (VaultAuditDevice), shipped by the CloudWatch agent. */
  auditDir: '/var/log/vault',
  auditLogFile: '/var/log/vault/audit.log',
  cloudWatchAgentCtl: '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl',
  cloudWatchAgentConfig: '/opt/aws/amazon-cloudwatch-agent/etc/vault.json',
});

/** Where Vault sends its telemetry (statsd) on the node: the CloudWatch agent listens there. */
export const VAULT_STATSD_ADDRESS = '127.0.0.1:8125';

/**
 * Vault's telemetry names as the CloudWatch agent receives them over statsd. Vault's core gauges go
 * through its cluster metric sink, which adds a `cluster` label (the configuration's cluster_name,
 * here the cluster's base name), and go-metrics' statsd sink appends label values to the name
 * (vault helper/metricsutil/wrapped_metrics.go ClusterMetricSink; armon/go-metrics statsd.go
 * flattenKeyLabels). Metrics Vault emits through go-metrics' global sink carry no label.
 * https://developer.hashicorp.com/vault/docs/internals/telemetry/metrics/core-system
 */
export function vaultTelemetryNames(baseName: string) {
  return {
    /** Gauge, every node, every second: 1 unsealed, 0 sealed (a sealed node stops its metrics loop, so it mostly goes silent). */
    unsealed: `vault.core.unsealed.${baseName}`,
    /** Gauge, every node: 1 on the active node, 0 on standbys. */
    active: `vault.core.active.${baseName}`,
    /** Gauge, every node: 1 on a DR primary, else 0. */
    drPrimary: `vault.core.replication.dr.primary.${baseName}`,
    /** Gauge, every node: 1 on a DR secondary, else 0. */
    drSecondary: `vault.core.replication.dr.secondary.${baseName}`,
    /** Summary (a statsd timer): one sample each time a node loses leadership (vault/ha.go). */
    leadershipLost: 'vault.core.leadership_lost',
  } as const;
}

/** The two counters Vault increments when an audit device fails to log a request or response (1 per failure). */
export const VAULT_AUDIT_FAILURE_METRICS = ['vault.audit.log_request_failure', 'vault.audit.log_response_failure'] as const;

/** The CloudWatch namespace a cluster's nodes publish Vault's telemetry to. */
export function vaultMetricsNamespace(baseName: string): string {
  return `Vault/${baseName}`;
}

/** The cluster's log groups: the audit log and the Session Manager sessions. */
export function clusterLogGroupNames(baseName: string): { readonly audit: string; readonly sessions: string } {
  return { audit: `/vault/${baseName}/audit`, sessions: `/vault/${baseName}/session-manager` };
}

/** VaultClusterProps with every default applied and the derived names computed. */
export interface ResolvedVaultClusterProps
  extends Required<Omit<VaultClusterProps, 'accessLogs' | 'provider' | 'autoScalingServiceRoleArn' | 'keyAdministratorArns'>> {
  readonly accessLogs?: VaultClusterProps['accessLogs'];
  readonly provider?: VaultClusterProps['provider'];
  readonly autoScalingServiceRoleArn?: string;
  readonly keyAdministratorArns?: readonly string[];
  /** `vault-<environment>-<clusterName>`: the name of the cluster's resources and its Raft tag. */
  readonly baseName: string;
  /** `<recordName>.<hostedZoneName>`. */
  readonly fqdn: string;
}

export function resolveVaultClusterProps(props: VaultClusterProps): ResolvedVaultClusterProps {
  const d = VAULT_CLUSTER_DEFAULTS;
  const baseName = `vault-${props.environment}-${props.clusterName}`;
  const recordName = props.recordName ?? baseName;
  const fqdn = `${recordName}.${props.hostedZoneName}`;
  return {
    ...props,
    nodeCount: props.nodeCount ?? d.nodeCount,
    instanceType: props.instanceType ?? d.instanceType,
    rootDeviceName: props.rootDeviceName ?? d.rootDeviceName,
    rootVolumeSizeGiB: props.rootVolumeSizeGiB ?? d.rootVolumeSizeGiB,
    dataVolumeSizeGiB: props.dataVolumeSizeGiB ?? d.dataVolumeSizeGiB,
    dataVolumeIops: props.dataVolumeIops ?? d.dataVolumeIops,
    dataVolumeThroughput: props.dataVolumeThroughput ?? d.dataVolumeThroughput,
    secretsKmsKeyArns: props.secretsKmsKeyArns ?? [],
    recordName,
    tlsServerName: props.tlsServerName ?? fqdn,
    allowedClientCidrs: props.allowedClientCidrs ?? [],
    allowedClientSecurityGroupIds: props.allowedClientSecurityGroupIds ?? [],
    peerClusterCidrs: props.peerClusterCidrs ?? [],
    awsApiEgressCidrs: props.awsApiEgressCidrs ?? d.awsApiEgressCidrs,
    awsApiEgressPrefixListIds: props.awsApiEgressPrefixListIds ?? [],
    securityGroupRuleQuota: props.securityGroupRuleQuota ?? d.securityGroupRuleQuota,
    internal: props.internal ?? d.internal,
    deletionProtection: props.deletionProtection ?? d.deletionProtection,
    snapshotDestinations: props.snapshotDestinations ?? [],
    healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? d.healthCheckGracePeriodSeconds,
    instanceWarmupSeconds: props.instanceWarmupSeconds ?? d.instanceWarmupSeconds,
    sessionManagerAccess: props.sessionManagerAccess ?? d.sessionManagerAccess,
    sessionManagerRoleNames: props.sessionManagerRoleNames ?? [],
    logRetentionDays: props.logRetentionDays ?? d.logRetentionDays,
    alarmActions: props.alarmActions ?? [],
    tags: props.tags ?? {},
    baseName,
    fqdn,
  };
}

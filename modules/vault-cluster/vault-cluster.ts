import { Construct } from 'constructs';
import { IamRolePolicy } from '../internal/aws';
import type { TerraformProvider } from '../internal/cdktf';
import { terraformCallerRoleArn } from '../shared/kms-key';
import { policyDocument } from '../shared/policy';
import type { VaultClusterEndpoint } from '../shared/vault-cluster-endpoint';
import { resolveVaultClusterProps, VAULT_API_PORT, VAULT_CLUSTER_PORT, vaultMetricsNamespace } from './defaults';
import { AuditFailureAlarm } from './private/audit-alarm';
import { AwsContext } from './private/aws-context';
import { ClusterLogs } from './private/cluster-logs';
import { ClusterDnsRecord } from './private/dns-record';
import { ClusterLoadBalancer } from './private/load-balancer';
import { NodeAlarms } from './private/node-alarms';
import { NodeGroup } from './private/node-group';
import { awsAuthResolutionStatements, NodePolicy } from './private/node-policy';
import { NodeRole } from './private/node-role';
import { QuorumAlarm } from './private/quorum-alarm';
import { SealKey } from './private/seal-key';
import { ClusterSecurityGroups } from './private/security-groups';
import { SessionManagerAccess } from './private/session-manager';
import type { VaultClusterProps } from './types';
import { validateVaultClusterProps } from './validate';
import { awsProviderRegion } from '../shared/validation';

/**
 * One production Vault Enterprise cluster: Raft nodes in an Auto Scaling group over three or more
 * zones, auto-unsealed with its own KMS key, behind an internal Network Load Balancer, with an
 * alias record, a below-quorum alarm, an encrypted audit log group the nodes ship Vault's file
 * audit log to (VaultAuditDevice writes it) and an alarm on audit failures, alarms on a sealed node
 * and on frequent leadership changes (Vault's telemetry, which the nodes' CloudWatch agent
 * publishes), and Session Manager
 * limited to this cluster's nodes and logged. Every resource is created with `props.provider`.
 *
 * Construct ids (this one and the children's) decide Terraform addresses: renaming one replaces
 * its resources.
 */
export class VaultCluster extends Construct {
  /** `vault-<environment>-<clusterName>`: the resources' name and the Raft auto_join tag value. */
  public readonly name: string;
  /** Raft voters (nodes) of the cluster: what VaultRaftAutopilot's nodeCount takes. */
  public readonly nodeCount: number;
  /** The cluster's own DNS name (`vault-dev-primary.example.com`). */
  public readonly fqdn: string;
  /** API address, `https://<fqdn>:8200` (the `address` of this cluster in VAULT_CLUSTERS). */
  public readonly address: string;
  /** Cluster-port address, `https://<fqdn>:8201`: primary_cluster_addr for DR replication. */
  public readonly clusterAddress: string;
  /**
   * `{ name, address, clusterAddress }` as the DR automation's and the weighted endpoint's
   * `clusters` prop takes it (name = `this.name`: the set identifier of its weighted record).
   */
  public readonly endpoint: VaultClusterEndpoint;
  public readonly loadBalancerArn: string;
  public readonly loadBalancerDnsName: string;
  public readonly loadBalancerZoneId: string;
  public readonly apiTargetGroupArn: string;
  public readonly clusterTargetGroupArn: string;
  public readonly nodeRoleArn: string;
  public readonly nodeRoleName: string;
  public readonly nodeSecurityGroupId: string;
  public readonly loadBalancerSecurityGroupId: string;
  public readonly sealKeyArn: string;
  public readonly autoScalingGroupName: string;
  public readonly quorumAlarmArn: string;
  public readonly auditFailureAlarmArn: string;
  /** Fires when a node is sealed (or out of the load balancer) for minutes. */
  public readonly sealedNodeAlarmArn: string;
  /** Fires when the active node changes too often. */
  public readonly leadershipChangesAlarmArn: string;
  /** The log group the nodes ship Vault's audit log to. */
  public readonly auditLogGroupName: string;
  /** The log group Session Manager logs the nodes' sessions to (when sessionManagerAccess). */
  public readonly sessionLogGroupName?: string;
  /** The managed policy that allows logged sessions on this cluster's nodes only (when sessionManagerAccess). */
  public readonly sessionManagerPolicyArn?: string;
  private readonly provider?: TerraformProvider;
  private readonly nodeRoleId: string;
  private awsAuthResolution?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: VaultClusterProps) {
    super(scope, id);
    validateVaultClusterProps(this, props);
    const p = resolveVaultClusterProps(props);
    const { provider, baseName } = p;
    const tags = { ...p.tags, VaultCluster: baseName };
    const subnetIds = p.subnets.map((s) => s.subnetId);

    const context = new AwsContext(this, 'Aws', provider);
    const keyAdministratorArns = p.keyAdministratorArns ?? [terraformCallerRoleArn(this, 'TerraformCaller', provider)];
    const logs = new ClusterLogs(this, 'Logs', {
      baseName,
      context,
      retentionDays: p.logRetentionDays,
      sessions: p.sessionManagerAccess,
      keyAdministratorArns,
      provider,
      tags,
    });
    const nodeRole = new NodeRole(this, 'NodeRole', {
      baseName,
      context,
      sessionManagerAccess: p.sessionManagerAccess,
      provider,
      tags,
    });
    const sealKey = new SealKey(this, 'SealKey', {
      baseName,
      context,
      nodeRoleArn: nodeRole.role.arn,
      autoScalingServiceRoleArn: p.autoScalingServiceRoleArn,
      keyAdministratorArns,
      provider,
      tags,
    });
    new NodePolicy(this, 'NodePolicy', {
      roleName: nodeRole.role.name,
      context,
      sealKeyArn: sealKey.key.arn,
      logging: {
        metricsNamespace: vaultMetricsNamespace(baseName),
        auditLogGroupArn: logs.auditLogGroup.arn,
        sessions: logs.sessionLogGroup ? { logGroupArn: logs.sessionLogGroup.arn, keyArn: logs.key.arn } : undefined,
      },
      tls: p.tls,
      licenseSecretArn: p.licenseSecretArn,
      secretsKmsKeyArns: p.secretsKmsKeyArns,
      snapshotDestinations: p.snapshotDestinations,
      provider,
    });
    const securityGroups = new ClusterSecurityGroups(this, 'SecurityGroups', {
      baseName,
      vpcId: p.vpcId,
      allowedClientCidrs: p.allowedClientCidrs,
      allowedClientSecurityGroupIds: p.allowedClientSecurityGroupIds,
      peerClusterCidrs: p.peerClusterCidrs,
      awsApiEgressCidrs: p.awsApiEgressCidrs,
      awsApiEgressPrefixListIds: p.awsApiEgressPrefixListIds,
      provider,
      tags,
    });
    const lb = new ClusterLoadBalancer(this, 'LoadBalancer', {
      baseName,
      vpcId: p.vpcId,
      subnetIds,
      securityGroupId: securityGroups.loadBalancer.id,
      internal: p.internal,
      deletionProtection: p.deletionProtection,
      accessLogs: p.accessLogs,
      provider,
      tags,
    });
    const nodes = new NodeGroup(this, 'Nodes', {
      baseName,
      nodeCount: p.nodeCount,
      subnetIds,
      image: p.image,
      instanceType: p.instanceType,
      rootDeviceName: p.rootDeviceName,
      rootVolumeSizeGiB: p.rootVolumeSizeGiB,
      dataVolumeSizeGiB: p.dataVolumeSizeGiB,
      dataVolumeIops: p.dataVolumeIops,
      dataVolumeThroughput: p.dataVolumeThroughput,
      kmsKeyArn: sealKey.key.arn,
      instanceProfileArn: nodeRole.instanceProfile.arn,
      securityGroupId: securityGroups.nodes.id,
      targetGroupArns: [lb.apiTargetGroup.arn, lb.clusterTargetGroup.arn],
      tls: p.tls,
      licenseSecretArn: p.licenseSecretArn,
      tlsServerName: p.tlsServerName,
      healthCheckGracePeriodSeconds: p.healthCheckGracePeriodSeconds,
      instanceWarmupSeconds: p.instanceWarmupSeconds,
      provider,
      tags,
    });
    new ClusterDnsRecord(this, 'DnsRecord', {
      hostedZoneId: p.hostedZoneId,
      fqdn: p.fqdn,
      loadBalancerDnsName: lb.loadBalancer.dnsName,
      loadBalancerZoneId: lb.loadBalancer.zoneId,
      provider,
    });
    const alarm = new QuorumAlarm(this, 'QuorumAlarm', {
      baseName,
      nodeCount: p.nodeCount,
      loadBalancerArnSuffix: lb.loadBalancer.arnSuffix,
      targetGroupArnSuffix: lb.apiTargetGroup.arnSuffix,
      alarmActions: p.alarmActions,
      provider,
      tags,
    });
    const auditAlarm = new AuditFailureAlarm(this, 'AuditFailureAlarm', { baseName, alarmActions: p.alarmActions, provider, tags });
    const nodeAlarms = new NodeAlarms(this, 'NodeAlarms', {
      baseName,
      loadBalancerArnSuffix: lb.loadBalancer.arnSuffix,
      targetGroupArnSuffix: lb.apiTargetGroup.arnSuffix,
      alarmActions: p.alarmActions,
      provider,
      tags,
    });
    if (logs.sessionLogGroup) {
      const sessions = new SessionManagerAccess(this, 'SessionManager', {
        baseName,
        context,
        logGroupName: logs.sessionLogGroup.name,
        keyArn: logs.key.arn,
        roleNames: p.sessionManagerRoleNames,
        provider,
        tags,
      });
      this.sessionLogGroupName = logs.sessionLogGroup.name;
      this.sessionManagerPolicyArn = sessions.policyArn;
    }

    this.name = baseName;
    this.nodeCount = p.nodeCount;
    this.fqdn = p.fqdn;
    this.address = `https://${p.fqdn}:${VAULT_API_PORT}`;
    this.clusterAddress = `https://${p.fqdn}:${VAULT_CLUSTER_PORT}`;
    // The region, when the provider's is written in the stack: DrAutomation and WeightedVaultEndpoint
    // then refuse a pair in one region.
    const region = awsProviderRegion(this, provider);
    this.endpoint = { name: baseName, address: this.address, clusterAddress: this.clusterAddress, ...(region !== undefined ? { region } : {}) };
    this.loadBalancerArn = lb.loadBalancer.arn;
    this.loadBalancerDnsName = lb.loadBalancer.dnsName;
    this.loadBalancerZoneId = lb.loadBalancer.zoneId;
    this.apiTargetGroupArn = lb.apiTargetGroup.arn;
    this.clusterTargetGroupArn = lb.clusterTargetGroup.arn;
    this.nodeRoleArn = nodeRole.role.arn;
    this.nodeRoleName = nodeRole.role.name;
    this.nodeSecurityGroupId = securityGroups.nodes.id;
    this.loadBalancerSecurityGroupId = securityGroups.loadBalancer.id;
    this.sealKeyArn = sealKey.key.arn;
    this.autoScalingGroupName = nodes.autoScalingGroup.name;
    this.quorumAlarmArn = alarm.alarm.arn;
    this.auditFailureAlarmArn = auditAlarm.alarm.arn;
    this.sealedNodeAlarmArn = nodeAlarms.sealedNodeAlarm.arn;
    this.leadershipChangesAlarmArn = nodeAlarms.leadershipAlarm.arn;
    this.auditLogGroupName = logs.auditLogGroup.name;
    this.nodeRoleId = nodeRole.role.name;
    this.provider = provider;
  }

  /**
   * Lets Vault (running with this cluster's node role) resolve the IAM roles its AWS auth roles are
   * bound to: iam:GetRole on exactly `roleArns`. Give it the roles of every AWS auth role written
   * with resolve_aws_unique_ids (DrAutomation's function roles), and make those Vault roles depend
   * on the returned policy: Vault calls GetRole when the role is written, and the write fails
   * without it. Both clusters need it: either may be the primary that the role is written to.
   */
  allowVaultToResolveRoles(roleArns: readonly string[]): IamRolePolicy {
    if (this.awsAuthResolution !== undefined) {
      throw new Error(`VaultCluster ${this.node.path}: allowVaultToResolveRoles was already called; pass every role ARN in one call`);
    }
    this.awsAuthResolution = new IamRolePolicy(this, 'AwsAuthResolution', {
      provider: this.provider,
      name: 'vault-aws-auth',
      role: this.nodeRoleId,
      policy: policyDocument(awsAuthResolutionStatements(roleArns)),
    });
    return this.awsAuthResolution;
  }
}

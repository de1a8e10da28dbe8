import { Construct } from 'constructs';
import type { VaultClusterEndpoint } from '../shared/vault-cluster-endpoint';
import { resolveVaultClusterProps, VAULT_API_PORT, VAULT_CLUSTER_PORT } from './defaults';
import { AwsContext } from './private/aws-context';
import { ClusterDnsRecord } from './private/dns-record';
import { ClusterLoadBalancer } from './private/load-balancer';
import { NodeGroup } from './private/node-group';
import { NodePolicy } from './private/node-policy';
import { NodeRole } from './private/node-role';
import { QuorumAlarm } from './private/quorum-alarm';
import { SealKey } from './private/seal-key';
import { ClusterSecurityGroups } from './private/security-groups';
import type { VaultClusterProps } from './types';
import { validateVaultClusterProps } from './validate';

/**
 * One production Vault Enterprise cluster: Raft nodes in an Auto Scaling group over three or more
 * zones, auto-unsealed with its own KMS key, behind an internal Network Load Balancer, with an
 * alias record and a below-quorum alarm. Every resource is created with `props.provider`.
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

  constructor(scope: Construct, id: string, props: VaultClusterProps) {
    super(scope, id);
    validateVaultClusterProps(props);
    const p = resolveVaultClusterProps(props);
    const { provider, baseName } = p;
    const tags = { ...p.tags, VaultCluster: baseName };
    const subnetIds = p.subnets.map((s) => s.subnetId);

    const context = new AwsContext(this, 'Aws', provider);
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
      provider,
      tags,
    });
    new NodePolicy(this, 'NodePolicy', {
      roleName: nodeRole.role.name,
      context,
      sealKeyArn: sealKey.key.arn,
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

    this.name = baseName;
    this.nodeCount = p.nodeCount;
    this.fqdn = p.fqdn;
    this.address = `https://${p.fqdn}:${VAULT_API_PORT}`;
    this.clusterAddress = `https://${p.fqdn}:${VAULT_CLUSTER_PORT}`;
    this.endpoint = { name: baseName, address: this.address, clusterAddress: this.clusterAddress };
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
  }
}

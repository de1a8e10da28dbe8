import type { TerraformProvider } from '../../internal/cdktf';
import { Lb, LbListener, LbTargetGroup } from '../../internal/aws';
import { Construct } from 'constructs';
import { VAULT_API_PORT, VAULT_CLUSTER_PORT } from '../defaults';
import { VAULT_HEALTH_CHECK } from '../health-check';
import type { VaultLoadBalancerAccessLogs } from '../types';

export interface ClusterLoadBalancerProps {
  readonly baseName: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly internal: boolean;
  readonly deletionProtection: boolean;
  readonly accessLogs?: VaultLoadBalancerAccessLogs;
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Network Load Balancer with TCP listeners: TLS passes through to Vault (the nodes hold the
 * certificate), and the cluster port carries Vault's own mutual TLS, which no proxy may end.
 */
export class ClusterLoadBalancer extends Construct {
  public readonly loadBalancer: Lb;
  public readonly apiTargetGroup: LbTargetGroup;
  public readonly clusterTargetGroup: LbTargetGroup;

  constructor(scope: Construct, id: string, props: ClusterLoadBalancerProps) {
    super(scope, id);
    this.loadBalancer = new Lb(this, 'LoadBalancer', {
      provider: props.provider,
      name: props.baseName,
      loadBalancerType: 'network',
      internal: props.internal,
      subnets: [...props.subnetIds],
      securityGroups: [props.securityGroupId],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection,
      accessLogs: props.accessLogs
        ? { bucket: props.accessLogs.bucketName, prefix: props.accessLogs.prefix ?? props.baseName, enabled: true }
        : undefined,
      tags: { ...props.tags, Name: props.baseName },
    });
    this.apiTargetGroup = this.targetGroup('ApiTargetGroup', VAULT_API_PORT, props);
    this.clusterTargetGroup = this.targetGroup('ClusterTargetGroup', VAULT_CLUSTER_PORT, props);
    this.listener('ApiListener', VAULT_API_PORT, this.apiTargetGroup, props);
    this.listener('ClusterListener', VAULT_CLUSTER_PORT, this.clusterTargetGroup, props);
  }

  private targetGroup(id: string, port: number, props: ClusterLoadBalancerProps): LbTargetGroup {
    const h = VAULT_HEALTH_CHECK;
    return new LbTargetGroup(this, id, {
      provider: props.provider,
      name: `${props.baseName}-${port}`,
      port,
      protocol: 'TCP',
      targetType: 'instance',
      vpcId: props.vpcId,
      // Vault requests are short; replication streams reconnect through the resolver. Closing
      // connections to a deregistered node moves both to a healthy node quickly.
      deregistrationDelay: '15',
      connectionTermination: true,
      healthCheck: {
        enabled: true,
        protocol: h.protocol,
        port: h.port,
        path: h.path,
        matcher: h.matcher,
        interval: h.intervalSeconds,
        timeout: h.timeoutSeconds,
        healthyThreshold: h.healthyThreshold,
        unhealthyThreshold: h.unhealthyThreshold,
      },
      tags: { ...props.tags, Name: `${props.baseName}-${port}` },
    });
  }

  private listener(id: string, port: number, targetGroup: LbTargetGroup, props: ClusterLoadBalancerProps): void {
    new LbListener(this, id, {
      provider: props.provider,
      loadBalancerArn: this.loadBalancer.arn,
      port,
      protocol: 'TCP',
      defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      tags: props.tags,
    });
  }
}

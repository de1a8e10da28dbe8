import { Route53Record } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';

export interface ClusterDnsRecordProps {
  readonly hostedZoneId: string;
  readonly fqdn: string;
  readonly loadBalancerDnsName: string;
  readonly loadBalancerZoneId: string;
  readonly provider?: TerraformProvider;
}

/** The cluster's own name: an alias A record to its load balancer. */
export class ClusterDnsRecord extends Construct {
  public readonly record: Route53Record;

  constructor(scope: Construct, id: string, props: ClusterDnsRecordProps) {
    super(scope, id);
    this.record = new Route53Record(this, 'Alias', {
      provider: props.provider,
      zoneId: props.hostedZoneId,
      name: props.fqdn,
      type: 'A',
      alias: { name: props.loadBalancerDnsName, zoneId: props.loadBalancerZoneId, evaluateTargetHealth: true },
    });
  }
}

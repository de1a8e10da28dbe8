import { Construct } from 'constructs';
import { DataAwsVpcEndpointService, SecurityGroup, VpcEndpoint, VpcSecurityGroupIngressRule } from '../../internal/aws';
import { type TerraformProvider, Token } from '../../internal/cdktf';
import type { DrVpcEndpointService } from '../dr-automation-props';

export interface DrVpcEndpointsProps {
  /** Names the security group: `<name>-endpoints`. */
  readonly name: string;
  readonly vpcId: string;
  /** The functions' subnets: each interface endpoint gets a network interface in each. */
  readonly subnetIds: readonly string[];
  /** The functions' security groups: let in on 443. */
  readonly functionSecurityGroupIds: readonly string[];
  /** Route tables the DynamoDB gateway endpoint adds its route to. */
  readonly routeTableIds: readonly string[];
  readonly services: readonly DrVpcEndpointService[];
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

/** DynamoDB is reached through a gateway endpoint (a route), every other service through an interface endpoint. */
const GATEWAY_SERVICES: readonly DrVpcEndpointService[] = ['dynamodb'];

/** Construct id of a service's endpoint: `SecretsmanagerEndpoint`. Ids are public API (Terraform addresses). */
const endpointId = (service: string) => `${service.charAt(0).toUpperCase()}${service.slice(1)}Endpoint`;

/**
 * VPC endpoints for the AWS APIs the DR functions call from their subnets (vpcPlacement.awsApiEndpoints):
 * interface endpoints with private DNS, so the SDK's default endpoints resolve to them, behind a
 * security group that lets only the functions' security groups in, on 443; and a DynamoDB gateway
 * endpoint on the subnets' route tables. The service name comes from AWS (`aws_vpc_endpoint_service`),
 * so it is right in every partition. Endpoint policies stay AWS's default (full access): the
 * functions' roles already name every resource they may touch, and a narrower endpoint policy would
 * also cut off every other workload of these subnets.
 */
export class DrVpcEndpoints extends Construct {
  /** The endpoints' security group: the functions' security groups must allow egress on 443 to it. */
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: DrVpcEndpointsProps) {
    super(scope, id);
    const { provider, tags } = props;
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      provider,
      name: `${props.name}-endpoints`,
      description: `VPC endpoints of the Vault DR functions ${props.name}: HTTPS from the functions only`,
      vpcId: props.vpcId,
      tags: { ...tags, Name: `${props.name}-endpoints` },
    });
    props.functionSecurityGroupIds.forEach((groupId, i) => {
      const key = Token.isUnresolved(groupId) ? `${i}` : groupId;
      new VpcSecurityGroupIngressRule(this, `In-${key}-443`, {
        provider,
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: groupId,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS from the Vault DR functions to the AWS API endpoints',
        tags,
      });
    });
    for (const service of props.services) {
      const gateway = GATEWAY_SERVICES.includes(service);
      const serviceName = new DataAwsVpcEndpointService(this, `${endpointId(service)}Service`, {
        provider,
        service,
        serviceType: gateway ? 'Gateway' : 'Interface',
      }).serviceName;
      new VpcEndpoint(this, endpointId(service), {
        provider,
        vpcId: props.vpcId,
        serviceName,
        ...(gateway
          ? { vpcEndpointType: 'Gateway', routeTableIds: [...props.routeTableIds] }
          : { vpcEndpointType: 'Interface', subnetIds: [...props.subnetIds], securityGroupIds: [securityGroup.id], privateDnsEnabled: true }),
        tags: { ...tags, Name: `${props.name}-${service}` },
      });
    }
    this.securityGroupId = securityGroup.id;
  }
}

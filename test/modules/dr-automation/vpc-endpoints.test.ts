import { DrAutomation, type VpcPlacement } from '../../../modules';
import { drAutomationProps } from '../support/dr-automation-fixtures';
import { ref, synthesize, type Synthesized } from '../support/synthesized';

const PLACEMENT: VpcPlacement = {
  subnetIds: ['subnet-0a1', 'subnet-0b2'],
  securityGroupIds: ['sg-0f1', 'sg-0f2'],
  subnetCidrs: ['10.0.48.0/24', '10.0.49.0/24'],
};

function build(vpcPlacement?: VpcPlacement): { synth: Synthesized; dr: DrAutomation } {
  let dr: DrAutomation | undefined;
  const synth = synthesize((scope) => {
    dr = new DrAutomation(scope, 'Dr', drAutomationProps({ vpcPlacement }));
  });
  return { synth, dr: dr! };
}

describe('VPC endpoints for the functions\' AWS APIs (vpcPlacement.awsApiEndpoints)', () => {
  it('are off by default, in a VPC or not', () => {
    for (const placement of [undefined, PLACEMENT]) {
      const { synth, dr } = build(placement);
      expect(synth.resources('aws_vpc_endpoint')).toEqual({});
      expect(synth.resources('aws_security_group')).toEqual({});
      expect(dr.vpcEndpointSecurityGroupId).toBeUndefined();
    }
  });

  describe('on request', () => {
    const { synth, dr } = build({ ...PLACEMENT, awsApiEndpoints: { vpcId: 'vpc-0c3', routeTableIds: ['rtb-0d4', 'rtb-0e5'] } });
    const endpoints = Object.values(synth.resources('aws_vpc_endpoint'));
    const serviceOf = (endpoint: Record<string, any>) => synth.dataSourceOf(endpoint.service_name);
    const { id: groupId, body: group } = synth.resource('aws_security_group');

    it('creates an interface endpoint with private DNS in the functions\' subnets for Secrets Manager, Lambda, STS and CloudWatch Logs', () => {
      const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === 'Interface');
      expect(interfaces.map((e) => serviceOf(e)).map((s) => [s.service, s.service_type]).sort()).toEqual([
        ['lambda', 'Interface'],
        ['logs', 'Interface'],
        ['secretsmanager', 'Interface'],
        ['sts', 'Interface'],
      ]);
      for (const endpoint of interfaces) {
        expect(endpoint).toMatchObject({
          vpc_id: 'vpc-0c3',
          subnet_ids: PLACEMENT.subnetIds,
          security_group_ids: [ref('aws_security_group', groupId, 'id')],
          private_dns_enabled: true,
        });
        expect(endpoint).not.toHaveProperty('route_table_ids');
      }
    });

    it('creates a DynamoDB gateway endpoint on the subnets\' route tables (the lease table)', () => {
      const gateways = endpoints.filter((e) => e.vpc_endpoint_type === 'Gateway');
      expect(gateways).toHaveLength(1);
      expect(serviceOf(gateways[0]!)).toMatchObject({ service: 'dynamodb', service_type: 'Gateway' });
      expect(gateways[0]).toMatchObject({ vpc_id: 'vpc-0c3', route_table_ids: ['rtb-0d4', 'rtb-0e5'] });
      expect(gateways[0]).not.toHaveProperty('subnet_ids');
    });

    it('creates no endpoint for Route 53, whose API has none', () => {
      expect(endpoints.map((e) => serviceOf(e).service)).not.toContain('route53');
    });

    it('lets only the functions\' security groups in, on 443, and nothing out', () => {
      expect(group).toMatchObject({ vpc_id: 'vpc-0c3', name: 'vault-dr-test-main-endpoints' });
      expect(group).not.toHaveProperty('egress');
      expect(group).not.toHaveProperty('ingress');
      const ingress = Object.values(synth.resources('aws_vpc_security_group_ingress_rule'));
      expect(ingress.map((r) => [r.referenced_security_group_id, r.ip_protocol, r.from_port, r.to_port])).toEqual([
        ['sg-0f1', 'tcp', 443, 443],
        ['sg-0f2', 'tcp', 443, 443],
      ]);
      for (const rule of ingress) expect(rule.security_group_id).toBe(ref('aws_security_group', groupId, 'id'));
      expect(synth.resources('aws_vpc_security_group_egress_rule')).toEqual({});
      expect(dr.vpcEndpointSecurityGroupId).toBeDefined();
    });
  });

  it('creates only the services asked for (the VPC has the others already)', () => {
    const { synth } = build({ ...PLACEMENT, awsApiEndpoints: { vpcId: 'vpc-0c3', services: ['secretsmanager', 'lambda'] } });
    const services = Object.values(synth.resources('aws_vpc_endpoint')).map((e) => synth.dataSourceOf(e.service_name).service);
    expect(services.sort()).toEqual(['lambda', 'secretsmanager']);
  });
});

import { type TerraformProvider, Token } from '../../internal/cdktf';
import { SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from '../../internal/aws';
import { Construct } from 'constructs';
import { VAULT_API_PORT, VAULT_CLUSTER_PORT } from '../defaults';

export interface ClusterSecurityGroupsProps {
  readonly baseName: string;
  readonly vpcId: string;
  readonly allowedClientCidrs: readonly string[];
  readonly allowedClientSecurityGroupIds: readonly string[];
  readonly peerClusterCidrs: readonly string[];
  readonly awsApiEgressCidrs: readonly string[];
  readonly awsApiEgressPrefixListIds: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

type Source =
  | { readonly cidr: string }
  | { readonly securityGroupId: string }
  | { readonly prefixListId: string };

interface Rule {
  readonly port: number;
  readonly source: Source;
  readonly description: string;
}

/** The rule class of each direction; the direction is also the start of its rules' construct ids. */
const RULE_CLASS = { In: VpcSecurityGroupIngressRule, Out: VpcSecurityGroupEgressRule } as const;
type Direction = keyof typeof RULE_CLASS;

/** A rule's construct id from what it allows, so adding or removing one leaves the others alone. */
function ruleId(prefix: string, rule: Rule, index: number): string {
  const value = 'cidr' in rule.source ? rule.source.cidr : 'securityGroupId' in rule.source ? rule.source.securityGroupId : rule.source.prefixListId;
  const key = Token.isUnresolved(value) ? `${index}` : value.replace(/[^A-Za-z0-9]+/g, '-');
  return `${prefix}-${key}-${rule.port}`;
}

function peerAddress(source: Source): { cidrIpv4?: string; cidrIpv6?: string; referencedSecurityGroupId?: string; prefixListId?: string } {
  if ('securityGroupId' in source) return { referencedSecurityGroupId: source.securityGroupId };
  if ('prefixListId' in source) return { prefixListId: source.prefixListId };
  return source.cidr.includes(':') ? { cidrIpv6: source.cidr } : { cidrIpv4: source.cidr };
}

/**
 * Two security groups: the load balancer's (what may reach the cluster) and the nodes' (the load
 * balancer, the clients whose address the NLB preserves, the other nodes and the peer cluster).
 * No rule allows all traffic; egress is HTTPS to the AWS APIs and Vault's two ports to the other
 * nodes and the peer cluster only (DNS, NTP and instance metadata are link-local and not
 * filtered by security groups).
 */
export class ClusterSecurityGroups extends Construct {
  public readonly loadBalancer: SecurityGroup;
  public readonly nodes: SecurityGroup;

  constructor(scope: Construct, id: string, props: ClusterSecurityGroupsProps) {
    super(scope, id);
    this.loadBalancer = new SecurityGroup(this, 'LoadBalancer', {
      provider: props.provider,
      name: `${props.baseName}-lb`,
      description: `Load balancer of ${props.baseName}: Vault API and cluster ports`,
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: `${props.baseName}-lb` },
    });
    this.nodes = new SecurityGroup(this, 'Nodes', {
      provider: props.provider,
      name: `${props.baseName}-node`,
      description: `Vault nodes of ${props.baseName}`,
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: `${props.baseName}-node` },
    });

    const clients: Rule[] = [
      ...props.allowedClientCidrs.map((cidr) => ({ port: VAULT_API_PORT, source: { cidr }, description: `Vault API from client network ${cidr}` })),
      ...props.allowedClientSecurityGroupIds.map((securityGroupId) => ({
        port: VAULT_API_PORT,
        source: { securityGroupId },
        description: 'Vault API from a client security group (applications, DR functions)',
      })),
    ];
    const peers: Rule[] = props.peerClusterCidrs.flatMap((cidr) => [
      { port: VAULT_API_PORT, source: { cidr }, description: `Vault API from the peer cluster ${cidr} (replication activation)` },
      { port: VAULT_CLUSTER_PORT, source: { cidr }, description: `Vault cluster port from the peer cluster ${cidr} (DR replication)` },
    ]);
    const nodes = { securityGroupId: this.nodes.id };
    const loadBalancer = { securityGroupId: this.loadBalancer.id };

    this.allow('In', this.loadBalancer, 'Client', clients, props);
    this.allow('In', this.loadBalancer, 'Peer', peers, props);
    this.allow('Out', this.loadBalancer, 'Nodes', [
      { port: VAULT_API_PORT, source: nodes, description: 'Vault API and health checks to the nodes' },
      { port: VAULT_CLUSTER_PORT, source: nodes, description: 'Vault cluster port (replication) to the nodes' },
    ], props);

    // The NLB preserves the client's address, so the nodes see clients, not the load balancer.
    this.allow('In', this.nodes, 'Client', clients, props);
    this.allow('In', this.nodes, 'Peer', peers, props);
    this.allow('In', this.nodes, 'LoadBalancer', [
      { port: VAULT_API_PORT, source: loadBalancer, description: 'Vault API and health checks from the load balancer' },
      { port: VAULT_CLUSTER_PORT, source: loadBalancer, description: 'Vault cluster port (replication) from the load balancer' },
    ], props);
    const betweenNodes: Rule[] = [
      { port: VAULT_API_PORT, source: nodes, description: 'Raft join (retry_join) between Vault nodes' },
      { port: VAULT_CLUSTER_PORT, source: nodes, description: 'Raft and request forwarding between Vault nodes' },
    ];
    this.allow('In', this.nodes, 'Node', betweenNodes, props);
    this.allow('Out', this.nodes, 'Node', betweenNodes, props);
    this.allow('Out', this.nodes, 'Peer', peers.map((rule) => ({ ...rule, description: rule.description.replace('from the peer', 'to the peer') })), props);
    this.allow('Out', this.nodes, 'AwsApi', [
      ...props.awsApiEgressCidrs.map((cidr) => ({ port: 443, source: { cidr }, description: `HTTPS to AWS APIs (KMS, Secrets Manager, EC2, S3, SSM) via ${cidr}` })),
      ...props.awsApiEgressPrefixListIds.map((prefixListId) => ({ port: 443, source: { prefixListId }, description: 'HTTPS to AWS APIs through a managed prefix list (S3 gateway endpoint)' })),
    ], props);
  }

  /** One TCP rule a port and source on `group`, ingress or egress; `direction` also starts each rule's id. */
  private allow(direction: Direction, group: SecurityGroup, prefix: string, rules: readonly Rule[], props: ClusterSecurityGroupsProps): void {
    const RuleClass = RULE_CLASS[direction];
    rules.forEach((rule, index) => {
      new RuleClass(group, ruleId(`${direction}${prefix}`, rule, index), {
        provider: props.provider,
        securityGroupId: group.id,
        ipProtocol: 'tcp',
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        ...peerAddress(rule.source),
        tags: props.tags,
      });
    });
  }
}

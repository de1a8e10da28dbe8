import type { TerraformProvider } from '../internal/cdktf';
import type { VaultSnapshotDestination } from '../vault-snapshots/types';

/** A subnet the nodes and the load balancer are placed in, with its availability zone. */
export interface VaultSubnet {
  /** Subnet id (`subnet-...`). */
  readonly subnetId: string;
  /** Availability zone of the subnet (`us-east-1a`); used to check the spread over zones. */
  readonly availabilityZone: string;
  /**
   * CIDR of the subnet (`10.10.0.0/20`). The peer cluster lets exactly these ranges in on 8200 and
   * 8201 (its `peerClusterCidrs`).
   * @default - unknown (the peer's rules then need the CIDRs another way)
   */
  readonly cidrBlock?: string;
}

/**
 * The machine image of the nodes: exactly one of amiId and ssmParameterName.
 *
 * The image must hold the Vault Enterprise binary at /usr/bin/vault, the AWS CLI v2, curl,
 * xfsprogs, logrotate and the Amazon CloudWatch agent (/opt/aws/amazon-cloudwatch-agent), and
 * create /dev/sdf (or /dev/xvdf) links for EBS NVMe volumes (Amazon Linux 2023 does).
 */
export interface VaultMachineImage {
  /** AMI id (`ami-...`). */
  readonly amiId?: string;
  /**
   * Name of an SSM parameter holding the AMI id. It is read at plan time, so a new image shows in
   * the plan and rolls the nodes through the instance refresh (rather than `resolve:ssm:`, which
   * would mix versions silently as nodes happen to be replaced).
   */
  readonly ssmParameterName?: string;
}

/** Secrets Manager secrets (ARNs) the nodes read at boot for the listener's TLS. */
export interface VaultTlsSecrets {
  /** Secret whose SecretString is the PEM certificate (chain) of the listener. */
  readonly certificateSecretArn: string;
  /** Secret whose SecretString is the PEM private key of the listener. */
  readonly privateKeySecretArn: string;
  /** Secret whose SecretString is the PEM bundle of the CA(s) that sign the nodes' certificates. */
  readonly caBundleSecretArn: string;
}

/** Access logs of the Network Load Balancer. */
export interface VaultLoadBalancerAccessLogs {
  /** Bucket that receives the logs (its policy must let the ELB log delivery write). */
  readonly bucketName: string;
  /** @default `vault-<environment>-<clusterName>` */
  readonly prefix?: string;
}

/** Props of VaultCluster. */
export interface VaultClusterProps {
  /** Environment label (`dev`, `prod`): lowercase letters, digits and hyphens. */
  readonly environment: string;
  /**
   * Name of the cluster within its environment (`primary`, `dr`, `use1`): lowercase letters,
   * digits and hyphens. `vault-<environment>-<clusterName>` names every resource and must fit
   * 27 characters (target group names are limited to 32).
   */
  readonly clusterName: string;
  /** VPC of the nodes and the load balancer. */
  readonly vpcId: string;
  /** Private subnets, in at least three distinct availability zones. */
  readonly subnets: readonly VaultSubnet[];
  /**
   * Number of Vault nodes (Raft voters): 3 or 5.
   * @default 5
   */
  readonly nodeCount?: number;
  /** @default 'm7i.xlarge' (HashiCorp's small production size: 4 vCPU, 16 GiB) */
  readonly instanceType?: string;
  /** Machine image of the nodes. */
  readonly image: VaultMachineImage;
  /**
   * Device name of the image's root volume (so the mapping encrypts it rather than adding a disk).
   * @default '/dev/xvda'
   */
  readonly rootDeviceName?: string;
  /** @default 20 */
  readonly rootVolumeSizeGiB?: number;
  /** Size of the gp3 volume that holds the Raft data. @default 100 */
  readonly dataVolumeSizeGiB?: number;
  /** @default 3000 */
  readonly dataVolumeIops?: number;
  /** MiB/s. @default 125 */
  readonly dataVolumeThroughput?: number;
  /** TLS material of the listener (secret ARNs only: nothing secret enters the user data). */
  readonly tls: VaultTlsSecrets;
  /** Secret (ARN) whose SecretString is the Vault Enterprise licence. */
  readonly licenseSecretArn: string;
  /**
   * Customer managed KMS keys that encrypt the TLS and licence secrets; the nodes may decrypt with
   * them only through Secrets Manager.
   * @default - none (the secrets use the AWS managed key aws/secretsmanager)
   */
  readonly secretsKmsKeyArns?: readonly string[];
  /** Route 53 hosted zone that receives the cluster's alias record. */
  readonly hostedZoneId: string;
  /** Name of that hosted zone (`example.com`), without the trailing dot. */
  readonly hostedZoneName: string;
  /**
   * Label of the cluster's own record inside the zone.
   * @default `vault-<environment>-<clusterName>`
   */
  readonly recordName?: string;
  /**
   * Name the nodes expect in each other's certificate when they join the Raft cluster
   * (leader_tls_servername). The listener certificate must carry it as a SAN.
   * @default - the cluster's FQDN (`<recordName>.<hostedZoneName>`)
   */
  readonly tlsServerName?: string;
  /**
   * CIDRs allowed to reach the API (8200): the clients of this cluster. Never 0.0.0.0/0 or ::/0.
   * @default []
   */
  readonly allowedClientCidrs?: readonly string[];
  /**
   * Security groups allowed to reach the API (8200): client applications and the DR functions
   * (when they run in this VPC). At least one of allowedClientCidrs and this must be non-empty.
   * @default []
   */
  readonly allowedClientSecurityGroupIds?: readonly string[];
  /**
   * CIDRs of the peer cluster's node subnets (the other region: its nodes and its load balancer
   * live there). Allowed in and out on 8201 (DR replication, which connects to the active node
   * directly) and 8200 (replication activation), and nothing else: not the peer's whole VPC, whose
   * other tenants have no business on Vault's cluster port. Never 0.0.0.0/0 or ::/0.
   * @default []
   */
  readonly peerClusterCidrs?: readonly string[];
  /**
   * Rules per direction a security group of this account may hold (the VPC quota "Inbound or
   * outbound rules per security group"). Every client CIDR or group takes one inbound rule, every
   * peer CIDR two (8200 and 8201) in each direction: the construct refuses more rules than this
   * instead of failing halfway through an apply. Raise it with the account's quota.
   * @default 60 (AWS's default quota)
   */
  readonly securityGroupRuleQuota?: number;
  /**
   * Where the nodes may open HTTPS (443) connections: the AWS APIs they call (KMS, Secrets
   * Manager, EC2, S3, STS, SSM). Narrow it to the VPC's endpoint CIDRs when interface endpoints
   * are in place; with a NAT gateway, AWS's public endpoints need 0.0.0.0/0.
   * @default ['0.0.0.0/0']
   */
  readonly awsApiEgressCidrs?: readonly string[];
  /**
   * Managed prefix lists also allowed on 443 (the S3 gateway endpoint's `pl-...`).
   * @default []
   */
  readonly awsApiEgressPrefixListIds?: readonly string[];
  /**
   * An internal (VPC-only) load balancer.
   * @default true
   */
  readonly internal?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /**
   * Access logs of the load balancer. AWS writes NLB access logs only for TLS listeners; these
   * listeners pass TLS through (TCP), so the bucket stays empty: Vault's audit log is the request
   * record. Set it where policy requires the attribute.
   * @default - access logs off
   */
  readonly accessLogs?: VaultLoadBalancerAccessLogs;
  /**
   * Where automated Raft snapshots are written: the nodes get write access to each destination.
   * Pass the snapshot bucket of every cluster of the environment (see VaultSnapshotSchedule).
   * @default []
   */
  readonly snapshotDestinations?: readonly VaultSnapshotDestination[];
  /**
   * Seconds after launch before the Auto Scaling group acts on a failing load balancer health
   * check: boot, secret fetch, Raft join and auto-unseal must fit in it.
   * @default 600
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Seconds a new node gets, during an instance refresh, to catch up with Raft before the next one
   * is replaced.
   * @default 300
   */
  readonly instanceWarmupSeconds?: number;
  /**
   * Session Manager on the nodes (the runbook's `vault operator init` runs there; the nodes have no
   * SSH key): the node role gets AmazonSSMManagedInstanceCore, and the construct creates a session
   * document that logs every session to an encrypted log group, and a managed policy that allows
   * sessions only on instances carrying this cluster's `VaultCluster` tag and only with that
   * document (attached to `sessionManagerRoleNames`).
   * @default true
   */
  readonly sessionManagerAccess?: boolean;
  /**
   * IAM roles (names) of the operators who may open sessions on the nodes: the cluster's session
   * policy is attached to each.
   * @default [] (the policy is created, attached to nobody)
   */
  readonly sessionManagerRoleNames?: readonly string[];
  /**
   * Retention of the cluster's log groups (audit log, Session Manager sessions), in days (a value
   * CloudWatch Logs accepts).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Principals that may change the policies of the KMS keys the cluster creates
   * (`kms:PutKeyPolicy`). The key administration statement for the rest of the account cannot
   * decrypt, encrypt, create grants or change the policy.
   * @default - the IAM role (or user) running Terraform
   */
  readonly keyAdministratorArns?: readonly string[];
  /**
   * ARN of the Auto Scaling service-linked role, granted the KMS key for encrypted volumes. It must
   * exist before the key policy is written (AWS creates it with the account's first Auto Scaling
   * group; otherwise `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`).
   * @default - AWSServiceRoleForAutoScaling of the current account and partition
   */
  readonly autoScalingServiceRoleArn?: string;
  /**
   * SNS topics (or other alarm action ARNs) notified when healthy nodes fall below quorum or Vault
   * reports audit failures, and when they recover.
   * @default [] (the alarm only changes state)
   */
  readonly alarmActions?: readonly string[];
  /**
   * The AWS provider (region) every resource is created with.
   * @default - the scope's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /** Tags added to every resource that takes tags (and propagated to the nodes). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

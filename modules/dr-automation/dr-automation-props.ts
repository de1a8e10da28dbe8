import type { WatchdogMode } from '../../functions/dr-watchdog/settings';
import type { TerraformProvider } from '../internal/cdktf';
import type { VaultClusterEndpoint, VaultClusterPair } from '../shared/vault-cluster-endpoint';

/** The four functions, by their logical names in docs/contracts.md. */
export const DR_FUNCTION_NAMES = ['dr-token-generator', 'dr-operations', 'dns-switch', 'dr-watchdog'] as const;
export type DrFunctionName = (typeof DR_FUNCTION_NAMES)[number];

/**
 * The functions that log in to Vault, each with its own IAM role bound one-to-one to a Vault AWS
 * auth role (README "Security").
 */
export const VAULT_LOGIN_FUNCTION_NAMES = ['dr-token-generator', 'dr-operations'] as const satisfies readonly DrFunctionName[];
export type VaultLoginFunctionName = (typeof VAULT_LOGIN_FUNCTION_NAMES)[number];

/**
 * The AWS APIs the functions call, by the service name of their VPC endpoints
 * (`com.amazonaws.<region>.<service>`): Secrets Manager (the generator writes the DR token,
 * dr-operations reads it), Lambda (dr-operations invokes dns-switch), DynamoDB (the lease table of
 * dr-operations and dns-switch; a gateway endpoint), STS and CloudWatch Logs. Route 53 is not among
 * them: its API has no VPC endpoint, so dns-switch needs a NAT gateway or a proxy to reach it.
 */
export const DR_VPC_ENDPOINT_SERVICES = ['secretsmanager', 'lambda', 'dynamodb', 'sts', 'logs'] as const;
export type DrVpcEndpointService = (typeof DR_VPC_ENDPOINT_SERVICES)[number];

/**
 * VPC endpoints the construct creates for the functions (`vpcPlacement.awsApiEndpoints`): an
 * interface endpoint with private DNS per interface service, in the functions' subnets, behind a
 * security group that lets the functions' security groups in on 443, and a DynamoDB gateway endpoint
 * on the subnets' route tables.
 *
 * Private DNS makes the service's public name resolve to the endpoint for the whole VPC, and AWS
 * allows one such endpoint per service and VPC: leave a service out when the VPC already has its
 * endpoint. The functions' security groups must allow egress on 443 to the endpoints' security group
 * (`DrAutomation.vpcEndpointSecurityGroupId`).
 */
export interface DrVpcEndpoints {
  /** The VPC of the functions' subnets (`vpc-...`). */
  readonly vpcId: string;
  /**
   * Route tables (`rtb-...`) of the functions' subnets: the DynamoDB gateway endpoint adds its route
   * to them. Required when `dynamodb` is among `services`.
   * @default []
   */
  readonly routeTableIds?: string[];
  /**
   * The services to create endpoints for.
   * @default - all of DR_VPC_ENDPOINT_SERVICES
   */
  readonly services?: DrVpcEndpointService[];
}

/**
 * Where the functions run when they must reach Vault through a VPC.
 *
 * In a VPC the functions reach the AWS APIs they call only through the VPC: Secrets Manager, Lambda,
 * STS, CloudWatch Logs (interface endpoints), DynamoDB (a gateway endpoint) and Route 53, whose API
 * has no VPC endpoint at all, so dns-switch needs a NAT gateway or an HTTPS proxy. Give
 * `awsApiEndpoints` to have the construct create the endpoints (off by default), or provide the
 * endpoints or a NAT gateway yourself.
 */
export interface VpcPlacement {
  /** Subnets (`subnet-...`) the functions' network interfaces go in: private subnets with a route to Vault and to the AWS APIs above. */
  readonly subnetIds: string[];
  /**
   * Security groups (`sg-...`) of the functions' network interfaces: egress to Vault's port 8200
   * (the two clusters and each of `performanceSecondaries`) and to the AWS APIs on 443.
   */
  readonly securityGroupIds: string[];
  /**
   * CIDRs of those subnets. Vault binds the functions' login tokens and the batch DR token to them
   * (`token_bound_cidrs`): a token copied out of the functions is refused from anywhere else.
   */
  readonly subnetCidrs: string[];
  /**
   * VPC endpoints for the AWS APIs the functions call, created by the construct.
   * @default - none: the subnets must reach the APIs already (endpoints of your own, or a NAT gateway)
   */
  readonly awsApiEndpoints?: DrVpcEndpoints;
}

export interface DrAutomationProps {
  /**
   * Name of the environment (`dev`, `prod`). Part of every name the construct creates:
   * `<purpose>-<environment>-<identifier>`. The rule every construct shares: lowercase letters,
   * digits and single inner hyphens, starting with a letter, at most 16 characters.
   */
  readonly environment: string;
  /**
   * Tells two Vault deployments in the same environment and account apart (`main`, `payments`).
   * Same characters as `environment`; the longest function name (`dr-token-generator-<environment>-<identifier>`)
   * must fit Lambda's 64 characters. Two DrAutomations of one stack need different pairs.
   */
  readonly identifier: string;
  /**
   * The high-level Vault address clients use, e.g. `https://vault-prod.example.com:8200`. Its host
   * is the DNS name the DNS switch moves: a DNS name (not an IP address), other than the clusters'
   * own, and the same as the WeightedVaultEndpoint's of the stack.
   */
  readonly vaultAddress: string;
  /**
   * The two clusters (`VAULT_CLUSTERS`). Their names must be the set identifiers of the weighted
   * records of `vaultAddress` (WeightedVaultEndpoint makes them so). With their `region` known, the
   * two must differ.
   */
  readonly clusters: VaultClusterPair;
  /**
   * The performance secondaries of the primary (`VAULT_PERFORMANCE_SECONDARIES` of dr-operations),
   * each `{ name, address, clusterAddress? }` like the clusters of `clusters` (a VaultCluster's
   * `endpoint`; `region` is not read): dr-operations reports them in `status` and makes them follow
   * the new primary after a failover or switchover. `address` is the performance secondary's own
   * API address (`https://vault-prod-euw1.example.com:8200`), which the functions' network must
   * reach on 8200. Names and addresses differ from each other and from the two clusters' (the
   * functions' own rule). With at least one, dr-operations' login token also gets the performance
   * operations policy (`sys/replication/performance/primary/enable` for bootstrap,
   * `sys/replication/performance/primary/secondary-token` with sudo, and
   * `sys/replication/performance/secondary/update-primary`).
   * @default [] (none: no performance policy, and dr-operations makes no extra call)
   */
  readonly performanceSecondaries?: readonly VaultClusterEndpoint[];
  /** Id of the Route 53 hosted zone that holds the host of `vaultAddress` (`Z...`, the WeightedVaultEndpoint's). */
  readonly hostedZoneId: string;
  /**
   * PEM text (not a path) of the CA certificate(s) that sign the Vault listeners' certificates.
   * Shipped in each function's archive as `vault-ca.pem`.
   */
  readonly vaultCaBundlePem: string;
  /**
   * TTL of the batch DR operation token, in seconds; at most 86400 (a day): a batch token cannot be
   * revoked, so its TTL is how long a copy of it can promote a secondary.
   * @default 28800 (8 hours)
   */
  readonly drTokenTtlSeconds?: number;
  /**
   * How often the token is replaced, in minutes. Must leave room for two missed refreshes:
   * 3 x interval <= drTokenTtlSeconds - drTokenMinRemainingSeconds; at most 720 (the "not refreshed"
   * alarm looks back two intervals, and a CloudWatch alarm at most a day).
   * @default 60
   */
  readonly refreshIntervalMinutes?: number;
  /**
   * The DR operations function refuses to start when the token expires sooner than this, in
   * seconds; less than drTokenTtlSeconds, at most 86400.
   * @default 600
   */
  readonly drTokenMinRemainingSeconds?: number;
  /**
   * Runs the functions in these subnets. In a VPC they need a path to every AWS API they call:
   * Secrets Manager, Lambda, STS, CloudWatch Logs (interface endpoints), DynamoDB (a gateway
   * endpoint) and Route 53, whose API has no VPC endpoint (a NAT gateway or a proxy). The construct
   * creates the endpoints when asked (`awsApiEndpoints`); Route 53 always needs the NAT or proxy.
   * @default - the functions run outside any VPC (Vault must be reachable from the internet side
   * of Lambda)
   */
  readonly vpcPlacement?: VpcPlacement;
  /**
   * ARN of an existing symmetric KMS key for the logs, the queue, the schedule, the lease table and
   * the functions' environment: the key ARN (`arn:aws:kms:<region>:<account>:key/<id>`), not an alias
   * ARN, in the functions' region. Its key policy must let CloudWatch Logs of this region use it.
   * @default - a key is created, with yearly rotation
   */
  readonly kmsKeyArn?: string;
  /**
   * Retention of the functions' log groups, in days (a value CloudWatch Logs accepts).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * ARNs (usually SNS topics) notified when an alarm fires and when it clears. In the functions'
   * region: CloudWatch alarms notify only topics of their own region.
   * @default - the alarms notify nobody
   */
  readonly alarmActions?: string[];
  /**
   * Tags of every AWS resource the construct creates.
   * @default - no tags beyond the provider's default tags
   */
  readonly tags?: Record<string, string>;
  /**
   * Mount path of the AWS auth method the construct creates for the functions (its own mount, so
   * that its client configuration and roles are managed here and nothing else logs in through it).
   * @default `dr-aws-<environment>-<identifier>`
   */
  readonly vaultAwsAuthMountPath?: string;
  /**
   * `iam_server_id_header_value` of that mount: every login must carry it, signed, in
   * `X-Vault-AWS-IAM-Server-ID`, so a signed login request cannot be replayed to another Vault.
   * The functions send the same value.
   * @default - the host of `vaultAddress`
   */
  readonly vaultIamServerId?: string;
  /**
   * STS URL the login requests are signed for and Vault replays them to (the mount's
   * `sts_endpoint`).
   * @default 'https://sts.amazonaws.com/'
   */
  readonly vaultStsUrl?: string;
  /**
   * Region the login requests are signed for (the mount's `sts_region`): an AWS region.
   * @default 'us-east-1'
   */
  readonly vaultStsRegion?: string;
  /**
   * ARN of an IAM role (not a user or session) that may, beside the functions, read and write the DR
   * token (its secret's resource policy and its key policy let it): for an operator who must fail
   * over by hand.
   * @default - nobody but dr-operations reads the token and nobody but dr-token-generator writes it
   */
  readonly breakGlassRoleArn?: string;
  /**
   * Principals (IAM role or user ARNs, at least one) that may change the policies of the KMS keys
   * the construct creates (`kms:PutKeyPolicy`). The key administration statement for the rest of
   * the account cannot decrypt, encrypt, create grants or change the policy.
   * @default - the IAM role (or user) running Terraform
   */
  readonly keyAdministratorArns?: string[];
  /**
   * Whether a successful failover or switchover ends by moving the DNS weights (the DR operations
   * function invokes the DNS switch).
   * @default true
   */
  readonly switchDnsAfterPromotion?: boolean;
  /**
   * What the watchdog (dr-watchdog, in the functions' region, every minute) may do when every vantage
   * point has found the primary down for the window: `off` (it still observes and publishes the
   * metrics the alarms and the dashboard read), `notify` (it pages "would fail over now" with the
   * evidence) or `auto` (it runs the failover through dr-operations, once, then disarms until an
   * operator re-arms it). `auto` needs `switchDnsAfterPromotion`.
   * @default 'notify'
   */
  readonly watchdogMode?: WatchdogMode;
  /**
   * How long, in seconds, every vantage point must have found the primary down before the watchdog
   * declares it failed (WATCHDOG_WINDOW_MS); 60 to 3600.
   * @default 120
   */
  readonly watchdogWindowSeconds?: number;
  /**
   * SNS topic (ARN, in the functions' region) the watchdog pages with the evidence: before and after
   * an automatic failover, and "would fail over now" in notify mode. Its alarms page `alarmActions`
   * as well.
   * @default - the first SNS topic among `alarmActions`; none when there is none (the alarms still page)
   */
  readonly watchdogPageTopicArn?: string;
  /**
   * The largest replication lag, in WAL entries (the primary's last DR WAL index minus the
   * secondary's last received one), that the replication-lag alarm accepts and that the watchdog
   * accepts as the last-known lag before an automatic failover; 0 to 1000000000.
   * @default 1000
   */
  readonly maxReplicationWalGap?: number;
  /**
   * Log level of the functions: `debug`, `info`, `warn` or `error`.
   * @default - the functions' default, `info`
   */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Folder that holds `<function>/index.js` for the four functions. Tests point it at small
   * fixtures, as aws-cdk's tests mock the bundler.
   * @default - the bundles shipped in this package (`dist/functions`)
   */
  readonly functionBundlesDirectory?: string;
  /**
   * AWS provider of every AWS resource of the construct; its region is where the functions run.
   * @default - the stack's default AWS provider
   */
  readonly awsProvider?: TerraformProvider;
  /**
   * Vault provider of the Vault policies and roles.
   * @default - the stack's default Vault provider
   */
  readonly vaultProvider?: TerraformProvider;
  /**
   * Archive provider (hashicorp/archive) whose `archive_file` zips each function's folder at plan
   * time. The stack must declare one (`new ArchiveProvider(stack, 'archive')` from
   * `@cdktf/provider-archive/lib/provider`; cdktf fails the synth otherwise), which also pins its
   * version, and with it the bytes of the archives.
   * @default - the stack's default archive provider
   */
  readonly archiveProvider?: TerraformProvider;
}

/** What the construct made, as plain strings (Terraform references), for wiring and outputs. */
export interface DrFunctionAttributes {
  readonly functionName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly logGroupName: string;
}

/** Names of the Vault objects the construct created. */
export interface DrVaultObjectNames {
  /** Mount path of the functions' AWS auth method. */
  readonly awsAuthMountPath: string;
  /** Policy of the batch DR operation token: promote and update-primary on a DR secondary. */
  readonly drOperationPolicy: string;
  /** Policy of dr-token-generator's login token: creates DR tokens, nothing else. */
  readonly tokenCreatorPolicy: string;
  /** Policy of dr-operations' login token: demote and secondary-token on a primary. */
  readonly primaryOperationsPolicy: string;
  /** Second policy of dr-operations' login token: enabling DR replication on a primary (bootstrap). */
  readonly bootstrapPolicy: string;
  /**
   * Third policy of dr-operations' login token, with `performanceSecondaries`: performance
   * activation tokens on the primary and update-primary on a performance secondary.
   */
  readonly performanceOperationsPolicy?: string;
  /** Token role of the batch DR operation token. */
  readonly batchTokenRole: string;
  /** AWS auth role dr-token-generator logs in with. */
  readonly tokenGeneratorAuthRole: string;
  /** AWS auth role dr-operations logs in with. */
  readonly operationsAuthRole: string;
}

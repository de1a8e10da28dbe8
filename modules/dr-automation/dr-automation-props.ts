import type { TerraformProvider } from '../internal/cdktf';
import type { VaultClusterPair } from '../shared/vault-cluster-endpoint';

/** The three functions, by their logical names in docs/contracts.md. */
export const DR_FUNCTION_NAMES = ['dr-token-generator', 'dr-operations', 'dns-switch'] as const;
export type DrFunctionName = (typeof DR_FUNCTION_NAMES)[number];

/** Where the functions run when they must reach Vault through a VPC. */
export interface VpcPlacement {
  /** Subnets the functions' network interfaces go in (private subnets with a route to Vault). */
  readonly subnetIds: string[];
  /** Security groups of the functions' network interfaces (egress to Vault's port 8200 and AWS APIs). */
  readonly securityGroupIds: string[];
}

export interface DrAutomationProps {
  /**
   * Name of the environment (`dev`, `prod`). Part of every name the construct creates:
   * `<purpose>-<environment>-<identifier>`. Lowercase letters, digits and single hyphens.
   */
  readonly environment: string;
  /**
   * Tells two Vault deployments in the same environment and account apart (`main`, `payments`).
   * Same characters as `environment`.
   */
  readonly identifier: string;
  /**
   * The high-level Vault address clients use, e.g. `https://vault-prod.example.com:8200`. The
   * login function logs in here by default, and its host is the DNS name the DNS switch moves.
   */
  readonly vaultAddress: string;
  /**
   * The two clusters (`VAULT_CLUSTERS`). Their names must be the set identifiers of the weighted
   * records of `vaultAddress` (WeightedVaultEndpoint makes them so).
   */
  readonly clusters: VaultClusterPair;
  /** Id of the Route 53 hosted zone that holds the host of `vaultAddress`. */
  readonly hostedZoneId: string;
  /**
   * PEM text (not a path) of the CA certificate(s) that sign the Vault listeners' certificates.
   * Shipped in each function's archive as `vault-ca.pem`.
   */
  readonly vaultCaBundlePem: string;
  /**
   * TTL of the batch DR operation token, in seconds.
   * @default 28800 (8 hours)
   */
  readonly drTokenTtlSeconds?: number;
  /**
   * How often the token is replaced, in minutes. Must leave room for two missed refreshes:
   * 3 x interval <= drTokenTtlSeconds - drTokenMinRemainingSeconds.
   * @default 60
   */
  readonly refreshIntervalMinutes?: number;
  /**
   * The DR operations function refuses to start when the token expires sooner than this.
   * @default 600
   */
  readonly drTokenMinRemainingSeconds?: number;
  /**
   * Runs the functions in these subnets.
   * @default - the functions run outside any VPC (Vault must be reachable from the internet side
   * of Lambda)
   */
  readonly vpcPlacement?: VpcPlacement;
  /**
   * ARN of an existing symmetric KMS key for the secret, the logs, the queue, the schedule and the
   * functions' environment. Its key policy must let CloudWatch Logs of this region use it.
   * @default - a key is created, with yearly rotation
   */
  readonly kmsKeyArn?: string;
  /**
   * Retention of the functions' log groups, in days (a value CloudWatch Logs accepts).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * ARNs (usually SNS topics) notified when an alarm fires and when it clears.
   * @default - the alarms notify nobody
   */
  readonly alarmActions?: string[];
  /**
   * Tags of every AWS resource the construct creates.
   * @default - no tags beyond the provider's default tags
   */
  readonly tags?: Record<string, string>;
  /**
   * Mount path of Vault's AWS auth method, where the login role is created.
   * @default 'aws'
   */
  readonly vaultAwsAuthMountPath?: string;
  /**
   * Value of `X-Vault-AWS-IAM-Server-ID` when Vault's AWS auth requires it.
   * @default - the header is not sent
   */
  readonly vaultIamServerId?: string;
  /**
   * STS URL the login request is signed for (must match Vault's `sts_endpoint`).
   * @default - the function's default, https://sts.amazonaws.com/
   */
  readonly vaultStsUrl?: string;
  /**
   * Region the login request is signed for (must match Vault's `sts_region`).
   * @default - the function's default, us-east-1
   */
  readonly vaultStsRegion?: string;
  /**
   * Whether a successful failover or switchover ends by moving the DNS weights (the DR operations
   * function invokes the DNS switch).
   * @default true
   */
  readonly switchDnsAfterPromotion?: boolean;
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
  /** Policy of the batch DR operation token. */
  readonly drOperationPolicy: string;
  /** Policy of the login function's token (creates DR tokens, nothing else). */
  readonly tokenCreatorPolicy: string;
  /** Token role of the batch DR operation token. */
  readonly batchTokenRole: string;
  /** AWS auth role the login function logs in with. */
  readonly awsAuthRole: string;
}

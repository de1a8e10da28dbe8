import type { DrAutomationProps, VaultClusterPair } from '../modules';

/** Where an environment's Terraform state lives. */
export interface StateBackendSettings {
  /** S3 bucket of the state (versioned and encrypted by its owners). */
  readonly bucket: string;
  /** Region of the bucket. Keep it out of the primary region: a failover may need an apply. */
  readonly region: string;
  /**
   * KMS key of the state objects.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyId?: string;
}

/** How Terraform logs in to Vault: Vault's AWS auth, with the identity running Terraform. */
export interface VaultProviderLogin {
  /** Vault AWS auth role of the pipeline that applies this stack. */
  readonly role: string;
  /**
   * Mount path of Vault's AWS auth method.
   * @default 'aws'
   */
  readonly mount?: string;
  /**
   * `X-Vault-AWS-IAM-Server-ID` header value, when Vault requires one.
   * @default - no header
   */
  readonly headerValue?: string;
}

/** Everything that differs between two environments. */
export interface VaultDrStackProps {
  /** Environment name (`dev`, `stage`, `prod`): part of every resource name and of the stack id. */
  readonly environment: string;
  /** Tells two Vault deployments in one environment apart. */
  readonly identifier: string;
  /** The only account this stack may be applied to. */
  readonly awsAccountId: string;
  /** Region of the primary Vault cluster. */
  readonly primaryRegion: string;
  /** Region of the DR Vault cluster. */
  readonly drRegion: string;
  /**
   * Region of the failover functions, secret, key and alarms.
   * @default - `drRegion`, so that the failover machinery survives the loss of the primary region
   */
  readonly functionsRegion?: string;
  /** The high-level Vault address clients and Terraform use. */
  readonly vaultAddress: string;
  /**
   * The two clusters' own endpoints. Given as values for now: when the Vault cluster constructs
   * join this stack they will provide them (see VaultDrStack).
   */
  readonly clusters: VaultClusterPair;
  /** Route 53 hosted zone of the high-level name. */
  readonly hostedZoneId: string;
  /** Path of the PEM file of the CA(s) that sign the Vault listeners' certificates. */
  readonly vaultCaBundleFile: string;
  readonly stateBackend: StateBackendSettings;
  readonly vaultLogin: VaultProviderLogin;
  /** Tags on every AWS resource (the AWS providers' default tags). */
  readonly tags: Record<string, string>;
  /**
   * Settings of the DR automation beyond what the stack derives.
   * @default - the construct's defaults
   */
  readonly drAutomation?: Pick<
    DrAutomationProps,
    | 'drTokenTtlSeconds'
    | 'refreshIntervalMinutes'
    | 'drTokenMinRemainingSeconds'
    | 'vpcPlacement'
    | 'kmsKeyArn'
    | 'logRetentionDays'
    | 'alarmActions'
    | 'vaultAwsAuthMountPath'
    | 'vaultIamServerId'
    | 'vaultStsUrl'
    | 'vaultStsRegion'
    | 'logLevel'
    | 'switchDnsAfterPromotion'
    | 'functionBundlesDirectory'
  >;
}

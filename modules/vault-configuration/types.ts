import type { TerraformProvider } from '../internal/cdktf';

/**
 * Lease TTLs of one mount, written to its tune endpoint (`sys/auth/<method>/tune` for a path that
 * starts with `auth/`, `sys/mounts/<path>/tune` otherwise). A token or secret asked for with a
 * longer TTL is capped at the mount's maximum.
 * https://developer.hashicorp.com/vault/api-docs/system/auth#tune-auth-method
 * https://developer.hashicorp.com/vault/api-docs/system/mounts#tune-mount-configuration
 */
export interface VaultMountLeaseTtls {
  /** Mount path as Vault lists it, without slashes at either end: `auth/token`, `auth/aws`, `kv`. */
  readonly path: string;
  /** TTL given when a client asks for none, in seconds. */
  readonly defaultLeaseTtlSeconds: number;
  /** Longest TTL the mount grants, renewals included, in seconds (at most Vault's system maximum, 768 h). */
  readonly maxLeaseTtlSeconds: number;
}

/**
 * A rate limit quota (token bucket), applied per client IP address on each node.
 * https://developer.hashicorp.com/vault/docs/concepts/resource-quotas
 */
export interface VaultRateLimitQuota {
  /** Quota name: lowercase letters, digits and hyphens. */
  readonly name: string;
  /** `''` for the whole API (a global quota), else a namespace, mount or API path. */
  readonly path: string;
  /** Requests per second a client may make on one node. */
  readonly rate: number;
  /**
   * Seconds over which the rate is counted.
   * @default 1
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds a client that hit the limit is refused everything.
   * @default - none: the client is only slowed to the rate
   */
  readonly blockIntervalSeconds?: number;
}

/**
 * A lease count quota: past `maxLeases` live leases under `path`, Vault refuses new leases with
 * 429. Vault Enterprise only; batch tokens do not count but are refused once the quota is full;
 * root tokens are never refused.
 * https://developer.hashicorp.com/vault/docs/enterprise/lease-count-quotas
 */
export interface VaultLeaseCountQuota {
  /**
   * Quota name. Vault Enterprise 1.16+ creates a global quota named `default` on new clusters and
   * refuses a second quota on the same path under another name, so the global quota is managed
   * under that name.
   */
  readonly name: string;
  /** `''` for the whole API (a global quota), else a namespace, mount or API path. */
  readonly path: string;
  /** Live leases allowed. */
  readonly maxLeases: number;
}

/** Props of VaultConfiguration. */
export interface VaultConfigurationProps {
  /**
   * Lease TTLs per mount. The list replaces the default one; `[]` tunes nothing.
   * @default - `auth/token`, and `auth/<awsAuthMountPath>` when that is given: 1 h default, 24 h
   * maximum (Vault's own default is 768 h for both: a forgotten lease lives a month)
   */
  readonly mountLeaseTtls?: readonly VaultMountLeaseTtls[];
  /**
   * Mount path of an AWS auth method that exists outside this construct (for example the `aws` mount
   * the Terraform pipeline logs in through), tuned by the default mountLeaseTtls. Not DrAutomation's
   * own mount: DrAutomation creates that one, and its login roles set their tokens' TTLs (300 s,
   * at most 600 s).
   * @default - no AWS auth mount is tuned
   */
  readonly awsAuthMountPath?: string;
  /**
   * The longest TTL another construct asks the token store for (DrAutomation's drTokenTtlSeconds):
   * the construct refuses an `auth/token` maximum below it, which Vault would silently cap.
   * @default 28800 (DrAutomation's default, 8 h)
   */
  readonly longestTokenTtlSeconds?: number;
  /**
   * Rate limit quotas. The list replaces the default one; `[]` creates none.
   * @default - one global quota `global-rate-limit`: 500 requests per second per client IP and node
   */
  readonly rateLimitQuotas?: readonly VaultRateLimitQuota[];
  /**
   * Lease count quotas (Vault Enterprise). The list replaces the default one; `[]` manages none
   * (Vault Enterprise keeps its own `default` global quota).
   * @default - the global quota `default` at 300000 leases, Vault Enterprise's own default, now
   * managed as code
   */
  readonly leaseCountQuotas?: readonly VaultLeaseCountQuota[];
  /**
   * The Vault provider of the primary (root namespace). DR replication carries everything this
   * construct writes to the DR secondary.
   * @default - the scope's default Vault provider
   */
  readonly provider?: TerraformProvider;
}

import type { VaultConfigurationProps, VaultLeaseCountQuota, VaultMountLeaseTtls, VaultRateLimitQuota } from './types';

const HOUR = 3600;

/** Every default of VaultConfiguration, in one place (the props' `@default` docs repeat these). */
export const VAULT_CONFIGURATION_DEFAULTS = Object.freeze({
  /** DrAutomation's default drTokenTtlSeconds. */
  longestTokenTtlSeconds: 8 * HOUR,
  defaultLeaseTtlSeconds: HOUR,
  maxLeaseTtlSeconds: 24 * HOUR,
  rateLimitQuotas: Object.freeze([
    Object.freeze({ name: 'global-rate-limit', path: '', rate: 500, intervalSeconds: 1 }),
  ]) as readonly VaultRateLimitQuota[],
  leaseCountQuotas: Object.freeze([Object.freeze({ name: 'default', path: '', maxLeases: 300_000 })]) as readonly VaultLeaseCountQuota[],
});

/**
 * Vault's system-wide maximum lease TTL when the server configuration sets none (VaultCluster's
 * sets none): 768 h. A mount cannot grant more.
 * https://developer.hashicorp.com/vault/docs/configuration#max_lease_ttl
 */
export const VAULT_SYSTEM_MAX_LEASE_TTL_SECONDS = 768 * HOUR;

/** The mounts tuned when mountLeaseTtls is not given: the token store, and the AWS auth mount when one is named. */
export function defaultMountLeaseTtls(awsAuthMountPath: string | undefined): VaultMountLeaseTtls[] {
  const d = VAULT_CONFIGURATION_DEFAULTS;
  const paths = awsAuthMountPath === undefined ? ['auth/token'] : ['auth/token', `auth/${awsAuthMountPath}`];
  return paths.map((path) => ({
    path,
    defaultLeaseTtlSeconds: d.defaultLeaseTtlSeconds,
    maxLeaseTtlSeconds: d.maxLeaseTtlSeconds,
  }));
}

/** VaultConfigurationProps with every default applied. */
export interface ResolvedVaultConfiguration {
  readonly mountLeaseTtls: readonly VaultMountLeaseTtls[];
  readonly longestTokenTtlSeconds: number;
  readonly rateLimitQuotas: readonly VaultRateLimitQuota[];
  readonly leaseCountQuotas: readonly VaultLeaseCountQuota[];
}

export function resolveVaultConfiguration(props: VaultConfigurationProps): ResolvedVaultConfiguration {
  const d = VAULT_CONFIGURATION_DEFAULTS;
  return {
    mountLeaseTtls: props.mountLeaseTtls ?? defaultMountLeaseTtls(props.awsAuthMountPath),
    longestTokenTtlSeconds: props.longestTokenTtlSeconds ?? d.longestTokenTtlSeconds,
    rateLimitQuotas: props.rateLimitQuotas ?? d.rateLimitQuotas,
    leaseCountQuotas: props.leaseCountQuotas ?? d.leaseCountQuotas,
  };
}

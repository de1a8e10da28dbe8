export { VaultConfiguration, tuneEndpoint } from './vault-configuration';
export { VAULT_CONFIGURATION_DEFAULTS, VAULT_SYSTEM_MAX_LEASE_TTL_SECONDS, defaultMountLeaseTtls, resolveVaultConfiguration, type ResolvedVaultConfiguration } from './defaults';
export type { VaultConfigurationProps, VaultLeaseCountQuota, VaultMountLeaseTtls, VaultRateLimitQuota } from './types';

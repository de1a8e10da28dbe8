import { Construct } from 'constructs';
import { GenericEndpoint, QuotaLeaseCount, QuotaRateLimit } from '../internal/vault';
import { resolveVaultConfiguration, type ResolvedVaultConfiguration } from './defaults';
import type { VaultConfigurationProps, VaultMountLeaseTtls } from './types';
import { validateVaultConfiguration } from './validate';

/** The tune endpoint of a mount: auth methods under sys/auth, secrets engines under sys/mounts. */
export function tuneEndpoint(mountPath: string): string {
  return mountPath.startsWith('auth/') ? `sys/auth/${mountPath.slice('auth/'.length)}/tune` : `sys/mounts/${mountPath}/tune`;
}

/** A construct id from a mount path or quota name (ids cannot hold `/`). */
function idOf(value: string): string {
  return value === '' ? 'global' : value.replace(/[^A-Za-z0-9-]/g, '-');
}

/**
 * Vault's own operating configuration, as code, written through the Vault provider to the primary
 * (DR replication carries it to the secondary):
 *
 * - lease TTLs of the mounts this deployment uses (the token store and the AWS auth method), so a
 *   forgotten lease lives a day, not Vault's default 768 h;
 * - a global rate limit quota, per client IP and node, so one runaway client cannot starve the
 *   others (the DR functions and Terraform make a few requests a minute);
 * - the global lease count quota (Vault Enterprise), which caps a lease explosion.
 *
 * Tidy is not configured here because Vault needs none: expired tokens and leases are revoked by
 * Vault's expiration manager when their TTL ends, and HashiCorp says `auth/token/tidy` and
 * `sys/leases/tidy` are "generally not needed unless upgrade notes or support personnel suggest
 * it" (README, "Vault configuration as code").
 *
 * Construct ids are the mount paths (`LeaseTtls-auth-token`) and quota names: renaming one replaces
 * its resource. A tune is not undone when its resource is removed (the mount keeps the TTLs).
 */
export class VaultConfiguration extends Construct {
  /** The configuration written, every default applied. */
  public readonly configuration: ResolvedVaultConfiguration;

  constructor(scope: Construct, id: string, props: VaultConfigurationProps = {}) {
    super(scope, id);
    this.configuration = resolveVaultConfiguration(props);
    validateVaultConfiguration(props, this.configuration);
    const { provider } = props;

    for (const mount of this.configuration.mountLeaseTtls) this.tune(mount, props);

    for (const quota of this.configuration.rateLimitQuotas) {
      new QuotaRateLimit(this, `RateLimit-${idOf(quota.name)}`, {
        provider,
        name: quota.name,
        path: quota.path,
        rate: quota.rate,
        interval: quota.intervalSeconds ?? 1,
        blockInterval: quota.blockIntervalSeconds,
      });
    }
    for (const quota of this.configuration.leaseCountQuotas) {
      new QuotaLeaseCount(this, `LeaseCount-${idOf(quota.name)}`, { provider, name: quota.name, path: quota.path, maxLeases: quota.maxLeases });
    }
  }

  private tune(mount: VaultMountLeaseTtls, props: VaultConfigurationProps): void {
    new GenericEndpoint(this, `LeaseTtls-${idOf(mount.path)}`, {
      provider: props.provider,
      path: tuneEndpoint(mount.path),
      // Seconds, as Vault answers on read: the provider compares them for drift.
      dataJson: JSON.stringify({ default_lease_ttl: mount.defaultLeaseTtlSeconds, max_lease_ttl: mount.maxLeaseTtlSeconds }),
      // The tune answer holds every tunable; compare only the two written.
      ignoreAbsentFields: true,
      // A tune endpoint cannot be deleted; removing the resource leaves the TTLs as they are.
      disableDelete: true,
    });
  }
}

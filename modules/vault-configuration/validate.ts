import { Token } from '../internal/cdktf';
import { PropsValidationError } from '../shared/props-validation-error';
import { VAULT_SYSTEM_MAX_LEASE_TTL_SECONDS, type ResolvedVaultConfiguration } from './defaults';
import type { VaultConfigurationProps } from './types';

const C = 'VaultConfiguration';
const MOUNT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const QUOTA_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** A quota path: '' (global), or a namespace, mount or API path without a leading slash. */
const QUOTA_PATH = /^$|^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.*+-]*)*$/;

const known = (value: unknown): boolean => !Token.isUnresolved(value);

function fail(prop: string, problem: string): never {
  throw new PropsValidationError(C, prop, problem);
}

function wholeNumber(prop: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined || !known(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) fail(prop, `must be a whole number from ${min} to ${max} (got ${value})`);
}

function unique(prop: string, values: readonly string[], what: string, why: string): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) fail(`${prop}[${i}]`, `${what} "${value}" is used twice; ${why}`);
    seen.add(value);
  });
}

/** Checks the caller's props and the resolved configuration; throws on the first problem, naming the prop. */
export function validateVaultConfiguration(props: VaultConfigurationProps, resolved: ResolvedVaultConfiguration): void {
  if (props.awsAuthMountPath !== undefined && known(props.awsAuthMountPath) && !MOUNT_PATH.test(props.awsAuthMountPath)) {
    fail('awsAuthMountPath', `must be a mount path like "aws" (no slash at either end; got "${props.awsAuthMountPath}")`);
  }
  wholeNumber('longestTokenTtlSeconds', props.longestTokenTtlSeconds, 1, VAULT_SYSTEM_MAX_LEASE_TTL_SECONDS);

  resolved.mountLeaseTtls.forEach((mount, i) => {
    const prop = `mountLeaseTtls[${i}]`;
    if (known(mount.path) && (!MOUNT_PATH.test(mount.path) || mount.path === 'auth' || mount.path === 'sys' || mount.path.startsWith('sys/'))) {
      fail(`${prop}.path`, `must be a mount path like "auth/token" or "kv", without a slash at either end, not sys/ (got "${mount.path}")`);
    }
    wholeNumber(`${prop}.defaultLeaseTtlSeconds`, mount.defaultLeaseTtlSeconds, 1, VAULT_SYSTEM_MAX_LEASE_TTL_SECONDS);
    wholeNumber(`${prop}.maxLeaseTtlSeconds`, mount.maxLeaseTtlSeconds, 1, VAULT_SYSTEM_MAX_LEASE_TTL_SECONDS);
    if (known(mount.defaultLeaseTtlSeconds) && known(mount.maxLeaseTtlSeconds) && mount.defaultLeaseTtlSeconds > mount.maxLeaseTtlSeconds) {
      fail(`${prop}.defaultLeaseTtlSeconds`, `(${mount.defaultLeaseTtlSeconds}) must not exceed maxLeaseTtlSeconds (${mount.maxLeaseTtlSeconds})`);
    }
    if (mount.path === 'auth/token' && known(mount.maxLeaseTtlSeconds) && mount.maxLeaseTtlSeconds < resolved.longestTokenTtlSeconds) {
      fail(
        `${prop}.maxLeaseTtlSeconds`,
        `(${mount.maxLeaseTtlSeconds}) is below longestTokenTtlSeconds (${resolved.longestTokenTtlSeconds}): Vault would cap the DR token's TTL silently; raise it or lower DrAutomation's drTokenTtlSeconds`,
      );
    }
  });
  unique('mountLeaseTtls', resolved.mountLeaseTtls.map((m) => m.path), 'path', 'each mount is tuned once');

  const quotaChecks = (prop: 'rateLimitQuotas' | 'leaseCountQuotas', quotas: ReadonlyArray<{ name: string; path: string }>) => {
    quotas.forEach((quota, i) => {
      if (known(quota.name) && !QUOTA_NAME.test(quota.name)) fail(`${prop}[${i}].name`, `must be lowercase letters, digits and hyphens (got "${quota.name}")`);
      if (known(quota.path) && !QUOTA_PATH.test(quota.path)) {
        fail(`${prop}[${i}].path`, `must be "" (the whole API) or a namespace, mount or API path without a leading slash (got "${quota.path}")`);
      }
    });
    unique(prop, quotas.map((q) => q.name), 'name', 'each quota needs its own name');
    // Vault refuses a second quota of a type on the same path: "quota rule with similar properties exists".
    unique(prop, quotas.map((q) => q.path), 'path', 'Vault allows one quota of a type per path');
  };

  quotaChecks('rateLimitQuotas', resolved.rateLimitQuotas);
  resolved.rateLimitQuotas.forEach((quota, i) => {
    if (known(quota.rate) && !(Number.isFinite(quota.rate) && quota.rate > 0)) fail(`rateLimitQuotas[${i}].rate`, `must be a positive number of requests per second (got ${quota.rate})`);
    wholeNumber(`rateLimitQuotas[${i}].intervalSeconds`, quota.intervalSeconds, 1);
    wholeNumber(`rateLimitQuotas[${i}].blockIntervalSeconds`, quota.blockIntervalSeconds, 1);
  });

  quotaChecks('leaseCountQuotas', resolved.leaseCountQuotas);
  resolved.leaseCountQuotas.forEach((quota, i) => wholeNumber(`leaseCountQuotas[${i}].maxLeases`, quota.maxLeases, 1));
}

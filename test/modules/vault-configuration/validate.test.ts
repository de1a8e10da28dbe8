import { VaultConfiguration, type VaultConfigurationProps } from '../../../modules/vault-configuration';
import { synth } from '../vault-cluster/synth';

const build = (props: VaultConfigurationProps) => () => synth((scope) => new VaultConfiguration(scope, 'Config', props));
const mount = (path: string, defaultLeaseTtlSeconds = 3600, maxLeaseTtlSeconds = 86400) => ({ path, defaultLeaseTtlSeconds, maxLeaseTtlSeconds });
const P = 'VaultConfiguration prop';

describe('VaultConfiguration validation', () => {
  it('accepts the defaults and a token maximum equal to the longest token TTL', () => {
    expect(build({})).not.toThrow();
    expect(build({ longestTokenTtlSeconds: 86400 })).not.toThrow();
  });

  it.each(['/aws', 'aws/', 'a b', ''])('refuses the AWS auth mount path "%s"', (awsAuthMountPath) => {
    expect(build({ awsAuthMountPath })).toThrow(`${P} "awsAuthMountPath": must be a mount path like "aws" (no slash at either end; got "${awsAuthMountPath}")`);
  });

  it.each(['/auth/token', 'kv/', 'auth', 'sys', 'sys/mounts', ''])('refuses the mount path "%s"', (path) => {
    expect(build({ mountLeaseTtls: [mount(path)] })).toThrow(`${P} "mountLeaseTtls[0].path": must be a mount path like "auth/token" or "kv"`);
  });

  it.each([
    ['defaultLeaseTtlSeconds', mount('kv', 0, 60)],
    ['maxLeaseTtlSeconds', mount('kv', 60, 1.5)],
    ['maxLeaseTtlSeconds', mount('kv', 60, 768 * 3600 + 1)],
  ])('refuses %s outside 1 s to 768 h', (field, value) => {
    expect(build({ mountLeaseTtls: [value] })).toThrow(`${P} "mountLeaseTtls[0].${field}": must be a whole number from 1 to 2764800`);
  });

  it('refuses a default lease longer than the maximum', () => {
    expect(build({ mountLeaseTtls: [mount('kv', 7200, 3600)] })).toThrow(`${P} "mountLeaseTtls[0].defaultLeaseTtlSeconds": (7200) must not exceed maxLeaseTtlSeconds (3600)`);
  });

  it('refuses a token store maximum below the DR token TTL, which Vault would cap silently', () => {
    expect(build({ mountLeaseTtls: [mount('auth/token', 3600, 7200)] })).toThrow(
      `${P} "mountLeaseTtls[0].maxLeaseTtlSeconds": (7200) is below longestTokenTtlSeconds (28800): Vault would cap the DR token's TTL silently; raise it or lower DrAutomation's drTokenTtlSeconds`,
    );
    expect(build({ longestTokenTtlSeconds: 90000 })).toThrow(`${P} "mountLeaseTtls[0].maxLeaseTtlSeconds": (86400) is below longestTokenTtlSeconds (90000)`);
  });

  it('refuses a mount tuned twice', () => {
    expect(build({ mountLeaseTtls: [mount('kv'), mount('kv')] })).toThrow(`${P} "mountLeaseTtls[1]": path "kv" is used twice; each mount is tuned once`);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the rate %s', (rate) => {
    expect(build({ rateLimitQuotas: [{ name: 'g', path: '', rate }] })).toThrow(`${P} "rateLimitQuotas[0].rate": must be a positive number of requests per second (got ${rate})`);
  });

  it('refuses a rate interval or block interval below a second', () => {
    expect(build({ rateLimitQuotas: [{ name: 'g', path: '', rate: 1, intervalSeconds: 0 }] })).toThrow(`${P} "rateLimitQuotas[0].intervalSeconds": must be a whole number from 1`);
    expect(build({ rateLimitQuotas: [{ name: 'g', path: '', rate: 1, blockIntervalSeconds: 0.5 }] })).toThrow(`${P} "rateLimitQuotas[0].blockIntervalSeconds": must be a whole number from 1`);
  });

  it.each([
    ['rateLimitQuotas', { rateLimitQuotas: [{ name: 'Global', path: '', rate: 1 }] }],
    ['leaseCountQuotas', { leaseCountQuotas: [{ name: 'glob al', path: '', maxLeases: 1 }] }],
  ])('refuses a %s name that is not lowercase letters, digits and hyphens', (prop, props) => {
    expect(build(props)).toThrow(`${P} "${prop}[0].name": must be lowercase letters, digits and hyphens`);
  });

  it('refuses a quota path with a leading slash', () => {
    expect(build({ leaseCountQuotas: [{ name: 'kv', path: '/kv', maxLeases: 1 }] })).toThrow(`${P} "leaseCountQuotas[0].path": must be "" (the whole API) or a namespace, mount or API path without a leading slash (got "/kv")`);
  });

  it('refuses two quotas of a type on one path, as Vault does', () => {
    expect(build({ rateLimitQuotas: [{ name: 'a', path: '', rate: 1 }, { name: 'b', path: '', rate: 2 }] })).toThrow(
      `${P} "rateLimitQuotas[1]": path "" is used twice; Vault allows one quota of a type per path`,
    );
  });

  it('refuses two quotas with one name', () => {
    expect(build({ leaseCountQuotas: [{ name: 'a', path: '', maxLeases: 1 }, { name: 'a', path: 'kv', maxLeases: 2 }] })).toThrow(
      `${P} "leaseCountQuotas[1]": name "a" is used twice; each quota needs its own name`,
    );
  });

  it('refuses a lease count below one', () => {
    expect(build({ leaseCountQuotas: [{ name: 'default', path: '', maxLeases: 0 }] })).toThrow(`${P} "leaseCountQuotas[0].maxLeases": must be a whole number from 1`);
  });

  it('accepts mount names that only begin like reserved ones', () => {
    expect(build({ mountLeaseTtls: [mount('system-kv'), mount('authors')] })).not.toThrow();
  });

  it('allows one quota of each type on the same path', () => {
    expect(build({ rateLimitQuotas: [{ name: 'kv', path: 'kv', rate: 5 }], leaseCountQuotas: [{ name: 'kv', path: 'kv', maxLeases: 5 }] })).not.toThrow();
  });
});

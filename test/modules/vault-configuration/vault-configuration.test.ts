import { VaultProvider } from '../../../modules/internal/vault';
import { VaultConfiguration, type VaultConfigurationProps } from '../../../modules/vault-configuration';
import { resources, synth } from '../vault-cluster/synth';

const build = (props?: VaultConfigurationProps) => synth((scope) => new VaultConfiguration(scope, 'Config', props)).doc;
/** The bodies of a type, sorted by `key` (synthesis orders them by logical id). */
const bodies = (doc: ReturnType<typeof build>, type: string, key = type === 'vault_generic_endpoint' ? 'path' : 'name') =>
  resources(doc, type)
    .map(([, body]) => body)
    .sort((x, y) => String(x[key]).localeCompare(String(y[key])));

describe('VaultConfiguration defaults', () => {
  const doc = build();

  it('tunes the token store to a 1 h default and a 24 h maximum lease, in seconds, and no AWS auth mount it was not given', () => {
    expect(bodies(doc, 'vault_generic_endpoint')).toEqual([
      {
        path: 'sys/auth/token/tune',
        data_json: '{"default_lease_ttl":3600,"max_lease_ttl":86400}',
        ignore_absent_fields: true,
        disable_delete: true,
      },
    ]);
  });

  it('sets one global rate limit quota of 500 requests per second over 1 s, without blocking', () => {
    expect(bodies(doc, 'vault_quota_rate_limit')).toEqual([{ name: 'global-rate-limit', path: '', rate: 500, interval: 1 }]);
  });

  it('manages Vault Enterprise\'s own global lease count quota, "default", at 300000 leases', () => {
    expect(bodies(doc, 'vault_quota_lease_count')).toEqual([{ name: 'default', path: '', max_leases: 300000 }]);
  });

  it('configures no tidy: Vault revokes expired tokens and leases by itself', () => {
    const written = bodies(doc, 'vault_generic_endpoint').map((body) => body.path as string);
    expect(written.filter((path) => path.includes('tidy'))).toEqual([]);
    expect(Object.keys(doc.resource ?? {}).sort()).toEqual(['vault_generic_endpoint', 'vault_quota_lease_count', 'vault_quota_rate_limit']);
  });

  it('keys each resource by mount path or quota name', () => {
    const ids = Object.values(doc.resource ?? {}).flatMap((byId) => Object.keys(byId));
    expect(ids).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/LeaseTtls-auth-token/),
        expect.stringMatching(/RateLimit-global-rate-limit/),
        expect.stringMatching(/LeaseCount-default/),
      ]),
    );
  });
});

describe('VaultConfiguration props', () => {
  it('keys a named AWS auth mount\'s tune by its path', () => {
    const ids = Object.keys(build({ awsAuthMountPath: 'aws' }).resource?.vault_generic_endpoint ?? {});
    expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/LeaseTtls-auth-aws/)]));
  });

  it('tunes a named AWS auth mount (the one the pipeline logs in through) beside the token store', () => {
    const paths = bodies(build({ awsAuthMountPath: 'aws-dr' }), 'vault_generic_endpoint').map((body) => body.path);
    expect(paths).toEqual(['sys/auth/aws-dr/tune', 'sys/auth/token/tune']);
  });

  it('takes its own mount list: auth methods under sys/auth, secrets engines under sys/mounts', () => {
    const doc = build({
      mountLeaseTtls: [
        { path: 'auth/token', defaultLeaseTtlSeconds: 1800, maxLeaseTtlSeconds: 43200 },
        { path: 'team-a/kv', defaultLeaseTtlSeconds: 600, maxLeaseTtlSeconds: 3600 },
      ],
    });
    expect(bodies(doc, 'vault_generic_endpoint').map((body) => [body.path, JSON.parse(body.data_json)])).toEqual([
      ['sys/auth/token/tune', { default_lease_ttl: 1800, max_lease_ttl: 43200 }],
      ['sys/mounts/team-a/kv/tune', { default_lease_ttl: 600, max_lease_ttl: 3600 }],
    ]);
  });

  it('takes rate limit quotas with an interval and a block interval', () => {
    const doc = build({
      rateLimitQuotas: [
        { name: 'global', path: '', rate: 200 },
        { name: 'aws-login', path: 'auth/aws', rate: 20, intervalSeconds: 10, blockIntervalSeconds: 60 },
      ],
    });
    expect(bodies(doc, 'vault_quota_rate_limit')).toEqual([
      { name: 'aws-login', path: 'auth/aws', rate: 20, interval: 10, block_interval: 60 },
      { name: 'global', path: '', rate: 200, interval: 1 },
    ]);
  });

  it('takes lease count quotas', () => {
    const doc = build({ leaseCountQuotas: [{ name: 'default', path: '', maxLeases: 50000 }, { name: 'kv', path: 'kv', maxLeases: 1000 }] });
    expect(bodies(doc, 'vault_quota_lease_count')).toEqual([
      { name: 'default', path: '', max_leases: 50000 },
      { name: 'kv', path: 'kv', max_leases: 1000 },
    ]);
  });

  it('writes nothing for empty lists', () => {
    expect(build({ mountLeaseTtls: [], rateLimitQuotas: [], leaseCountQuotas: [] }).resource).toBeUndefined();
  });

  it('writes through the given provider', () => {
    const { doc } = synth((scope) => {
      const provider = new VaultProvider(scope, 'primary', { address: 'https://vault.example.com:8200', alias: 'primary' });
      new VaultConfiguration(scope, 'Config', { provider });
    });
    const providers = Object.values(doc.resource ?? {}).flatMap((byId) => Object.values(byId).map((body) => body.provider));
    expect(new Set(providers)).toEqual(new Set(['vault.primary']));
    expect(providers).toHaveLength(3);
  });
});

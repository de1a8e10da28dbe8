/**
 * The stack composes VaultConfiguration on the default Vault provider (the high-level name, so the
 * primary), with the AWS auth mount the pipeline logs in through and the DR token TTL.
 */
import { VaultDrStack } from '../../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { FIXTURE_BUNDLES_DIRECTORY } from '../modules/support/dr-automation-fixtures';
import { synthesizeStack, testApp } from '../modules/support/synthesized';
import { stackProps } from './support/stack-props';

const synth = (overrides: Partial<VaultDrStackProps> = {}) => synthesizeStack(new VaultDrStack(testApp(), stackProps(overrides)));

describe('VaultDrStack: Vault configuration', () => {
  const doc = synth();

  it('tunes the token store and the pipeline\'s AWS auth mount, and sets the quotas, through the default Vault provider', () => {
    const tunes = Object.values(doc.resources('vault_generic_endpoint'));
    expect(tunes.map((body) => body.path).sort()).toEqual(['sys/auth/aws/tune', 'sys/auth/token/tune']);
    expect(Object.values(doc.resources('vault_quota_rate_limit')).map((body) => [body.name, body.path, body.rate])).toEqual([['global-rate-limit', '', 500]]);
    expect(Object.values(doc.resources('vault_quota_lease_count')).map((body) => [body.name, body.path, body.max_leases])).toEqual([['default', '', 300000]]);
    for (const body of [...tunes, doc.resource('vault_quota_rate_limit').body, doc.resource('vault_quota_lease_count').body]) {
      expect(body.provider).toBeUndefined();
    }
  });

  it('follows the mount the Vault provider logs in through, not the DR automation\'s own mount', () => {
    const paths = Object.values(synth({ vaultLogin: { ...stackProps().vaultLogin, mount: 'aws-iam' } }).resources('vault_generic_endpoint')).map((b) => b.path);
    expect(paths.sort()).toEqual(['sys/auth/aws-iam/tune', 'sys/auth/token/tune']);
  });

  it('refuses a token store maximum below the DR token TTL the environment asks for', () => {
    expect(() => synth({ drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY, drTokenTtlSeconds: 2 * 86400, refreshIntervalMinutes: 60 } })).toThrow(
      'VaultConfiguration prop "mountLeaseTtls[0].maxLeaseTtlSeconds": (86400) is below longestTokenTtlSeconds (172800)',
    );
  });

  it('takes the environment\'s own values', () => {
    const custom = synth({ vaultConfiguration: { rateLimitQuotas: [{ name: 'global', path: '', rate: 100 }], leaseCountQuotas: [] } });
    expect(Object.values(custom.resources('vault_quota_rate_limit')).map((body) => body.rate)).toEqual([100]);
    expect(custom.resources('vault_quota_lease_count')).toEqual({});
  });
});

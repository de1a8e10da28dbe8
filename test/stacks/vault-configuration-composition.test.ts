/**
 * The stack composes VaultConfiguration on the default Vault provider (the high-level name, so the
 * primary), with the DR automation's AWS auth mount and DR token TTL.
 */
import { join } from 'node:path';
import { VaultDrStack } from '../../stacks/vault-dr-stack';
import type { VaultClusterSettings, VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { FIXTURE_BUNDLES_DIRECTORY, HOSTED_ZONE_ID, VAULT_ADDRESS } from '../modules/support/dr-automation-fixtures';
import { synthesizeStack, testApp } from '../modules/support/synthesized';

const ACCOUNT = '123456789012';
const secret = (region: string, name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:vault-test/${name}-AbCdEf`;
const cluster = (name: string, region: string, net: string): VaultClusterSettings => ({
  name,
  region,
  vpcId: `vpc-${name}`,
  vpcCidrs: [`${net}.0.0/16`],
  subnets: ['a', 'b', 'c'].map((zone) => ({ subnetId: `subnet-${name}${zone}`, availabilityZone: `${region}${zone}` })),
  image: { ssmParameterName: `/vault-dr/test/${name}/ami` },
  tls: { certificateSecretArn: secret(region, 'cert'), privateKeySecretArn: secret(region, 'key'), caBundleSecretArn: secret(region, 'ca') },
  licenseSecretArn: secret(region, 'license'),
  allowedClientCidrs: [`${net}.100.0/24`],
});

const props = (overrides: Partial<VaultDrStackProps> = {}): VaultDrStackProps => ({
  environment: 'test',
  identifier: 'main',
  awsAccountId: ACCOUNT,
  primaryCluster: cluster('use1', 'us-east-1', '10.0'),
  drCluster: cluster('usw2', 'us-west-2', '10.1'),
  drFunctionsNetwork: { subnetIds: ['subnet-fn1'], securityGroupIds: ['sg-0f0f0f0f0f0f0f0f1'], subnetCidrs: ['10.1.48.0/24'] },
  vaultAddress: VAULT_ADDRESS,
  hostedZoneId: HOSTED_ZONE_ID,
  hostedZoneName: 'example.com',
  vaultCaBundleFile: join(__dirname, '..', 'modules', 'support', 'fixtures', 'vault-ca.pem'),
  stateBackend: { bucket: 'state-bucket', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-test' },
  tags: { Environment: 'test' },
  drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY },
  ...overrides,
});

const synth = (overrides: Partial<VaultDrStackProps> = {}) => synthesizeStack(new VaultDrStack(testApp(), props(overrides)));

describe('VaultDrStack: Vault configuration', () => {
  const doc = synth();

  it('tunes the token store and the AWS auth method, and sets the quotas, through the default Vault provider', () => {
    const tunes = Object.values(doc.resources('vault_generic_endpoint'));
    expect(tunes.map((body) => body.path).sort()).toEqual(['sys/auth/aws/tune', 'sys/auth/token/tune']);
    expect(Object.values(doc.resources('vault_quota_rate_limit')).map((body) => [body.name, body.path, body.rate])).toEqual([['global-rate-limit', '', 500]]);
    expect(Object.values(doc.resources('vault_quota_lease_count')).map((body) => [body.name, body.path, body.max_leases])).toEqual([['default', '', 300000]]);
    for (const body of [...tunes, doc.resource('vault_quota_rate_limit').body, doc.resource('vault_quota_lease_count').body]) {
      expect(body.provider).toBeUndefined();
    }
  });

  it('follows the DR automation\'s AWS auth mount', () => {
    const paths = Object.values(synth({ drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY, vaultAwsAuthMountPath: 'aws-iam' } }).resources('vault_generic_endpoint')).map((b) => b.path);
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

/** VaultDrStack props of a complete test environment, shared by the stack tests. */
import { join } from 'node:path';
import type { VaultClusterSettings, VaultDrStackProps } from '../../../stacks/vault-dr-stack-props';
import { FIXTURE_BUNDLES_DIRECTORY, HOSTED_ZONE_ID, VAULT_ADDRESS } from '../../modules/support/dr-automation-fixtures';

export const ACCOUNT = '123456789012';
export const TAGS = { Application: 'vault-dr', Environment: 'test' };
export const FUNCTIONS_SG = 'sg-0f0f0f0f0f0f0f0f1';
export const FUNCTION_SUBNET_CIDRS = ['10.1.48.0/24', '10.1.49.0/24'];
export const APPLY_ROLE = `arn:aws:iam::${ACCOUNT}:role/vault-dr-terraform-apply`;
export const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/vault-dr-break-glass`;

const secret = (region: string, name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:vault-test/${name}-AbCdEf`;

export function clusterSettings(name: string, region: string, net: string): VaultClusterSettings {
  return {
    name,
    region,
    vpcId: `vpc-${name}`,
    vpcCidrs: [`${net}.0.0/16`],
    subnets: ['a', 'b', 'c'].map((zone, i) => ({ subnetId: `subnet-${name}${zone}`, availabilityZone: `${region}${zone}`, cidrBlock: `${net}.${16 * i}.0/20` })),
    image: { ssmParameterName: `/vault-dr/test/${name}/ami` },
    tls: { certificateSecretArn: secret(region, 'cert'), privateKeySecretArn: secret(region, 'key'), caBundleSecretArn: secret(region, 'ca') },
    licenseSecretArn: secret(region, 'license'),
    allowedClientCidrs: [`${net}.100.0/24`],
  };
}

export const stackProps = (overrides: Partial<VaultDrStackProps> = {}): VaultDrStackProps => ({
  environment: 'test',
  identifier: 'main',
  awsAccountId: ACCOUNT,
  primaryCluster: clusterSettings('use1', 'us-east-1', '10.0'),
  drCluster: clusterSettings('usw2', 'us-west-2', '10.1'),
  drFunctionsNetwork: { subnetIds: ['subnet-fn1', 'subnet-fn2'], securityGroupIds: [FUNCTIONS_SG], subnetCidrs: FUNCTION_SUBNET_CIDRS },
  vaultAddress: VAULT_ADDRESS,
  hostedZoneId: HOSTED_ZONE_ID,
  hostedZoneName: 'example.com',
  alarmTopicArn: `arn:aws:sns:us-west-2:${ACCOUNT}:vault-dr-alerts`,
  vaultCaBundleFile: join(__dirname, '..', '..', 'modules', 'support', 'fixtures', 'vault-ca.pem'),
  stateBackend: { bucket: 'state-bucket', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-test', planRole: 'terraform-vault-dr-test-plan', headerValue: 'vault-test.example.com' },
  keyAdministratorArns: [APPLY_ROLE],
  breakGlassRoleArn: BREAK_GLASS,
  sessionManagerRoleNames: ['vault-operators'],
  tags: TAGS,
  drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY },
  ...overrides,
});


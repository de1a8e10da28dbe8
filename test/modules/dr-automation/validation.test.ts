import { join } from 'node:path';
import { DrAutomation, type DrAutomationProps, PropsValidationError } from '../../../modules';
import { CLUSTERS, drAutomationProps, FIXTURE_CA_PEM, VAULT_ADDRESS } from '../support/dr-automation-fixtures';
import { ArchiveProvider } from '../../../modules/internal/archive';
import { AwsProvider } from '../../../modules/internal/aws';
import { VaultProvider } from '../../../modules/internal/vault';
import { type TerraformStack, Testing, Token } from '../../../modules/internal/cdktf';
import { testStack } from '../support/synthesized';

function build(overrides: Partial<DrAutomationProps> | Record<string, unknown>): void {
  new DrAutomation(testStack(), 'Dr', drAutomationProps(overrides as Partial<DrAutomationProps>));
}

/** The error a build throws (fails the test if it does not throw one). */
function errorOf(overrides: Partial<DrAutomationProps> | Record<string, unknown>): PropsValidationError {
  try {
    build(overrides);
  } catch (error) {
    if (error instanceof PropsValidationError) return error;
    throw error;
  }
  throw new Error('expected a PropsValidationError');
}

/** A Terraform reference as cdktf represents one (an unresolved token). */
function reference(expression: string): string {
  return Token.asString({ creationStack: [], resolve: () => expression, toString: () => expression });
}

describe('DrAutomation props validation', () => {
  it('builds with the required props only', () => {
    expect(() => build({})).not.toThrow();
  });

  // [case, overrides, the prop the error must name, a fragment of the explanation]
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['missing environment', { environment: '' }, 'environment', 'is required'],
    ['environment with capitals', { environment: 'Prod' }, 'environment', 'lowercase letters, digits and single hyphens'],
    ['environment that is a Terraform reference', { environment: reference('${var.environment}') }, 'environment', 'plain string'],
    ['identifier with an underscore', { identifier: 'my_vault' }, 'identifier', 'lowercase letters'],
    ['identifier with a double hyphen', { identifier: 'a--b' }, 'identifier', 'single hyphens'],
    ['names longer than Lambda allows', { environment: 'production-eu-central', identifier: 'payments-platform-vault-x' }, 'environment', 'AWS allows at most 64'],
    ['vaultAddress over http', { vaultAddress: 'http://vault-test.example.com:8200' }, 'vaultAddress', 'must use https'],
    ['vaultAddress that is no URL', { vaultAddress: 'vault-test.example.com' }, 'vaultAddress', 'must be an https URL'],
    ['vaultAddress that is a Terraform reference', { vaultAddress: reference('${var.vault_address}') }, 'vaultAddress', 'plain string'],
    ['vaultAddress with a path', { vaultAddress: 'https://vault-test.example.com:8200/v1' }, 'vaultAddress', 'without path'],
    ['vaultAddress equal to a cluster address', { vaultAddress: CLUSTERS.primary.address }, 'vaultAddress', 'high-level address'],
    ['clusters without a DR cluster', { clusters: { primary: CLUSTERS.primary } }, 'clusters.dr', 'is required'],
    ['cluster name with a space', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, name: 'vault dr' } } }, 'clusters.dr.name', 'set identifier'],
    ['two clusters with one name', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, name: CLUSTERS.primary.name } } }, 'clusters.dr.name', 'must differ'],
    ['cluster address over http', { clusters: { ...CLUSTERS, primary: { ...CLUSTERS.primary, address: 'http://a.example.com' } } }, 'clusters.primary.address', 'https'],
    ['cluster port address over http', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, clusterAddress: 'http://vault-test-usw2.example.com:8201' } } }, 'clusters.dr.clusterAddress', 'https'],
    ['cluster port address equal to the API address', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, clusterAddress: CLUSTERS.dr.address } } }, 'clusters.dr.clusterAddress', 'cluster port (8201)'],
    ['two clusters with one address', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, address: CLUSTERS.primary.address } } }, 'clusters.dr.address', 'must differ'],
    ['missing hosted zone', { hostedZoneId: '' }, 'hostedZoneId', 'is required'],
    ['hosted zone given as a path', { hostedZoneId: '/hostedzone/Z123' }, 'hostedZoneId', 'without "/hostedzone/"'],
    ['missing CA bundle', { vaultCaBundlePem: '' }, 'vaultCaBundlePem', 'is required'],
    ['CA bundle given as a path', { vaultCaBundlePem: '/etc/vault/ca.pem' }, 'vaultCaBundlePem', 'PEM text'],
    ['CA bundle with a private key', { vaultCaBundlePem: `${FIXTURE_CA_PEM}-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n` }, 'vaultCaBundlePem', 'private key'],
    ['TTL of zero', { drTokenTtlSeconds: 0 }, 'drTokenTtlSeconds', 'whole number of seconds'],
    ['TTL with a fraction', { drTokenTtlSeconds: 3600.5 }, 'drTokenTtlSeconds', 'whole number'],
    ['minimum remaining time of a whole TTL', { drTokenTtlSeconds: 3600, drTokenMinRemainingSeconds: 3600 }, 'drTokenMinRemainingSeconds', 'less than drTokenTtlSeconds'],
    ['minimum remaining time over a day', { drTokenTtlSeconds: 7 * 86_400, drTokenMinRemainingSeconds: 86_401 }, 'drTokenMinRemainingSeconds', 'at most 86400'],
    ['negative minimum remaining time', { drTokenMinRemainingSeconds: -1 }, 'drTokenMinRemainingSeconds', 'whole number'],
    ['refresh interval of zero', { refreshIntervalMinutes: 0 }, 'refreshIntervalMinutes', 'at least 1'],
    ['refresh interval close to the TTL', { refreshIntervalMinutes: 240 }, 'refreshIntervalMinutes', 'two missed refreshes'],
    ['refresh interval longer than an alarm can look back', { drTokenTtlSeconds: 7 * 86_400, refreshIntervalMinutes: 1440 }, 'refreshIntervalMinutes', 'at most 720'],
    ['log retention CloudWatch does not offer', { logRetentionDays: 100 }, 'logRetentionDays', 'must be one of'],
    ['VPC placement without subnets', { vpcPlacement: { subnetIds: [], securityGroupIds: ['sg-1'] } }, 'vpcPlacement.subnetIds', 'at least one subnet'],
    ['VPC placement without security groups', { vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: [] } }, 'vpcPlacement.securityGroupIds', 'at least one security group'],
    ['KMS key that is no KMS ARN', { kmsKeyArn: 'arn:aws:sns:us-west-2:111111111111:topic' }, 'kmsKeyArn', 'kms ARN'],
    ['alarm action that is no ARN', { alarmActions: ['vault-dr-alerts'] }, 'alarmActions[0]', 'ARN'],
    ['auth mount with slashes', { vaultAwsAuthMountPath: '/aws/' }, 'vaultAwsAuthMountPath', 'must not start or end with "/"'],
    ['unknown log level', { logLevel: 'verbose' }, 'logLevel', 'must be one of'],
    ['bundles directory without bundles', { functionBundlesDirectory: join(__dirname, 'no-such-directory') }, 'functionBundlesDirectory', 'npm run build:functions'],
  ];

  it.each(cases)('%s', (_case, overrides, prop, explanation) => {
    const error = errorOf(overrides);
    expect(error.prop).toBe(prop);
    expect(error.message).toContain(`DrAutomation prop "${prop}"`);
    expect(error.message).toContain(explanation);
  });

  it('names the Lambda function that would be too long', () => {
    const error = errorOf({ environment: 'production-eu-central', identifier: 'payments-platform-vault-x' });
    expect(error.message).toContain('"dr-token-generator-production-eu-central-payments-platform-vault-x", 66 characters long');
  });

  it('accepts Terraform references where a value comes from another resource', () => {
    expect(() =>
      build({
        hostedZoneId: reference('${aws_route53_zone.vault.zone_id}'),
        kmsKeyArn: reference('${aws_kms_key.shared.arn}'),
        alarmActions: [reference('${aws_sns_topic.alerts.arn}')],
        vpcPlacement: { subnetIds: [reference('${aws_subnet.a.id}')], securityGroupIds: [reference('${aws_security_group.f.id}')] },
      }),
    ).not.toThrow();
  });

  it('accepts the longest names AWS allows', () => {
    // "dr-token-generator-" (19) + environment (20) + "-" (1) + identifier (24) = 64 characters.
    expect(() => build({ environment: 'e'.repeat(20), identifier: 'i'.repeat(24) })).not.toThrow();
    expect(() => build({ environment: 'e'.repeat(20), identifier: 'i'.repeat(25) })).toThrow(PropsValidationError);
  });

  it('accepts a refresh interval of exactly a third of the usable TTL', () => {
    expect(() => build({ drTokenTtlSeconds: 3 * 3600 + 600, refreshIntervalMinutes: 60 })).not.toThrow();
    expect(() => build({ drTokenTtlSeconds: 3 * 3600 + 599, refreshIntervalMinutes: 60 })).toThrow(/refreshIntervalMinutes/);
  });

  describe('the archive provider', () => {
    const complete = (stack: TerraformStack) => {
      new AwsProvider(stack, 'aws', { region: 'us-west-2' });
      new VaultProvider(stack, 'vault', { address: VAULT_ADDRESS });
    };

    it('must be declared in the stack: cdktf fails the synth without one (it also pins the version)', () => {
      const stack = testStack();
      complete(stack);
      new DrAutomation(stack, 'Dr', drAutomationProps());
      expect(() => Testing.synth(stack, true)).toThrow(/without a matching provider construct.*: archive/);
    });

    it('may be an aliased provider given as a prop, and every archive_file uses it', () => {
      const stack = testStack();
      complete(stack);
      const zipper = new ArchiveProvider(stack, 'zipper', { alias: 'zipper' });
      new DrAutomation(stack, 'Dr', drAutomationProps({ archiveProvider: zipper }));
      const doc = JSON.parse(Testing.synth(stack, true));
      expect(doc.terraform.required_providers.archive).toEqual({ source: 'hashicorp/archive', version: '2.7.1' });
      const archives = Object.values(doc.data.archive_file as Record<string, { provider: string }>);
      expect(archives.map((a) => a.provider)).toEqual(['archive.zipper', 'archive.zipper', 'archive.zipper']);
    });
  });

  it('checks the high-level address before anything is created', () => {
    expect(() => build({ vaultAddress: VAULT_ADDRESS.replace('https', 'ftp') })).toThrow(PropsValidationError);
  });
});

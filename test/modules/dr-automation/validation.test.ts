import { join } from 'node:path';
import { DrAutomation, type DrAutomationProps, PropsValidationError, WeightedVaultEndpoint, type WeightedVaultEndpointProps } from '../../../modules';
import { CLUSTERS, drAutomationProps, FIXTURE_CA_PEM, HOSTED_ZONE_ID, VAULT_ADDRESS } from '../support/dr-automation-fixtures';
import { ArchiveProvider } from '../../../modules/internal/archive';
import { AwsProvider } from '../../../modules/internal/aws';
import { VaultProvider } from '../../../modules/internal/vault';
import { type TerraformStack, Testing, Token } from '../../../modules/internal/cdktf';
import { testStack } from '../support/synthesized';

const IN_VPC = { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.48.0/24'] };

function build(overrides: Partial<DrAutomationProps> | Record<string, unknown>): void {
  new DrAutomation(testStack(), 'Dr', drAutomationProps(overrides as Partial<DrAutomationProps>));
}

/** The error a build throws (fails the test if it does not throw one). */
function errorOf(overrides: Partial<DrAutomationProps> | Record<string, unknown>, stack?: TerraformStack): PropsValidationError {
  try {
    new DrAutomation(stack ?? testStack(), 'Dr', drAutomationProps(overrides as Partial<DrAutomationProps>));
  } catch (error) {
    if (error instanceof PropsValidationError) return error;
    throw error;
  }
  throw new Error('expected a PropsValidationError');
}

/** The problem recorded for a prop (fails the test when there is none). */
function problemWith(error: PropsValidationError, prop: string): string {
  const found = error.problems.find((p) => p.prop === prop);
  if (!found) throw new Error(`no problem with ${prop}; the problems: ${error.message}`);
  return found.problem;
}

/** A test stack whose default AWS provider is in `region` (where the functions and alarms run). */
function stackIn(region: string): TerraformStack {
  const stack = testStack();
  new AwsProvider(stack, 'aws', { region });
  return stack;
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
    ['environment longer than every construct allows', { environment: 'production-eu-central' }, 'environment', 'at most 16 characters'],
    ['names longer than Lambda allows', { environment: 'production-eu-ce', identifier: 'payments-platform-vault-xy-z1' }, 'identifier', 'AWS allows at most 64'],
    ['vaultAddress over http', { vaultAddress: 'http://vault-test.example.com:8200' }, 'vaultAddress', 'must use https'],
    ['vaultAddress that is no URL', { vaultAddress: 'vault-test.example.com' }, 'vaultAddress', 'must be an https URL'],
    ['vaultAddress that is a Terraform reference', { vaultAddress: reference('${var.vault_address}') }, 'vaultAddress', 'plain string'],
    ['vaultAddress with a path', { vaultAddress: 'https://vault-test.example.com:8200/v1' }, 'vaultAddress', 'without path'],
    ['vaultAddress equal to a cluster address', { vaultAddress: CLUSTERS.primary.address }, 'clusters.primary.address', 'names the high-level host'],
    ['cluster address on the high-level host, another port', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, address: 'https://vault-test.example.com:8300' } } }, 'clusters.dr.address', 'names the high-level host'],
    ['vaultAddress that is an IP address', { vaultAddress: 'https://10.0.0.10:8200' }, 'vaultAddress', 'not by IP address'],
    ['cluster address that is an IPv6 address', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, address: 'https://[fd00::10]:8200' } } }, 'clusters.dr.address', 'not by IP address'],
    ['cluster name starting with an underscore (the functions refuse it at start-up)', { clusters: { ...CLUSTERS, primary: { ...CLUSTERS.primary, name: '_use1' } } }, 'clusters.primary.name', 'starting with a letter or digit'],
    ['primary and DR cluster in one region', { clusters: { primary: { ...CLUSTERS.primary, region: 'us-east-1' }, dr: { ...CLUSTERS.dr, region: 'us-east-1' } } }, 'clusters.dr.region', 'must be in another region'],
    ['cluster in a region that does not exist', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, region: 'us-west-3' } } }, 'clusters.dr.region', 'no such region'],
    ['clusters without a DR cluster', { clusters: { primary: CLUSTERS.primary } }, 'clusters.dr', 'is required'],
    ['cluster name with a space', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, name: 'vault dr' } } }, 'clusters.dr.name', 'set identifier'],
    ['two clusters with one name', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, name: CLUSTERS.primary.name } } }, 'clusters.dr.name', 'must differ'],
    ['cluster address over http', { clusters: { ...CLUSTERS, primary: { ...CLUSTERS.primary, address: 'http://a.example.com' } } }, 'clusters.primary.address', 'https'],
    ['cluster port address over http', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, clusterAddress: 'http://vault-test-usw2.example.com:8201' } } }, 'clusters.dr.clusterAddress', 'https'],
    ['cluster port address equal to the API address', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, clusterAddress: CLUSTERS.dr.address } } }, 'clusters.dr.clusterAddress', 'cluster port (8201)'],
    ['two clusters with one address', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, address: CLUSTERS.primary.address } } }, 'clusters.dr.address', 'must name another host'],
    ['missing hosted zone', { hostedZoneId: '' }, 'hostedZoneId', 'is required'],
    ['hosted zone given as a path', { hostedZoneId: '/hostedzone/Z123' }, 'hostedZoneId', 'without "/hostedzone/"'],
    ['hosted zone given by name', { hostedZoneId: 'example.com' }, 'hostedZoneId', 'hosted zone id'],
    ['missing CA bundle', { vaultCaBundlePem: '' }, 'vaultCaBundlePem', 'is required'],
    ['CA bundle given as a path', { vaultCaBundlePem: '/etc/vault/ca.pem' }, 'vaultCaBundlePem', 'PEM text'],
    ['CA bundle with a private key', { vaultCaBundlePem: `${FIXTURE_CA_PEM}-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n` }, 'vaultCaBundlePem', 'private key'],
    ['TTL of zero', { drTokenTtlSeconds: 0 }, 'drTokenTtlSeconds', 'whole number of seconds'],
    ['TTL with a fraction', { drTokenTtlSeconds: 3600.5 }, 'drTokenTtlSeconds', 'whole number'],
    ['TTL over a day (a batch token cannot be revoked)', { drTokenTtlSeconds: 86_401 }, 'drTokenTtlSeconds', 'at most 86400 seconds'],
    ['minimum remaining time of a whole TTL', { drTokenTtlSeconds: 3600, drTokenMinRemainingSeconds: 3600 }, 'drTokenMinRemainingSeconds', 'less than drTokenTtlSeconds'],
    ['minimum remaining time over a day', { drTokenTtlSeconds: 86_400, drTokenMinRemainingSeconds: 86_401 }, 'drTokenMinRemainingSeconds', 'at most 86400'],
    ['negative minimum remaining time', { drTokenMinRemainingSeconds: -1 }, 'drTokenMinRemainingSeconds', 'whole number'],
    ['refresh interval of zero', { refreshIntervalMinutes: 0 }, 'refreshIntervalMinutes', 'at least 1'],
    ['refresh interval close to the TTL', { refreshIntervalMinutes: 240 }, 'refreshIntervalMinutes', 'two missed refreshes'],
    ['refresh interval longer than an alarm can look back', { refreshIntervalMinutes: 1440 }, 'refreshIntervalMinutes', 'at most 720'],
    ['log retention CloudWatch does not offer', { logRetentionDays: 100 }, 'logRetentionDays', 'must be one of'],
    ['VPC placement without subnets', { vpcPlacement: { subnetIds: [], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.0.0/24'] } }, 'vpcPlacement.subnetIds', 'at least one subnet'],
    ['VPC placement without security groups', { vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: [], subnetCidrs: ['10.0.0.0/24'] } }, 'vpcPlacement.securityGroupIds', 'at least one security group'],
    ['VPC placement without subnet CIDRs', { vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] } }, 'vpcPlacement.subnetCidrs', 'token_bound_cidrs'],
    ['VPC placement with a subnet CIDR that is no CIDR', { vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.0.0'] } }, 'vpcPlacement.subnetCidrs[0]', 'not an IPv4 or IPv6 CIDR'],
    ['VPC placement bound to every address', { vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], subnetCidrs: ['0.0.0.0/0'] } }, 'vpcPlacement.subnetCidrs[0]', 'every address'],
    ['VPC placement with a VPC id for a subnet', { vpcPlacement: { subnetIds: ['subnet-1', 'vpc-0123456789abcdef0'], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.0.0/24'] } }, 'vpcPlacement.subnetIds[1]', 'must be a subnet id'],
    ['VPC placement with a security group by name', { vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['vault-dr-functions'], subnetCidrs: ['10.0.0.0/24'] } }, 'vpcPlacement.securityGroupIds[0]', 'must be a security group id'],
    ['VPC endpoints in a subnet id', { vpcPlacement: { ...IN_VPC, awsApiEndpoints: { vpcId: 'subnet-1', routeTableIds: ['rtb-1'] } } }, 'vpcPlacement.awsApiEndpoints.vpcId', 'must be a VPC id'],
    ['VPC endpoints with DynamoDB and no route table', { vpcPlacement: { ...IN_VPC, awsApiEndpoints: { vpcId: 'vpc-1' } } }, 'vpcPlacement.awsApiEndpoints.routeTableIds', 'gateway endpoint'],
    ['VPC endpoints of a service the functions do not call', { vpcPlacement: { ...IN_VPC, awsApiEndpoints: { vpcId: 'vpc-1', routeTableIds: ['rtb-1'], services: ['route53'] } } }, 'vpcPlacement.awsApiEndpoints.services[0]', 'must be one of secretsmanager, lambda, dynamodb, sts, logs'],
    ['break-glass role that is a user', { breakGlassRoleArn: 'arn:aws:iam::111111111111:user/alice' }, 'breakGlassRoleArn', 'IAM role ARN'],
    ['key administrators given as an empty list', { keyAdministratorArns: [] }, 'keyAdministratorArns', 'at least one principal'],
    ['key administrator that is no IAM ARN', { keyAdministratorArns: ['arn:aws:sts::111111111111:assumed-role/x/y'] }, 'keyAdministratorArns[0]', 'IAM role or user ARN'],
    ['STS URL over http', { vaultStsUrl: 'http://sts.amazonaws.com/' }, 'vaultStsUrl', 'https'],
    ['STS region that is no region', { vaultStsRegion: 'us-east' }, 'vaultStsRegion', 'AWS region'],
    ['STS region of the right shape that does not exist', { vaultStsRegion: 'us-east-7' }, 'vaultStsRegion', 'no such region'],
    ['KMS key given as an alias ARN', { kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:alias/vault-dr' }, 'kmsKeyArn', 'is an alias ARN; give the key ARN'],
    ['KMS key that is no KMS ARN', { kmsKeyArn: 'arn:aws:sns:us-west-2:111111111111:topic' }, 'kmsKeyArn', 'kms ARN'],
    ['alarm action that is no ARN', { alarmActions: ['vault-dr-alerts'] }, 'alarmActions[0]', 'ARN'],
    ['auth mount with slashes around it', { vaultAwsAuthMountPath: '/aws-dr/' }, 'vaultAwsAuthMountPath', 'inner "/"'],
    ['auth mount "aws", the usual mount of Vault\'s own logins', { vaultAwsAuthMountPath: 'aws' }, 'vaultAwsAuthMountPath', 'must not be "aws"'],
    ['unknown log level', { logLevel: 'verbose' }, 'logLevel', 'must be one of'],
    ['bundles directory without bundles', { functionBundlesDirectory: join(__dirname, 'no-such-directory') }, 'functionBundlesDirectory', 'npm run build:functions'],
    ['unknown watchdog mode', { watchdogMode: 'on' }, 'watchdogMode', 'must be one of off, notify, auto'],
    ['automatic failover without the DNS switch', { watchdogMode: 'auto', switchDnsAfterPromotion: false }, 'watchdogMode', 'leave clients on the dead one'],
    ['watchdog window shorter than one run', { watchdogWindowSeconds: 30 }, 'watchdogWindowSeconds', 'at least 60'],
    ['watchdog window over an hour', { watchdogWindowSeconds: 3601 }, 'watchdogWindowSeconds', 'at most 3600 seconds'],
    ['watchdog page topic that is no SNS topic', { watchdogPageTopicArn: 'arn:aws:sqs:us-west-2:111111111111:pages' }, 'watchdogPageTopicArn', 'sns ARN'],
    ['negative replication lag bound', { maxReplicationWalGap: -1 }, 'maxReplicationWalGap', 'whole number of WAL entries'],
  ];

  describe('performanceSecondaries (checked with dr-operations\' own rule for VAULT_PERFORMANCE_SECONDARIES)', () => {
    const SOUTH = { name: 'vault-test-sae1', address: 'https://vault-test-sae1.example.com:8200' };
    const refused: [string, unknown, string, string][] = [
      ['not a list', { name: 'x' }, 'performanceSecondaries', 'must be a JSON array of the performance secondaries'],
      ['a name the functions refuse', [{ ...SOUTH, name: '_sae1' }], 'performanceSecondaries[0].name', 'starting with a letter or digit'],
      ['an address over http', [{ ...SOUTH, address: 'http://vault-test-sae1.example.com:8200' }], 'performanceSecondaries[0].address', 'https://'],
      ['a cluster port address over http', [{ ...SOUTH, clusterAddress: 'http://vault-test-sae1.example.com:8201' }], 'performanceSecondaries[0].clusterAddress', 'https://'],
      ['no address', [{ name: 'vault-test-sae1' }], 'performanceSecondaries[0].address', 'is required'],
      ['an unknown field', [{ ...SOUTH, adress: 'https://x.example.com:8200' }], 'performanceSecondaries[0].adress', 'the fields are name, address, clusterAddress'],
      ['two with one name', [SOUTH, { ...SOUTH, address: 'https://vault-test-sae2.example.com:8200' }], 'performanceSecondaries[1].name', 'must differ from the name of performance secondary 0'],
      ['two with one address', [SOUTH, { ...SOUTH, name: 'vault-test-sae2' }], 'performanceSecondaries[1].address', 'must differ from the address of performance secondary 0'],
      ['the name of a DR cluster', [{ ...SOUTH, name: CLUSTERS.dr.name }], 'performanceSecondaries[0].name', 'must differ from the names of the DR clusters'],
      ['the address of a DR cluster', [{ ...SOUTH, address: CLUSTERS.primary.address }], 'performanceSecondaries[0].address', 'must differ from the DR clusters\' addresses'],
      ['an address by IP', [{ ...SOUTH, address: 'https://10.2.0.10:8200' }], 'performanceSecondaries[0].address', 'not by IP address'],
      ['the high-level host', [{ ...SOUTH, address: 'https://vault-test.example.com:8200' }], 'performanceSecondaries[0].address', 'names the high-level host'],
      ['a Terraform reference', [{ ...SOUTH, address: reference('${aws_lb.x.dns_name}') }], 'performanceSecondaries[0].address', 'not a Terraform reference'],
    ];

    it.each(refused)('refuses %s, naming the field', (_case, performanceSecondaries, prop, explanation) => {
      const error = errorOf({ performanceSecondaries });
      expect(problemWith(error, prop)).toContain(explanation);
      expect(error.message.split('\n')).toContainEqual(expect.stringContaining(`[test/Dr] DrAutomation prop "${prop}": `));
    });

    it('accepts none, one with its cluster port and region (a VaultCluster endpoint), and four', () => {
      expect(() => build({ performanceSecondaries: [] })).not.toThrow();
      expect(() => build({ performanceSecondaries: [{ ...SOUTH, clusterAddress: 'https://vault-test-sae1.example.com:8201', region: 'sa-east-1' }] })).not.toThrow();
      const four = ['sae1', 'euw1', 'apse2', 'euc1'].map((n) => ({ name: `vault-test-${n}`, address: `https://vault-test-${n}.example.com:8200` }));
      expect(() => build({ performanceSecondaries: four })).not.toThrow();
    });
  });

  it.each(cases)('%s', (_case, overrides, prop, explanation) => {
    const error = errorOf(overrides);
    expect(problemWith(error, prop)).toContain(explanation);
    // Each problem is a line that names the instance (its construct path), the construct and the prop.
    expect(error.message.split('\n')).toContainEqual(expect.stringContaining(`[test/Dr] DrAutomation prop "${prop}": `));
  });

  it('names the Lambda function that would be too long', () => {
    const error = errorOf({ environment: 'production-eu-ce', identifier: 'payments-platform-vault-xy-z1' });
    expect(error.message).toContain('"dr-token-generator-production-eu-ce-payments-platform-vault-xy-z1", 65 characters long');
  });

  it('reports every problem at once, one line each, in the order of the props', () => {
    const error = errorOf({ environment: 'Prod', vaultAddress: 'http://vault', hostedZoneId: 'example.com', drTokenTtlSeconds: 0, logLevel: 'verbose' });
    expect(error.problems.map((p) => p.prop)).toEqual(['environment', 'vaultAddress', 'hostedZoneId', 'drTokenTtlSeconds', 'logLevel']);
    expect(error.message.split('\n')).toHaveLength(5);
    expect(error.constructPath).toBe('test/Dr');
  });

  describe('regions of the stack', () => {
    it('refuses alarm topics of another region than the alarms (the functions\' region)', () => {
      const error = errorOf({ alarmActions: ['arn:aws:sns:us-east-1:111111111111:vault-dr-alerts'] }, stackIn('us-west-2'));
      expect(problemWith(error, 'alarmActions[0]')).toContain('is in us-east-1, but the alarms are in us-west-2: CloudWatch alarms notify only topics of their own region');
      expect(() => new DrAutomation(stackIn('us-west-2'), 'Dr', drAutomationProps({ alarmActions: ['arn:aws:sns:us-west-2:111111111111:vault-dr-alerts'] }))).not.toThrow();
    });

    it("refuses a watchdog page topic of another region than the watchdog's", () => {
      const error = errorOf({ watchdogPageTopicArn: 'arn:aws:sns:us-east-1:111111111111:pages' }, stackIn('us-west-2'));
      expect(problemWith(error, 'watchdogPageTopicArn')).toContain('the watchdog runs in us-west-2 and pages a topic of its own region');
      expect(() => new DrAutomation(stackIn('us-west-2'), 'Dr', drAutomationProps({ watchdogPageTopicArn: 'arn:aws:sns:us-west-2:111111111111:pages' }))).not.toThrow();
    });

    it('refuses a KMS key of another region than the functions', () => {
      const error = errorOf({ kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, stackIn('us-west-2'));
      expect(problemWith(error, 'kmsKeyArn')).toContain('is a key of us-east-1, but the functions, their logs and queue are in us-west-2');
      const sameRegion = drAutomationProps({ kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
      expect(() => new DrAutomation(stackIn('us-west-2'), 'Dr', sameRegion)).not.toThrow();
    });

    it('refuses an AWS provider whose region does not exist', () => {
      expect(problemWith(errorOf({}, stackIn('eu-centrl-1')), 'awsProvider')).toContain('has the region "eu-centrl-1", which does not exist');
    });

    it('accepts two clusters in two regions', () => {
      expect(() => build({ clusters: { primary: { ...CLUSTERS.primary, region: 'us-east-1' }, dr: { ...CLUSTERS.dr, region: 'us-west-2' } } })).not.toThrow();
    });
  });

  describe('two instances in one stack', () => {
    it('refuses a second DrAutomation with the same environment and identifier, naming the first', () => {
      const stack = testStack();
      new DrAutomation(stack, 'First', drAutomationProps());
      const error = errorOf({}, stack);
      expect(problemWith(error, 'identifier')).toBe(
        'gives the DrAutomation names "test-main", which test/First in this stack already has: their functions, roles, DR token secret and Vault objects would have the same names; give one of them another identifier',
      );
    });

    it('accepts a second DrAutomation with its own identifier', () => {
      const stack = testStack();
      new DrAutomation(stack, 'First', drAutomationProps());
      expect(() => new DrAutomation(stack, 'Second', drAutomationProps({ identifier: 'payments' }))).not.toThrow();
    });
  });

  describe('the weighted endpoint of the stack (checked at synth)', () => {
    const synthWith = (endpoint: Partial<WeightedVaultEndpointProps>, automation: Partial<DrAutomationProps> = {}) => {
      const stack = testStack();
      new AwsProvider(stack, 'aws', { region: 'us-west-2' });
      new VaultProvider(stack, 'vault', { address: VAULT_ADDRESS });
      new ArchiveProvider(stack, 'archive');
      new WeightedVaultEndpoint(stack, 'Endpoint', { vaultAddress: VAULT_ADDRESS, hostedZoneId: HOSTED_ZONE_ID, clusters: CLUSTERS, ...endpoint });
      new DrAutomation(stack, 'Dr', drAutomationProps(automation));
      return () => Testing.synth(stack, true);
    };

    it('accepts the same address, zone and clusters', () => {
      expect(synthWith({})).not.toThrow();
    });

    it('refuses another high-level name', () => {
      expect(synthWith({ vaultAddress: 'https://vault-other.example.com:8200' })).toThrow(
        '[test/Dr] DrAutomation prop "vaultAddress": names vault-test.example.com, but the WeightedVaultEndpoint of this stack serves vault-other.example.com (test/Endpoint): the DNS switch would look for records that do not exist; give both the same vaultAddress',
      );
    });

    it('refuses another hosted zone', () => {
      expect(synthWith({ hostedZoneId: 'Z0OTHER0ZONE' })).toThrow(/\[test\/Dr\] DrAutomation prop "hostedZoneId": is "Z0TEST0EXAMPLE", but WeightedVaultEndpoint test\/Endpoint keeps the records of vault-test.example.com in "Z0OTHER0ZONE"/);
    });

    it('refuses other cluster names (set identifiers) and other cluster addresses', () => {
      expect(synthWith({ clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, name: 'vault-test-euw1' } } })).toThrow(/DrAutomation prop "clusters.dr.name": is "vault-test-usw2", but WeightedVaultEndpoint test\/Endpoint names its dr record "vault-test-euw1"/);
      expect(synthWith({ clusters: { ...CLUSTERS, primary: { ...CLUSTERS.primary, address: 'https://vault-test-other.example.com:8200' } } })).toThrow(
        /DrAutomation prop "clusters.primary.address": is https:\/\/vault-test-use1.example.com:8200, but WeightedVaultEndpoint test\/Endpoint points the record "vault-test-use1" at vault-test-other.example.com/,
      );
    });
  });

  it('accepts Terraform references where a value comes from another resource', () => {
    expect(() =>
      build({
        hostedZoneId: reference('${aws_route53_zone.vault.zone_id}'),
        kmsKeyArn: reference('${aws_kms_key.shared.arn}'),
        alarmActions: [reference('${aws_sns_topic.alerts.arn}')],
        vpcPlacement: {
          subnetIds: [reference('${aws_subnet.a.id}')],
          securityGroupIds: [reference('${aws_security_group.f.id}')],
          subnetCidrs: [reference('${aws_subnet.a.cidr_block}')],
        },
        breakGlassRoleArn: reference('${aws_iam_role.break_glass.arn}'),
        keyAdministratorArns: [reference('${aws_iam_role.deploy.arn}')],
      }),
    ).not.toThrow();
  });

  it('accepts the longest names AWS allows', () => {
    // "dr-token-generator-" (19) + environment (16) + "-" (1) + identifier (28) = 64 characters.
    expect(() => build({ environment: 'e'.repeat(16), identifier: 'i'.repeat(28) })).not.toThrow();
    expect(() => build({ environment: 'e'.repeat(16), identifier: 'i'.repeat(29) })).toThrow(PropsValidationError);
  });

  it('accepts a TTL of a day, and VPC endpoints with their route tables', () => {
    expect(() => build({ drTokenTtlSeconds: 86_400 })).not.toThrow();
    expect(() => build({ vpcPlacement: { ...IN_VPC, awsApiEndpoints: { vpcId: 'vpc-1', routeTableIds: ['rtb-1'] } } })).not.toThrow();
    expect(() => build({ vpcPlacement: { ...IN_VPC, awsApiEndpoints: { vpcId: 'vpc-1', services: ['secretsmanager', 'lambda'] } } })).not.toThrow();
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
      expect(archives.map((a) => a.provider)).toEqual(['archive.zipper', 'archive.zipper', 'archive.zipper', 'archive.zipper']);
    });
  });

  it('accepts an auth mount path with inner slashes, and the documented defaults', () => {
    expect(() => build({ vaultAwsAuthMountPath: 'dr/aws-test' })).not.toThrow();
    expect(() => build({ vpcPlacement: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.48.0/24', 'fd00:48::/64'] } })).not.toThrow();
  });

  it('checks the high-level address before anything is created', () => {
    expect(() => build({ vaultAddress: VAULT_ADDRESS.replace('https', 'ftp') })).toThrow(PropsValidationError);
  });
});

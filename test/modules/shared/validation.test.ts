/**
 * The props-validation helper and the rules every construct shares: one case that passes and one
 * that fails for each rule (issues 11 and 13), on the constructs themselves.
 */
import { VPCRegion } from '@aws-sdk/client-route-53';
import type { Construct } from 'constructs';
import {
  DrAutomation,
  PropsValidationError,
  VaultAuditLog,
  VaultCluster,
  VaultSnapshotBucket,
  VaultSnapshotSchedule,
  WeightedVaultEndpoint,
  type VaultClusterProps,
  type VaultSnapshotDestination,
  type WeightedVaultEndpointProps,
} from '../../../modules';
import { AwsProvider } from '../../../modules/internal/aws';
import { type TerraformStack, Token } from '../../../modules/internal/cdktf';
import { VaultProvider } from '../../../modules/internal/vault';
import { AWS_REGIONS, regionOfZone } from '../../../modules/shared/aws-regions';
import { PropsValidation } from '../../../modules/shared/validation';
import { CLUSTERS, drAutomationProps, HOSTED_ZONE_ID, VAULT_ADDRESS } from '../support/dr-automation-fixtures';
import { testStack } from '../support/synthesized';
import { clusterProps } from '../vault-cluster/fixtures';

/** The PropsValidationError `build` throws (fails the test when it throws none). */
function errorOf(build: () => unknown): PropsValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof PropsValidationError) return error;
    throw error;
  }
  throw new Error('expected a PropsValidationError');
}

function problemWith(error: PropsValidationError, prop: string): string {
  const found = error.problems.find((p) => p.prop === prop);
  if (!found) throw new Error(`no problem with ${prop}; the problems: ${error.message}`);
  return found.problem;
}

function stackIn(region: string): TerraformStack {
  const stack = testStack();
  new AwsProvider(stack, 'aws', { region });
  return stack;
}

const destination: VaultSnapshotDestination = {
  name: 'use1',
  bucketName: 'vault-dev-use1-snapshots',
  bucketArn: 'arn:aws:s3:::vault-dev-use1-snapshots',
  region: 'us-east-1',
  kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  pathPrefix: 'raft-snapshots/',
};

const cluster = (scope: Construct, overrides: Partial<VaultClusterProps> = {}, id = 'Cluster') => new VaultCluster(scope, id, clusterProps(overrides));
const endpoint = (scope: Construct, overrides: Partial<WeightedVaultEndpointProps> = {}, id = 'Endpoint') =>
  new WeightedVaultEndpoint(scope, id, { vaultAddress: VAULT_ADDRESS, hostedZoneId: HOSTED_ZONE_ID, clusters: CLUSTERS, ...overrides });

describe('the props-validation helper', () => {
  it('collects every problem and throws them together, each with the construct path and the prop', () => {
    const stack = testStack();
    const v = new PropsValidation(stack, 'Example');
    v.check('environment', 'Prod', (value) => (value === 'prod' ? undefined : 'must be "prod"'));
    v.each('subnetIds', ['subnet-1', 'vpc-1'], (value) => (String(value).startsWith('subnet-') ? undefined : 'must be a subnet id'));
    v.optional('missing', undefined, () => 'never runs');
    expect(v.failed('subnetIds')).toBe(true);
    expect(v.failed('missing')).toBe(false);
    const error = errorOf(() => v.throwIfInvalid());
    expect(error.problems).toEqual([
      { prop: 'environment', problem: 'must be "prod"' },
      { prop: 'subnetIds[1]', problem: 'must be a subnet id' },
    ]);
    expect(error.message).toBe('[test] Example prop "environment": must be "prod"\n[test] Example prop "subnetIds[1]": must be a subnet id');
    expect(error.prop).toBe('environment');
  });

  it('throws nothing when every prop passed', () => {
    const v = new PropsValidation(testStack(), 'Example');
    v.check('environment', 'prod', (value) => (value === 'prod' ? undefined : 'must be "prod"'));
    expect(() => v.throwIfInvalid()).not.toThrow();
  });

  it('skips list checks on a list that is a Terraform reference', () => {
    const v = new PropsValidation(testStack(), 'Example');
    v.each('subnetIds', Token.asList({ resolve: () => 'x', creationStack: [], toString: () => 'x' }), () => 'refused');
    expect(() => v.throwIfInvalid()).not.toThrow();
  });

  it('keeps the single-problem form for what is not a construct (a stack\'s own props)', () => {
    expect(new PropsValidationError('VaultDrStack', 'drCluster.region', 'must differ').message).toBe('VaultDrStack prop "drCluster.region": must differ');
  });
});

describe('one environment value is treated alike by every construct', () => {
  // Each construct with every other prop valid and short, so only `environment` decides.
  const builders: Record<string, (scope: Construct, environment: string) => unknown> = {
    DrAutomation: (scope, environment) => new DrAutomation(scope, 'Dr', drAutomationProps({ environment, identifier: 'a' })),
    VaultCluster: (scope, environment) => cluster(scope, { environment, clusterName: 'a' }),
    VaultSnapshotBucket: (scope, environment) => new VaultSnapshotBucket(scope, 'Bucket', { environment, name: 'a' }),
    VaultSnapshotSchedule: (scope, environment) => new VaultSnapshotSchedule(scope, 'Schedule', { environment, destinations: [{ ...destination, name: 'a' }] }),
  };
  const verdict = (environment: string) =>
    Object.entries(builders).map(([name, build]) => {
      try {
        build(testStack(), environment);
        return [name, 'accepted'];
      } catch (error) {
        if (!(error instanceof PropsValidationError)) throw error;
        return [name, error.problems.filter((p) => p.prop === 'environment').map((p) => p.problem).join('; ') || `refused for ${error.prop}`];
      }
    });

  it.each(['dev', 'prod', 'perf-eu', 'a1', 'e'.repeat(16)])('accepts "%s" in every construct', (environment) => {
    expect(verdict(environment)).toEqual(Object.keys(builders).map((name) => [name, 'accepted']));
  });

  it.each(['Prod', '1dev', 'dev-', 'a--b', 'dev_1', 'e'.repeat(17), ''])('refuses "%s" in every construct, with the same words', (environment) => {
    const verdicts = verdict(environment);
    const problems = new Set(verdicts.map(([, problem]) => problem));
    expect(problems.size).toBe(1);
    expect([...problems][0]).not.toBe('accepted');
    expect([...problems][0]).not.toMatch(/^refused for/);
  });
});

describe('regions', () => {
  it('knows every region the pinned AWS SDK has VPCs in, and no other', () => {
    expect([...AWS_REGIONS].sort()).toEqual(Object.values(VPCRegion).sort());
  });

  it.each([
    ['us-east-1a', 'us-east-1'],
    ['eu-central-2c', 'eu-central-2'],
    ['us-east-1-bos-1a', 'us-east-1'],
    ['us-gov-west-1b', 'us-gov-west-1'],
    ['use1-az1', undefined],
    ['us-east-7a', undefined],
    ['us-east-1', undefined],
  ])('reads the region of the zone %s', (zone, region) => {
    expect(regionOfZone(zone)).toBe(region);
  });
});

describe('VaultCluster', () => {
  it('refuses subnets in zones of another region than its provider, and accepts its own', () => {
    const error = errorOf(() => cluster(stackIn('us-west-2')));
    expect(problemWith(error, 'subnets[0].availabilityZone')).toContain("is a zone of us-east-1, but the cluster's AWS provider is in us-west-2");
    expect(() => cluster(stackIn('us-east-1'))).not.toThrow();
  });

  it('refuses subnets of two regions when the provider\'s region is not known', () => {
    const subnets = [...clusterProps().subnets.slice(0, 2), { subnetId: 'subnet-d', availabilityZone: 'us-west-2a' }];
    expect(problemWith(errorOf(() => cluster(testStack(), { subnets })), 'subnets[2].availabilityZone')).toContain('is a zone of us-west-2, but subnets[0] is in us-east-1');
  });

  it('refuses zone ids and zones of unknown regions', () => {
    const subnets = clusterProps().subnets.map((s, i) => (i === 0 ? { ...s, availabilityZone: 'use1-az1' } : s));
    expect(problemWith(errorOf(() => cluster(testStack(), { subnets })), 'subnets[0].availabilityZone')).toContain('not a zone id such as use1-az1');
  });

  it('refuses a provider region that does not exist', () => {
    expect(problemWith(errorOf(() => cluster(stackIn('us-east-7'))), 'provider')).toContain('"us-east-7", which does not exist');
  });

  it('refuses alarm topics of another region than its alarms', () => {
    const error = errorOf(() => cluster(stackIn('us-east-1'), { alarmActions: ['arn:aws:sns:us-west-2:111122223333:alerts'] }));
    expect(problemWith(error, 'alarmActions[0]')).toContain('is in us-west-2, but the alarms are in us-east-1');
    expect(() => cluster(stackIn('us-east-1'), { alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })).not.toThrow();
  });

  it('refuses a secrets key given as an alias ARN, and a snapshot destination key given so', () => {
    const alias = 'arn:aws:kms:us-east-1:111122223333:alias/vault-secrets';
    const error = errorOf(() => cluster(testStack(), { secretsKmsKeyArns: [alias], snapshotDestinations: [{ ...destination, kmsKeyArn: alias }] }));
    expect(problemWith(error, 'secretsKmsKeyArns[0]')).toContain('is an alias ARN; give the key ARN');
    expect(problemWith(error, 'snapshotDestinations[0].kmsKeyArn')).toContain('is an alias ARN');
    expect(() => cluster(testStack(), { secretsKmsKeyArns: [destination.kmsKeyArn] })).not.toThrow();
  });

  it.each([
    ['vpcId', { vpcId: 'subnet-0123456789abcdef0' }, 'must be a VPC id'],
    ['subnets[1].subnetId', { subnets: clusterProps().subnets.map((s, i) => (i === 1 ? { ...s, subnetId: 'private-b' } : s)) }, 'must be a subnet id'],
    ['allowedClientSecurityGroupIds[0]', { allowedClientSecurityGroupIds: ['arn:aws:ec2:us-east-1:111122223333:security-group/sg-1'] }, 'must be a security group id'],
    ['awsApiEgressPrefixListIds[0]', { awsApiEgressPrefixListIds: ['s3'] }, 'must be a managed prefix list id'],
    ['hostedZoneId', { hostedZoneId: 'example.com' }, 'hosted zone id'],
  ] as Array<[string, Partial<VaultClusterProps>, string]>)('refuses an id of the wrong shape: %s', (prop, overrides, problem) => {
    expect(problemWith(errorOf(() => cluster(testStack(), overrides)), prop)).toContain(problem);
  });

  it('refuses a second cluster of the same names in one stack, naming the first, and accepts another name', () => {
    const stack = testStack();
    cluster(stack, {}, 'First');
    expect(problemWith(errorOf(() => cluster(stack, {}, 'Second')), 'clusterName')).toBe(
      'gives the VaultCluster names "vault-dev-primary", which test/First in this stack already has: their roles, keys, load balancers and Raft auto-join tag would be the same; give one of them another clusterName',
    );
    expect(() => cluster(stack, { clusterName: 'dr' }, 'Third')).not.toThrow();
  });

  it('reports every problem of a cluster together', () => {
    const error = errorOf(() => cluster(testStack(), { environment: 'Dev', nodeCount: 4, vpcId: 'vpc_1', licenseSecretArn: 'license' }));
    expect(error.problems.map((p) => p.prop)).toEqual(['environment', 'nodeCount', 'vpcId', 'licenseSecretArn']);
  });
});

describe('WeightedVaultEndpoint', () => {
  it.each([
    ['ttlSeconds', { ttlSeconds: 61 }, 'at most 60 seconds'],
    ['vaultAddress', { vaultAddress: 'https://192.0.2.10:8200' }, 'not by IP address'],
    ['clusters.primary.address', { clusters: { ...CLUSTERS, primary: { ...CLUSTERS.primary, address: 'https://vault-test.example.com:9200' } } }, 'names the high-level host'],
    ['clusters.dr.region', { clusters: { primary: { ...CLUSTERS.primary, region: 'eu-west-1' }, dr: { ...CLUSTERS.dr, region: 'eu-west-1' } } }, 'must be in another region'],
    ['clusters.primary.name', { clusters: { ...CLUSTERS, primary: { ...CLUSTERS.primary, name: '_use1' } } }, 'starting with a letter or digit'],
    ['hostedZoneId', { hostedZoneId: '/hostedzone/Z0TEST' }, 'without "/hostedzone/"'],
  ] as Array<[string, Partial<WeightedVaultEndpointProps>, string]>)('refuses %s', (prop, overrides, problem) => {
    expect(problemWith(errorOf(() => endpoint(testStack(), overrides)), prop)).toContain(problem);
  });

  it('accepts a TTL of a minute and clusters in two regions', () => {
    expect(() => endpoint(testStack(), { ttlSeconds: 60, clusters: { primary: { ...CLUSTERS.primary, region: 'eu-west-1' }, dr: { ...CLUSTERS.dr, region: 'eu-central-1' } } })).not.toThrow();
  });

  it('refuses a second endpoint for the same records in one stack', () => {
    const stack = testStack();
    endpoint(stack, {}, 'First');
    expect(problemWith(errorOf(() => endpoint(stack, {}, 'Second')), 'vaultAddress')).toContain('which test/First in this stack already has');
    expect(() => endpoint(stack, { vaultAddress: 'https://vault-other.example.com:8200' }, 'Third')).not.toThrow();
  });
});

describe('snapshots and audit', () => {
  const schedule = (scope: Construct, overrides: Partial<ConstructorParameters<typeof VaultSnapshotSchedule>[2]> = {}, id = 'Schedule') =>
    new VaultSnapshotSchedule(scope, id, { environment: 'dev', destinations: [destination], ...overrides });

  it('bounds the snapshot interval by a day', () => {
    expect(problemWith(errorOf(() => schedule(testStack(), { intervalSeconds: 86_401 })), 'intervalSeconds')).toContain('at most 86400 seconds');
    expect(() => schedule(testStack(), { intervalSeconds: 86_400 })).not.toThrow();
  });

  it('refuses a destination key given as an alias ARN, and a destination of an unknown region', () => {
    const error = errorOf(() => schedule(testStack(), { destinations: [{ ...destination, kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/snapshots', region: 'us-east-9' }] }));
    expect(problemWith(error, 'destinations[0].kmsKeyArn')).toContain('is an alias ARN');
    expect(problemWith(error, 'destinations[0].region')).toContain('no such region');
  });

  it('refuses two schedules writing one configuration into one Vault, not into two', () => {
    const stack = testStack();
    schedule(stack, {}, 'First');
    expect(problemWith(errorOf(() => schedule(stack, {}, 'Second')), 'destinations[0].name')).toContain('Vault snapshot configuration (Vault provider default) "dev-use1", which test/First');
    const other = new VaultProvider(stack, 'other', { address: 'https://vault-other.example.com:8200', alias: 'other' });
    expect(() => schedule(stack, { provider: other }, 'Third')).not.toThrow();
  });

  it('refuses two snapshot buckets of the same names in one stack', () => {
    const stack = testStack();
    new VaultSnapshotBucket(stack, 'First', { environment: 'dev', name: 'use1' });
    expect(problemWith(errorOf(() => new VaultSnapshotBucket(stack, 'Second', { environment: 'dev', name: 'use1' })), 'name')).toContain('which test/First in this stack already has');
    expect(() => new VaultSnapshotBucket(stack, 'Third', { environment: 'dev', name: 'usw2' })).not.toThrow();
  });

  it('refuses two audit devices at one path of one Vault', () => {
    const stack = testStack();
    new VaultAuditLog(stack, 'First');
    expect(problemWith(errorOf(() => new VaultAuditLog(stack, 'Second')), 'path')).toContain('Vault audit device (Vault provider default) "file", which test/First');
    expect(() => new VaultAuditLog(stack, 'Third', { path: 'file-2' })).not.toThrow();
  });
});

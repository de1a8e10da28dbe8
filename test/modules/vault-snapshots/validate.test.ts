import { VaultSnapshotBucket, VaultSnapshotSchedule } from '../../../modules/vault-snapshots';
import type { VaultSnapshotBucketProps, VaultSnapshotDestination, VaultSnapshotScheduleProps } from '../../../modules/vault-snapshots/types';
import { synth } from '../vault-cluster/synth';

const bucket = (overrides: Partial<VaultSnapshotBucketProps>) => () =>
  synth((scope) => new VaultSnapshotBucket(scope, 'B', { environment: 'dev', name: 'use1', ...overrides }));

const destination: VaultSnapshotDestination = {
  name: 'use1',
  bucketName: 'b',
  bucketArn: 'arn:aws:s3:::b',
  region: 'us-east-1',
  kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/a',
  pathPrefix: 'raft-snapshots/',
};
const schedule = (overrides: Partial<VaultSnapshotScheduleProps>) => () =>
  synth((scope) => new VaultSnapshotSchedule(scope, 'S', { environment: 'dev', destinations: [destination], ...overrides }));

describe('VaultSnapshotBucket validation', () => {
  it('refuses a name that is not lowercase letters, digits and hyphens', () => {
    expect(bucket({ name: 'US_East' })).toThrow('VaultSnapshotBucket prop "name": must be lowercase letters, digits and single hyphens, starting with a letter and not ending in a hyphen (got "US_East")');
  });

  it('refuses an environment that is not lowercase letters, digits and hyphens', () => {
    expect(bucket({ environment: 'Prod' })).toThrow('VaultSnapshotBucket prop "environment": must be lowercase letters');
  });

  it('refuses names that would not fit S3 bucket names', () => {
    expect(bucket({ environment: 'production', name: 'eu-central-1-dr' })).toThrow('VaultSnapshotBucket prop "name": "vault-production-eu-central-1-dr" (vault-<environment>-<name>) must fit 27 characters');
  });

  it.each(['Bad_Bucket', 'ab', 'a..b'])('refuses the bucket name %s', (bucketName) => {
    expect(bucket({ bucketName })).toThrow(`VaultSnapshotBucket prop "bucketName": "${bucketName}" is not a valid S3 bucket name`);
  });

  it('refuses an invalid access log bucket name', () => {
    expect(bucket({ accessLogBucketName: 'Logs!' })).toThrow('VaultSnapshotBucket prop "accessLogBucketName": "Logs!" is not a valid S3 bucket name');
  });

  it.each(['raft', '/raft/', '/'])('refuses the path prefix %s', (pathPrefix) => {
    expect(bucket({ pathPrefix })).toThrow(`VaultSnapshotBucket prop "pathPrefix": must be a key prefix like "raft-snapshots/"`);
  });

  it.each([
    ['lifecycle.transitionToGlacierDays', { transitionToGlacierDays: 0 }],
    ['lifecycle.noncurrentTransitionToGlacierDays', { noncurrentTransitionToGlacierDays: 2.5 }],
    ['lifecycle.noncurrentExpirationDays', { noncurrentExpirationDays: -1 }],
    ['lifecycle.currentExpirationDays', { currentExpirationDays: 0 }],
  ])('refuses %s below one day', (prop, lifecycle) => {
    expect(bucket({ lifecycle })).toThrow(`VaultSnapshotBucket prop "${prop}": must be a whole number of at least 1`);
  });

  it('refuses deleted versions expiring before they reach Glacier', () => {
    expect(bucket({ lifecycle: { noncurrentTransitionToGlacierDays: 30, noncurrentExpirationDays: 30 } })).toThrow(
      'VaultSnapshotBucket prop "lifecycle.noncurrentExpirationDays": (30) must be greater than the Glacier transition (30 days); raise it or lower the transition',
    );
  });

  it('refuses current snapshots expiring before they reach Glacier', () => {
    expect(bucket({ lifecycle: { currentExpirationDays: 10 } })).toThrow(
      'VaultSnapshotBucket prop "lifecycle.currentExpirationDays": (10) must be greater than the Glacier transition (30 days)',
    );
  });

  it('refuses an access log retention below one day', () => {
    expect(bucket({ accessLogRetentionDays: 0 })).toThrow('VaultSnapshotBucket prop "accessLogRetentionDays": must be a whole number of at least 1 (got 0)');
  });
});

describe('VaultSnapshotSchedule validation', () => {
  it('refuses an empty destination list', () => {
    expect(schedule({ destinations: [] })).toThrow('VaultSnapshotSchedule prop "destinations": must name at least one snapshot bucket');
  });

  it('refuses two destinations with one name', () => {
    expect(schedule({ destinations: [destination, { ...destination }] })).toThrow('VaultSnapshotSchedule prop "destinations[1].name": "use1" is used twice');
  });

  it('refuses a destination name that cannot name a configuration', () => {
    expect(schedule({ destinations: [{ ...destination, name: 'Use 1' }] })).toThrow('VaultSnapshotSchedule prop "destinations[0].name": must be lowercase letters');
  });

  it('refuses an interval under a minute', () => {
    expect(schedule({ intervalSeconds: 30 })).toThrow('VaultSnapshotSchedule prop "intervalSeconds": must be a whole number of seconds, at least 60 (got 30)');
  });

  it('refuses keeping no snapshot', () => {
    expect(schedule({ retain: 0 })).toThrow('VaultSnapshotSchedule prop "retain": must be a whole number of snapshots, at least 1 (got 0)');
  });

  it('refuses an environment that is not lowercase letters, digits and hyphens', () => {
    expect(schedule({ environment: 'DEV' })).toThrow('VaultSnapshotSchedule prop "environment": must be lowercase letters');
  });
});

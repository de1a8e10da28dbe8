import { VaultProvider } from '../../../modules/internal/vault';
import { VaultSnapshotSchedule, snapshotAgentConfigs } from '../../../modules/vault-snapshots';
import type { VaultSnapshotDestination } from '../../../modules/vault-snapshots/types';
import { resources, synth } from '../vault-cluster/synth';

const destinations: VaultSnapshotDestination[] = [
  { name: 'use1', bucketName: 'vault-dev-use1-snapshots', bucketArn: 'arn:aws:s3:::vault-dev-use1-snapshots', region: 'us-east-1', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/a', pathPrefix: 'raft-snapshots/' },
  { name: 'usw2', bucketName: 'vault-dev-usw2-snapshots', bucketArn: 'arn:aws:s3:::vault-dev-usw2-snapshots', region: 'us-west-2', kmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/b', pathPrefix: 'raft-snapshots/' },
];

describe('snapshotAgentConfigs', () => {
  it('writes one configuration per destination: hourly, a week kept, S3 with SSE-KMS, no credentials', () => {
    expect(snapshotAgentConfigs({ environment: 'dev', destinations })).toEqual([
      {
        name: 'dev-use1',
        storageType: 'aws-s3',
        intervalSeconds: 3600,
        retain: 168,
        pathPrefix: 'raft-snapshots/',
        filePrefix: 'vault-dev',
        awsS3Bucket: 'vault-dev-use1-snapshots',
        awsS3Region: 'us-east-1',
        awsS3EnableKms: true,
        awsS3KmsKey: 'arn:aws:kms:us-east-1:111122223333:key/a',
      },
      expect.objectContaining({ name: 'dev-usw2', awsS3Bucket: 'vault-dev-usw2-snapshots', awsS3Region: 'us-west-2', awsS3KmsKey: 'arn:aws:kms:us-west-2:111122223333:key/b' }),
    ]);
  });

  it('takes the interval, retention and file prefix from props', () => {
    const [config] = snapshotAgentConfigs({ environment: 'dev', destinations, intervalSeconds: 900, retain: 96, filePrefix: 'acme' });
    expect(config).toEqual(expect.objectContaining({ intervalSeconds: 900, retain: 96, filePrefix: 'acme' }));
  });
});

describe('VaultSnapshotSchedule', () => {
  const { doc } = synth((scope) => {
    const vault = new VaultProvider(scope, 'vault', { address: 'https://vault-dev-primary.example.com:8200' });
    new VaultSnapshotSchedule(scope, 'Snapshots', { environment: 'dev', destinations, provider: vault });
  });
  const configs = resources(doc, 'vault_raft_snapshot_agent_config');

  it('writes a vault_raft_snapshot_agent_config per destination through the given provider', () => {
    expect(configs.map(([, c]) => c)).toEqual([
      {
        provider: 'vault',
        name: 'dev-use1',
        storage_type: 'aws-s3',
        interval_seconds: 3600,
        retain: 168,
        path_prefix: 'raft-snapshots/',
        file_prefix: 'vault-dev',
        aws_s3_bucket: 'vault-dev-use1-snapshots',
        aws_s3_region: 'us-east-1',
        aws_s3_enable_kms: true,
        aws_s3_kms_key: 'arn:aws:kms:us-east-1:111122223333:key/a',
      },
      expect.objectContaining({ name: 'dev-usw2', aws_s3_bucket: 'vault-dev-usw2-snapshots', aws_s3_region: 'us-west-2' }),
    ]);
  });

  it('passes no AWS credentials: the active node uses its instance role', () => {
    for (const [, config] of configs) {
      expect(Object.keys(config).filter((k) => /access_key|secret|session_token/.test(k))).toEqual([]);
    }
  });

  it('keys each configuration by its destination name', () => {
    expect(configs.map(([id]) => id)).toEqual([expect.stringContaining('Snapshots_use1'), expect.stringContaining('Snapshots_usw2')]);
  });
});

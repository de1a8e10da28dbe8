import { AwsProvider } from '../../../modules/internal/aws';
import { VaultProvider } from '../../../modules/internal/vault';
import { VaultCluster, VaultRaftAutopilot } from '../../../modules/vault-cluster';
import { VaultSnapshotBucket, VaultSnapshotSchedule } from '../../../modules/vault-snapshots';
import { clusterProps } from './fixtures';
import { policy, resources, statement, synth } from './synth';

const secret = (region: string, name: string) => `arn:aws:secretsmanager:${region}:111122223333:secret:vault-dev/${name}-AbCdEf`;

/** What an environment's stack composes: a cluster and a snapshot bucket per region, one schedule. */
describe('a primary and a DR cluster in two regions', () => {
  const built: { primary?: VaultCluster; dr?: VaultCluster } = {};
  const { doc } = synth((scope) => {
    const use1 = new AwsProvider(scope, 'use1', { region: 'us-east-1', alias: 'use1' });
    const usw2 = new AwsProvider(scope, 'usw2', { region: 'us-west-2', alias: 'usw2' });
    const vault = new VaultProvider(scope, 'vault', { address: 'https://vault-dev.example.com:8200' });
    const destinations = [
      new VaultSnapshotBucket(scope, 'SnapshotsUse1', { environment: 'dev', name: 'use1', provider: use1 }).destination,
      new VaultSnapshotBucket(scope, 'SnapshotsUsw2', { environment: 'dev', name: 'usw2', provider: usw2 }).destination,
    ];
    built.primary = new VaultCluster(scope, 'Use1', clusterProps({ clusterName: 'use1', peerClusterCidrs: ['10.1.0.0/16'], snapshotDestinations: destinations, provider: use1 }));
    built.dr = new VaultCluster(scope, 'Usw2', {
      ...clusterProps({ clusterName: 'usw2', peerClusterCidrs: ['10.0.0.0/16'], snapshotDestinations: destinations, provider: usw2 }),
      vpcId: 'vpc-0fedcba9876543210',
      subnets: ['a', 'b', 'c'].map((zone) => ({ subnetId: `subnet-w${zone}`, availabilityZone: `us-west-2${zone}` })),
      tls: { certificateSecretArn: secret('us-west-2', 'cert'), privateKeySecretArn: secret('us-west-2', 'key'), caBundleSecretArn: secret('us-west-2', 'ca') },
      licenseSecretArn: secret('us-west-2', 'license'),
      allowedClientCidrs: ['10.1.0.0/16'],
    });
    new VaultSnapshotSchedule(scope, 'Snapshots', { environment: 'dev', destinations, provider: vault });
    new VaultRaftAutopilot(scope, 'Autopilot', { nodeCount: 5, provider: vault });
  });
  const all = (type: string) => resources(doc, type).map(([, body]) => body);

  it('gives each cluster its own name, address and endpoint', () => {
    expect(built.primary?.endpoint).toEqual({
      name: 'vault-dev-use1',
      address: 'https://vault-dev-use1.example.com:8200',
      clusterAddress: 'https://vault-dev-use1.example.com:8201',
      // The provider's region, so DrAutomation and WeightedVaultEndpoint can refuse a pair in one region.
      region: 'us-east-1',
    });
    expect(built.dr?.endpoint).toEqual({
      name: 'vault-dev-usw2',
      address: 'https://vault-dev-usw2.example.com:8200',
      clusterAddress: 'https://vault-dev-usw2.example.com:8201',
      region: 'us-west-2',
    });
    expect(built.dr?.clusterAddress).toBe('https://vault-dev-usw2.example.com:8201');
  });

  it('creates each region with its own provider', () => {
    const groups = all('aws_autoscaling_group');
    expect(groups.map((g) => [g.name, g.provider])).toEqual([
      ['vault-dev-use1', 'aws.use1'],
      ['vault-dev-usw2', 'aws.usw2'],
    ]);
  });

  it('keeps account-wide names apart (IAM roles, profiles)', () => {
    expect(all('aws_iam_role').map((r) => r.name).sort()).toEqual(['vault-dev-use1-node', 'vault-dev-usw2-node']);
    expect(all('aws_iam_instance_profile').map((r) => r.name).sort()).toEqual(['vault-dev-use1-node', 'vault-dev-usw2-node']);
  });

  it('tags each cluster differently, so auto_join never mixes them', () => {
    const tags = all('aws_autoscaling_group').map((g) => g.tag.find((t: { key: string }) => t.key === 'VaultCluster').value);
    expect(tags).toEqual(['vault-dev-use1', 'vault-dev-usw2']);
  });

  it('lets both clusters write both regions\' snapshot buckets', () => {
    for (const body of all('aws_iam_role_policy')) {
      expect(statement(policy(body), 'SnapshotBuckets').Resource).toHaveLength(2);
    }
  });

  it('writes one snapshot configuration per region and autopilot once, through the Vault provider', () => {
    expect(all('vault_raft_snapshot_agent_config').map((c) => c.name)).toEqual(['dev-use1', 'dev-usw2']);
    expect(all('vault_raft_autopilot')).toHaveLength(1);
  });
});

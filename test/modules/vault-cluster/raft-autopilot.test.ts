import { VaultProvider } from '../../../modules/internal/vault';
import { VaultRaftAutopilot } from '../../../modules/vault-cluster';
import { single, synth } from './synth';

describe('VaultRaftAutopilot', () => {
  it('cleans up dead servers after 10 minutes, never below the node count', () => {
    const { doc } = synth((scope) => {
      const provider = new VaultProvider(scope, 'vault', { address: 'https://vault-dev-primary.example.com:8200' });
      new VaultRaftAutopilot(scope, 'Autopilot', { nodeCount: 5, provider });
    });
    expect(single(doc, 'vault_raft_autopilot').body).toEqual({
      provider: 'vault',
      cleanup_dead_servers: true,
      dead_server_last_contact_threshold: '10m',
      min_quorum: 5,
    });
  });

  it('takes another threshold', () => {
    const { doc } = synth((scope) => new VaultRaftAutopilot(scope, 'Autopilot', { nodeCount: 3, deadServerLastContactThreshold: '30m' }));
    expect(single(doc, 'vault_raft_autopilot').body).toEqual(expect.objectContaining({ dead_server_last_contact_threshold: '30m', min_quorum: 3 }));
  });

  it('refuses a node count other than 3 or 5', () => {
    expect(() => synth((scope) => new VaultRaftAutopilot(scope, 'A', { nodeCount: 4 }))).toThrow(
      'VaultRaftAutopilot prop "nodeCount": must be the cluster\'s node count, 3 or 5 (got 4)',
    );
  });

  it('refuses a threshold that is not a duration', () => {
    expect(() => synth((scope) => new VaultRaftAutopilot(scope, 'A', { nodeCount: 5, deadServerLastContactThreshold: 'ten minutes' }))).toThrow(
      'VaultRaftAutopilot prop "deadServerLastContactThreshold": must be a duration such as "10m" (got "ten minutes")',
    );
  });
});

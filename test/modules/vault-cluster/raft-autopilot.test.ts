import { VaultProvider } from '../../../modules/internal/vault';
import { VaultRaftAutopilot } from '../../../modules/vault-cluster';
import { durationSeconds, goDurationString } from '../../../modules/vault-cluster/raft-autopilot';
import { single, synth } from './synth';

const autopilot = (props: ConstructorParameters<typeof VaultRaftAutopilot>[2]) => single(synth((scope) => new VaultRaftAutopilot(scope, 'Autopilot', props)).doc, 'vault_raft_autopilot').body;
const refused = (props: ConstructorParameters<typeof VaultRaftAutopilot>[2]) => () => synth((scope) => new VaultRaftAutopilot(scope, 'A', props));

describe('VaultRaftAutopilot', () => {
  it('cleans up dead servers after a day, never below 3 voters for 5 nodes, in the form Vault reads back', () => {
    const { doc } = synth((scope) => {
      const provider = new VaultProvider(scope, 'vault', { address: 'https://vault-dev-primary.example.com:8200' });
      new VaultRaftAutopilot(scope, 'Autopilot', { nodeCount: 5, provider });
    });
    expect(single(doc, 'vault_raft_autopilot').body).toEqual({
      provider: 'vault',
      cleanup_dead_servers: true,
      dead_server_last_contact_threshold: '24h0m0s',
      min_quorum: 3,
    });
  });

  it('keeps min_quorum at 3 for 3 nodes: Vault refuses less with dead-server cleanup', () => {
    expect(autopilot({ nodeCount: 3 })).toEqual(expect.objectContaining({ min_quorum: 3 }));
  });

  it('takes another threshold and min_quorum, written as Go durations', () => {
    expect(autopilot({ nodeCount: 5, deadServerLastContactThreshold: '90m', minQuorum: 5 })).toEqual(
      expect.objectContaining({ dead_server_last_contact_threshold: '1h30m0s', min_quorum: 5 }),
    );
    expect(autopilot({ nodeCount: 5, deadServerLastContactThreshold: '24h0m0s' })).toEqual(expect.objectContaining({ dead_server_last_contact_threshold: '24h0m0s' }));
  });

  it('refuses a node count other than 3 or 5', () => {
    expect(refused({ nodeCount: 4 })).toThrow('VaultRaftAutopilot prop "nodeCount": must be the cluster\'s node count, 3 or 5 (got 4)');
  });

  it.each(['ten minutes', '10', '1d', ''])('refuses the threshold "%s", which is not a duration', (threshold) => {
    expect(refused({ nodeCount: 5, deadServerLastContactThreshold: threshold })).toThrow(
      `VaultRaftAutopilot prop "deadServerLastContactThreshold": must be a duration such as "24h" or "90m" (got "${threshold}")`,
    );
  });

  it('refuses a threshold under a minute, as Vault does', () => {
    expect(refused({ nodeCount: 5, deadServerLastContactThreshold: '59s' })).toThrow(
      'VaultRaftAutopilot prop "deadServerLastContactThreshold": must be at least 1m, Vault refuses less (got "59s"); HashiCorp recommends about a day',
    );
    expect(refused({ nodeCount: 5, deadServerLastContactThreshold: '1m' })).not.toThrow();
  });

  it.each([2, 6, 3.5])('refuses min_quorum %s for 5 nodes', (minQuorum) => {
    expect(refused({ nodeCount: 5, minQuorum })).toThrow(`VaultRaftAutopilot prop "minQuorum": must be a whole number from 3 (Vault's minimum with dead-server cleanup) to nodeCount 5 (got ${minQuorum})`);
  });
});

describe('Go durations', () => {
  it.each([
    [86400, '24h0m0s'],
    [5400, '1h30m0s'],
    [600, '10m0s'],
    [61, '1m1s'],
    [45, '45s'],
  ])('%s s is written %s', (seconds, text) => {
    expect(goDurationString(seconds)).toBe(text);
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each(['', '1d', 'h', '10 m', '-5m'])('"%s" is not a duration', (text) => {
    expect(durationSeconds(text)).toBeUndefined();
  });
});

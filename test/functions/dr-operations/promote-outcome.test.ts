/** What a failed promote call means, and when the target is certainly not promoted. */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { classifyPromoteFailure, targetStateAfterPromote } from '../../../functions/dr-operations/promote-outcome';
import { VaultApiError } from '../../../functions/shared/vault-api';
import { VaultUnreachableError } from '../../../functions/shared/vault-http';

const api = (status: number, ...errors: string[]) => new VaultApiError('https://west:8200', 'sys/replication/dr/secondary/promote', status, errors);

describe('classifyPromoteFailure', () => {
  it.each([
    ['an answer lost after sending', new VaultUnreachableError('w', 'no answer within 2500 ms', true), 'ambiguous'],
    ['a connection never made', new VaultUnreachableError('w', 'ECONNREFUSED', false), 'not-sent'],
    ['promotion already in progress', api(400, 'replication promotion already in progress'), 'ambiguous'],
    ['not a DR secondary (promoted meanwhile)', api(400, 'this cluster is not a DR secondary'), 'ambiguous'],
    ['mid-transition 503', api(503, 'local node not active but active cluster node not found'), 'ambiguous'],
    ['a 500', api(500, 'internal error'), 'ambiguous'],
    ['permission denied', api(403, 'permission denied'), 'refused'],
    ['data out of sync', api(400, 'cannot promote a DR secondary in state "merkle-diff"'), 'refused'],
    ['an unexpected throw', new TypeError('boom'), 'ambiguous'],
  ])('%s is %s', (_what, err, kind) => {
    expect(classifyPromoteFailure(err)).toBe(kind);
  });
});

describe('targetStateAfterPromote', () => {
  const v = (role: ClusterView['role']): ClusterView => ({ name: 'west', address: 'https://west:8200', role, reachable: role !== 'unreachable' });
  it('is primary or promoting from the latest answer', () => {
    expect(targetStateAfterPromote([v('dr-secondary'), v('primary')], 2)).toBe('primary');
    expect(targetStateAfterPromote([v('unreachable'), v('no-leader')], 2)).toBe('promoting');
  });
  it('is certainly a secondary only after enough consecutive DR-secondary answers', () => {
    expect(targetStateAfterPromote([v('dr-secondary')], 2)).toBe('unknown');
    expect(targetStateAfterPromote([v('dr-secondary'), v('dr-secondary')], 2)).toBe('secondary');
    expect(targetStateAfterPromote([v('dr-secondary'), v('unreachable'), v('dr-secondary')], 2)).toBe('unknown');
  });
  it('is unknown without an answer that says', () => {
    expect(targetStateAfterPromote([], 2)).toBe('unknown');
    expect(targetStateAfterPromote([v('unreachable'), v('error'), v('sealed')], 2)).toBe('unknown');
  });
});

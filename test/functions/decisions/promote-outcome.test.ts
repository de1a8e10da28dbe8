/**
 * After a promote call that did not plainly succeed: was it applied? The rule an operator relies on
 * (README, "dr-operations"): a promote that may have been applied is never followed by promoting
 * the old primary back; only a definite refusal, or a request that never left, is "not applied";
 * and the target is "certainly still a DR secondary" only after consecutive DR-secondary answers.
 */
import { classifyPromoteFailure, targetStateAfterPromote } from '../../../functions/dr-operations/promote-outcome';
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { VaultApiError } from '../../../functions/shared/vault-api';
import { VaultUnreachableError } from '../../../functions/shared/vault-http';
import { noLeader, primary, secondary, sealed, unreachable } from './clusters';

const answered = (status: number, ...errors: string[]) => new VaultApiError('https://west.example.com:8200', 'sys/replication/dr/secondary/promote', status, errors);

describe('classifyPromoteFailure', () => {
  it('a request that never left (connection refused, connect timeout) was not applied', () => {
    expect(classifyPromoteFailure(new VaultUnreachableError('w', 'ECONNREFUSED', false))).toBe('not-sent');
  });

  it('a request sent whose answer was lost may have been applied', () => {
    expect(classifyPromoteFailure(new VaultUnreachableError('w', 'no answer within 2500 ms', true))).toBe('ambiguous');
  });

  it.each([500, 502, 503, 504])('a %i may come from a cluster that is changing: ambiguous', (status) => {
    expect(classifyPromoteFailure(answered(status, 'local node not active but active cluster node not found'))).toBe('ambiguous');
  });

  it.each([
    'replication promotion already in progress',
    'this cluster is not a DR secondary',
    'local node not active',
    'node is in standby mode',
    'Node Is In STANDBY Mode',
  ])('a 400 saying "%s" means the cluster is changing or changed: ambiguous', (message) => {
    expect(classifyPromoteFailure(answered(400, message))).toBe('ambiguous');
  });

  it('one such message among others is enough', () => {
    expect(classifyPromoteFailure(answered(400, 'request failed', 'replication promotion already in progress'))).toBe('ambiguous');
  });

  it.each([
    [403, ['permission denied']],
    [400, ['cannot promote a DR secondary in state "merkle-diff"']],
    [400, ['missing dr_operation_token']],
    [400, []],
    [404, ['unsupported path']],
    [499, ['client closed request']],
  ] as const)('a %i %j is Vault refusing this request: not applied', (status, errors) => {
    expect(classifyPromoteFailure(answered(status, ...errors))).toBe('refused');
  });

  it('only a 400 can say the cluster is changing: another 4xx is a refusal whatever its text', () => {
    expect(classifyPromoteFailure(answered(403, 'permission denied: the token is not active'))).toBe('refused');
    expect(classifyPromoteFailure(answered(429, 'node is in standby mode'))).toBe('refused');
  });

  it('anything else thrown may have happened after the request was applied: ambiguous', () => {
    expect(classifyPromoteFailure(new TypeError('Cannot read properties of undefined'))).toBe('ambiguous');
    expect(classifyPromoteFailure('boom')).toBe('ambiguous');
  });
});

describe('targetStateAfterPromote', () => {
  const w = (view: (name: string) => ClusterView) => view('west');

  it('is unknown before any answer', () => {
    expect(targetStateAfterPromote([], 2)).toBe('unknown');
  });

  it('is primary when the latest answer is an active primary, whatever came before', () => {
    expect(targetStateAfterPromote([w(secondary), w(secondary), w(primary)], 2)).toBe('primary');
    expect(targetStateAfterPromote([w(primary)], 2)).toBe('primary');
  });

  it('is promoting when the latest answer has no active node', () => {
    expect(targetStateAfterPromote([w(secondary), w(secondary), w(noLeader)], 2)).toBe('promoting');
  });

  it('is certainly a secondary only after the required consecutive DR-secondary answers, the latest included', () => {
    expect(targetStateAfterPromote([w(secondary)], 2)).toBe('unknown');
    expect(targetStateAfterPromote([w(secondary), w(secondary)], 2)).toBe('secondary');
    expect(targetStateAfterPromote([w(unreachable), w(secondary), w(secondary)], 2)).toBe('secondary');
    expect(targetStateAfterPromote([w(secondary), w(unreachable), w(secondary)], 2)).toBe('unknown');
    expect(targetStateAfterPromote([w(secondary), w(secondary), w(secondary)], 3)).toBe('secondary');
    expect(targetStateAfterPromote([w(secondary)], 1)).toBe('secondary');
  });

  it('is unknown while the latest answers say nothing certain', () => {
    expect(targetStateAfterPromote([w(secondary), w(secondary), w(unreachable)], 2)).toBe('unknown');
    expect(targetStateAfterPromote([w(unreachable), w(sealed)], 2)).toBe('unknown');
  });
});

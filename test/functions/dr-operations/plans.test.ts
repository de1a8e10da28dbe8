/**
 * The decisions behind failover, switchover and link, from synthetic cluster answers. The same
 * rules are exercised end to end against the simulator in the other files; these cover every
 * branch cheaply.
 */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { InputError, RefusedError } from '../../../functions/shared/errors';
import { parseOperationEvent } from '../../../functions/dr-operations/event';
import { chooseBetweenSecondaries, planFailover, type FailoverRequest } from '../../../functions/dr-operations/failover';
import { planLink } from '../../../functions/dr-operations/link';
import { planSwitchover } from '../../../functions/dr-operations/switchover';
// The cluster views every decision test shares (what classify makes of real answers).
import { demoted, erroring, noLeader, primary, sealed, secondary, standalone, unreachable } from '../decisions/clusters';

const plain: FailoverRequest = { force: false, target: undefined };
const forced: FailoverRequest = { force: true, target: undefined };
const choose = (target: string, force = false): FailoverRequest => ({ force, target });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RefusedError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('planFailover', () => {
  it('promotes the healthy DR secondary of a dead primary and leaves the dead one alone', () => {
    const plan = planFailover([unreachable('east'), secondary('west', { connectedToPrimary: false })], plain);
    expect(plan).toMatchObject({ kind: 'promote', target: { name: 'west' }, demoteFirst: false, demoteAfter: false, forcePromote: false, confirmOldDown: true, askTargetView: true });
  });

  it('skips the confirmation that the primary is down only when forced', () => {
    expect(planFailover([unreachable('east'), secondary('west')], forced)).toMatchObject({ kind: 'promote', confirmOldDown: false, askTargetView: false });
    expect(planFailover([sealed('east'), secondary('west')], plain)).toMatchObject({ kind: 'promote', confirmOldDown: true });
    expect(planFailover([erroring('east'), secondary('west')], plain)).toMatchObject({ kind: 'promote', confirmOldDown: true });
  });

  it('tries to demote an old primary that answers without being a primary, after the promotion', () => {
    expect(planFailover([erroring('east'), secondary('west')], plain)).toMatchObject({ kind: 'promote', demoteAfter: true });
    expect(planFailover([sealed('east'), secondary('west')], plain)).toMatchObject({ kind: 'promote', demoteAfter: false });
    expect(planFailover([unreachable('east'), secondary('west')], plain)).toMatchObject({ kind: 'promote', demoteAfter: false });
  });

  it('infers roles from the answers, not from the order or the names', () => {
    const plan = planFailover([secondary('primary'), unreachable('secondary')], plain);
    expect(plan).toMatchObject({ kind: 'promote', target: { name: 'primary' } });
  });

  it('is a no-op when the only primary has no healthy DR secondary to fail over to', () => {
    expect(planFailover([unreachable('east'), primary('west')], plain)).toMatchObject({ kind: 'no-op' });
    expect(planFailover([demoted('east'), primary('west')], plain)).toMatchObject({ kind: 'no-op' });
  });

  it('refuses to fail over from a healthy primary unless forced, and then demotes it first', () => {
    expect(refusal(() => planFailover([primary('east'), secondary('west')], plain))).toMatch(/healthy active primary.*switchover/);
    expect(planFailover([primary('east'), secondary('west')], forced)).toMatchObject({ kind: 'promote', target: { name: 'west' }, demoteFirst: true });
  });

  it('refuses a split brain, even with force', () => {
    expect(refusal(() => planFailover([primary('east'), primary('west')], forced))).toMatch(/split brain/);
  });

  it('refuses when neither cluster answers', () => {
    expect(refusal(() => planFailover([unreachable('east'), unreachable('west')], forced))).toMatch(/neither cluster answers/);
  });

  it('refuses an unhealthy DR secondary unless forced, and then uses Vault\'s force', () => {
    const syncing = secondary('west', { drState: 'merkle-sync' });
    expect(refusal(() => planFailover([unreachable('east'), syncing], plain))).toMatch(/not a healthy DR secondary.*force: true/);
    expect(planFailover([unreachable('east'), syncing], forced)).toMatchObject({ kind: 'promote', forcePromote: true });
  });

  it('refuses when the other cluster is active without replication', () => {
    expect(refusal(() => planFailover([standalone('east'), secondary('west')], forced))).toMatch(/two active clusters/);
  });

  it('when both are DR secondaries, promotes the demoted one: it was the primary of the other', () => {
    expect(planFailover([demoted('east'), secondary('west', { connectedToPrimary: false })], plain)).toMatchObject({
      kind: 'promote',
      target: { name: 'east' },
      old: { name: 'west' },
      confirmOldDown: true,
      askTargetView: false,
      forcePromote: false,
      choice: expect.stringMatching(/^east was demoted and west still replicates from a primary/),
    });
    expect(planFailover([secondary('east', { connectedToPrimary: false }), demoted('west')], plain)).toMatchObject({ kind: 'promote', target: { name: 'west' } });
  });

  it('when both are DR secondaries of a primary, promotes the one with the higher WAL index', () => {
    const behind = secondary('east', { connectedToPrimary: false, lastRemoteWal: 90 });
    const ahead = secondary('west', { connectedToPrimary: false, lastRemoteWal: 120 });
    expect(planFailover([behind, ahead], plain)).toMatchObject({ kind: 'promote', target: { name: 'west' }, choice: 'west received WAL 120, east only 90' });
    expect(planFailover([ahead, behind], plain)).toMatchObject({ kind: 'promote', target: { name: 'west' } });
  });

  it('when the replication status cannot tell, refuses and names failover with a target to choose', () => {
    for (const pair of [
      [demoted('east'), demoted('west')],
      [secondary('east', { lastRemoteWal: 100 }), secondary('west', { lastRemoteWal: 100 })],
      [secondary('east'), secondary('west', { lastRemoteWal: 100 })],
    ] as [ClusterView, ClusterView][]) {
      try {
        planFailover(pair, plain);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(RefusedError);
        expect((err as RefusedError).details?.next).toEqual({
          function: 'dr-operations',
          event: { operation: 'failover', target: '<cluster>' },
          why: expect.any(String),
          choose: { field: 'target', from: ['east', 'west'] },
        });
      }
    }
  });

  it('promotes the cluster the operator chose with target, and only a DR secondary', () => {
    expect(planFailover([demoted('east'), demoted('west')], choose('west'))).toMatchObject({ kind: 'promote', target: { name: 'west' }, old: { name: 'east' }, choice: 'west was chosen by the operator (target)' });
    expect(refusal(() => planFailover([unreachable('east'), secondary('west')], choose('east')))).toMatch(/east is not a DR secondary/);
    expect(() => planFailover([demoted('east'), demoted('west')], choose('north'))).toThrow(/^target: must name one of the clusters/);
    expect(planFailover([primary('east'), secondary('west')], choose('east'))).toMatchObject({ kind: 'no-op' });
  });

  it('asks for force before promoting a DR secondary that is out of sync, then uses Vault\'s force', () => {
    const syncing = secondary('west', { drState: 'merkle-diff', lastRemoteWal: 200 });
    expect(refusal(() => planFailover([demoted('east'), syncing], choose('west')))).toMatch(/west is not in sync/);
    expect(planFailover([demoted('east'), syncing], choose('west', true))).toMatchObject({ kind: 'promote', forcePromote: true, confirmOldDown: false });
  });

  it('waits for a cluster without an active node to settle before deciding, once', () => {
    expect(planFailover([noLeader('east'), unreachable('west')], plain)).toMatchObject({ kind: 'wait', cluster: { name: 'east' } });
    expect(planFailover([unreachable('east'), noLeader('west')], plain, false)).toMatchObject({ kind: 'wait', cluster: { name: 'west' } });
    expect(refusal(() => planFailover([noLeader('east'), unreachable('west')], plain, true))).toMatch(/none is a DR secondary/);
    // A no-leader old primary with a healthy secondary: settle first, then promote and demote it after.
    expect(planFailover([noLeader('east'), secondary('west')], plain)).toMatchObject({ kind: 'wait' });
    expect(planFailover([noLeader('east'), secondary('west')], plain, true)).toMatchObject({ kind: 'promote', demoteAfter: true });
  });

  it('names the next command of each refusal', () => {
    const nextOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as RefusedError).details?.next;
      }
      throw new Error('accepted');
    };
    expect(nextOf(() => planFailover([primary('east'), primary('west')], plain))).toEqual(
      expect.objectContaining({ event: { operation: 'link', demote: '<cluster>' }, choose: { field: 'demote', from: ['east', 'west'] } }),
    );
    expect(nextOf(() => planFailover([unreachable('east'), secondary('west', { drState: 'merkle-sync' })], plain))).toEqual(
      expect.objectContaining({ event: { operation: 'failover', force: true } }),
    );
    expect(nextOf(() => planFailover([unreachable('east'), unreachable('west')], plain))).toEqual(expect.objectContaining({ event: { operation: 'failover' } }));
    // Nothing to fail over from: the name is made to follow the primary (it may not, after a run whose DNS switch failed).
    expect(nextOf(() => planFailover([primary('east'), secondary('west')], plain))).toEqual(expect.objectContaining({ function: 'dns-switch', event: {} }));
  });
});

describe('chooseBetweenSecondaries', () => {
  it('is undefined when neither status tells', () => {
    expect(chooseBetweenSecondaries(demoted('east'), demoted('west'))).toBeUndefined();
    expect(chooseBetweenSecondaries(secondary('east', { lastRemoteWal: 7 }), secondary('west', { lastRemoteWal: 7 }))).toBeUndefined();
    expect(chooseBetweenSecondaries(secondary('east', { lastRemoteWal: 7 }), secondary('west'))).toBeUndefined();
  });

  it('never prefers a secondary over the demoted primary it replicated from, whatever its WAL index', () => {
    expect(chooseBetweenSecondaries(secondary('east', { lastRemoteWal: 10_000 }), demoted('west'))?.chosen.name).toBe('west');
  });
});

describe('planSwitchover', () => {
  it('swaps a healthy, connected pair', () => {
    expect(planSwitchover([secondary('east'), primary('west')], false)).toMatchObject({ primary: { name: 'west' }, secondary: { name: 'east' } });
  });

  it('refuses a disconnected secondary unless forced, and anything without one primary', () => {
    expect(refusal(() => planSwitchover([primary('east'), secondary('west', { connectedToPrimary: false })], false))).toMatch(/not connected/);
    expect(planSwitchover([primary('east'), secondary('west', { connectedToPrimary: false })], true)).toMatchObject({ secondary: { name: 'west' } });
    expect(refusal(() => planSwitchover([unreachable('east'), secondary('west')], true))).toMatch(/use failover/);
    expect(refusal(() => planSwitchover([primary('east'), primary('west')], true))).toMatch(/split brain/);
    expect(refusal(() => planSwitchover([primary('east'), demoted('west')], true))).toMatch(/not a healthy DR secondary/);
  });
});

describe('planLink', () => {
  it('re-attaches a demoted cluster and is a no-op for a streaming one', () => {
    expect(planLink([primary('east'), demoted('west')], undefined, false)).toMatchObject({ kind: 'link', primary: { name: 'east' }, secondary: { name: 'west' }, demoteFirst: false });
    expect(planLink([primary('east'), secondary('west')], undefined, false)).toMatchObject({ kind: 'no-op' });
  });

  it('in a split brain, demotes only the cluster the operator names', () => {
    expect(refusal(() => planLink([primary('east'), primary('west')], undefined, false))).toMatch(/split brain.*demote/);
    expect(planLink([primary('east'), primary('west')], 'east', false)).toMatchObject({ kind: 'link', primary: { name: 'west' }, secondary: { name: 'east' }, demoteFirst: true });
  });

  it('names the demote field when it is wrong', () => {
    expect(() => planLink([primary('east'), primary('west')], 'north', false)).toThrow(InputError);
    expect(() => planLink([primary('east'), demoted('west')], 'east', false)).toThrow(/demote: names east, the only active primary/);
  });

  it('refuses a cluster that does not answer as a DR secondary', () => {
    expect(refusal(() => planLink([primary('east'), unreachable('west')], undefined, false))).toMatch(/link it when it returns/);
    expect(refusal(() => planLink([primary('east'), standalone('west')], undefined, false))).toMatch(/by hand/);
    expect(refusal(() => planLink([primary('east'), secondary('west', { connectedToPrimary: false })], undefined, false))).toMatch(/8201/);
  });
});

describe('parseOperationEvent', () => {
  it('accepts the documented fields with their defaults', () => {
    expect(parseOperationEvent({ operation: 'failover' })).toEqual({ operation: 'failover', dryRun: false, force: false, demote: undefined, target: undefined });
    expect(parseOperationEvent({ operation: 'failover', target: 'west', force: true })).toMatchObject({ target: 'west', force: true });
    expect(parseOperationEvent({ operation: 'link', demote: 'east', dryRun: true })).toMatchObject({ demote: 'east', dryRun: true });
  });

  it.each([
    [{}, 'operation', /is required/],
    [{ operation: 'promote' }, 'operation', /one of status, failover, switchover, link/],
    [{ operation: 'failover', dryRun: 'yes' }, 'dryRun', /true or false/],
    [{ operation: 'failover', force: 1 }, 'force', /true or false/],
    [{ operation: 'failover', dryrun: true }, 'dryrun', /not a known field/],
    [{ operation: 'failover', demote: 'east' }, 'demote', /only accepted by the link operation/],
    [{ operation: 'link', target: 'east' }, 'target', /only accepted by the failover operation/],
    [{ operation: 'failover', target: '' }, 'target', /non-empty string/],
    [{ operation: 'failover', primary: 'east' }, 'primary', /only accepted by the bootstrap operation, not failover/],
    [{ operation: 'switchover', secondaryToken: 'hvs.x' }, 'secondaryToken', /only accepted by the bootstrap operation, not switchover/],
    // bootstrap takes a token of the would-be secondary (secondaryToken), never a break-glass one.
    [{ operation: 'bootstrap', drOperationToken: 'hvb.x' }, 'drOperationToken', /only accepted by failover, switchover and link \(status and bootstrap use no DR operation token\)/],
    ['failover', 'event', /JSON object/],
  ])('refuses %j naming %s', (event, field, message) => {
    try {
      parseOperationEvent(event);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe(field);
      expect((err as Error).message).toMatch(message);
    }
  });
});

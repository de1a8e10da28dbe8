/**
 * What switchover and link decide from the clusters' answers, stated as the operator's rules
 * (README, "dr-operations"). switchover: only from the one active primary to a healthy DR secondary
 * that is connected to it (or forced), never in a split brain. link: re-attaches a demoted or
 * returned cluster to the one primary; in a split brain only the cluster the operator names is
 * demoted; a streaming secondary whose connection is down is a network problem, not a re-link.
 */
import { planLink } from '../../../functions/dr-operations/link';
import { planSwitchover } from '../../../functions/dr-operations/switchover';
import { describeView } from '../../../functions/shared/cluster-probe';
import { InputError } from '../../../functions/shared/errors';
import { cutOff, demoted, erroring, noLeader, primary, refusalOf, secondary, sealed, standalone, unreachable, unreadSecondary, unsynced } from './clusters';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an input error');
}

describe('planSwitchover', () => {
  it('swaps a primary and its healthy, connected DR secondary, in either position', () => {
    expect(planSwitchover([primary('east'), secondary('west')], false)).toEqual({ primary: primary('east'), secondary: secondary('west') });
    expect(planSwitchover([secondary('east'), primary('west')], false)).toEqual({ primary: primary('west'), secondary: secondary('east') });
  });

  it('refuses a secondary that is not connected to the primary (it may miss recent writes) unless forced', () => {
    for (const other of [cutOff('west'), secondary('west', { connectedToPrimary: undefined })]) {
      const refusal = refusalOf(() => planSwitchover([primary('east'), other], false));
      expect(refusal.reason).toBe('switchover refused: west is not connected to east, so it may be missing recent writes; fix replication first, or pass force: true');
      expect(refusal.details.next).toBeNull();
      expect(planSwitchover([primary('east'), other], true)).toEqual({ primary: primary('east'), secondary: other });
    }
  });

  it('refuses a primary whose replication status could not be read (it may not serve clients), naming failover to look again, unless forced', () => {
    const unread = { ...primary('east'), problem: 'sys/replication/dr/status: HTTP 500: internal error' };
    // Whatever the secondary's state: the name must not be left on a primary nobody may be able to write to with nothing to run.
    for (const other of [secondary('west'), cutOff('west')]) {
      const refusal = refusalOf(() => planSwitchover([unread, other], false));
      expect(refusal.reason).toBe(
        'switchover refused: east answers sys/health as an active primary, but sys/replication/dr/status: HTTP 500: internal error, so whether it serves clients is not known; ' +
          'a planned switchover needs a primary that answers in full (pass force: true to switch over anyway)',
      );
      expect(refusal.details.next).toEqual({
        function: 'dr-operations',
        event: { operation: 'failover' },
        why: 'looks at east again: nothing to do if it answers in full, and if it does not, a failover on the evidence (or a refusal that says why)',
      });
    }
    expect(planSwitchover([unread, secondary('west')], true)).toEqual({ primary: unread, secondary: secondary('west') });
  });

  it('refuses, even forced, a cluster that is not a healthy DR secondary; link re-attaches it first', () => {
    for (const other of [demoted('west'), unsynced('west', 'merkle-sync'), unsynced('west', 'idle'), unreadSecondary('west'), unreachable('west'), sealed('west'), noLeader('west'), { ...sealed('west'), drState: 'stream-wals', hasKnownPrimary: true, connectedToPrimary: true }]) {
      const refusal = refusalOf(() => planSwitchover([primary('east'), other], true));
      expect(refusal.reason).toBe(`switchover refused: west is not a healthy DR secondary (${describeView(other)})`);
      expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'link' }, why: 're-attaches west to east; switch over once it streams' });
      expect(refusal.details.clusters).toEqual([describeView(primary('east')), describeView(other)]);
    }
  });

  it('refuses when no cluster is an active primary: that is a failover', () => {
    const refusal = refusalOf(() => planSwitchover([unreachable('east'), secondary('west')], true));
    expect(refusal.reason).toBe('switchover refused: no cluster answers as an active primary; if the primary is down, use failover');
    expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover' }, why: 'makes the DR secondary the primary' });
  });

  it('refuses a split brain, even forced', () => {
    const refusal = refusalOf(() => planSwitchover([primary('east'), primary('west')], true));
    expect(refusal.reason).toBe('switchover refused: both clusters answer as DR primary (split brain); resolve it with link and demote first');
    expect(refusal.details.next).toEqual({
      function: 'dr-operations',
      event: { operation: 'link', demote: '<cluster>' },
      why: 'demote the cluster clients did not write to (normally the one promoted first; DNS points at the other)',
      choose: { field: 'demote', from: ['east', 'west'] },
    });
  });
});

describe('planLink', () => {
  it('re-attaches a demoted, idle or out-of-sync DR secondary to the one primary, in either position', () => {
    expect(planLink([primary('east'), demoted('west')], undefined, false)).toEqual({ kind: 'link', primary: primary('east'), secondary: demoted('west'), demoteFirst: false });
    expect(planLink([demoted('east'), primary('west')], undefined, false)).toEqual({ kind: 'link', primary: primary('west'), secondary: demoted('east'), demoteFirst: false });
    for (const other of [unsynced('west', 'idle'), unsynced('west', 'merkle-sync')]) {
      expect(planLink([primary('east'), other], undefined, false)).toEqual({ kind: 'link', primary: primary('east'), secondary: other, demoteFirst: false });
    }
  });

  it('is a no-op for a DR secondary that already streams from the primary, connected', () => {
    expect(planLink([primary('east'), secondary('west')], undefined, false)).toEqual({ kind: 'no-op', reason: 'west already streams from east' });
    expect(planLink([secondary('west'), primary('east')], undefined, true)).toEqual({ kind: 'no-op', reason: 'west already streams from east' });
  });

  it('a streaming secondary whose primary connection is down: check the network (8201) rather than re-link, unless forced', () => {
    for (const other of [cutOff('west'), secondary('west', { connectedToPrimary: undefined })]) {
      const refusal = refusalOf(() => planLink([primary('east'), other], undefined, false));
      expect(refusal.reason).toBe(
        'link refused: west is a DR secondary in stream-wals whose primary connection is down; check the network between the clusters (port 8201) rather than re-linking, or pass force: true to re-link it (it resyncs)',
      );
      expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'link', force: true }, why: 're-links west (it resyncs) if the network is not the cause' });
      expect(planLink([primary('east'), other], undefined, true)).toEqual({ kind: 'link', primary: primary('east'), secondary: other, demoteFirst: false });
    }
  });

  it('refuses a cluster that does not answer as a DR secondary, saying what it must do first and what to run when it returns', () => {
    const standaloneRefusal = refusalOf(() => planLink([primary('east'), standalone('west')], undefined, true));
    expect(standaloneRefusal.reason).toBe('link refused: west is standalone: it has DR replication disabled: enable it as a DR secondary once by hand (see the runbook)');
    expect(standaloneRefusal.details.next).toBeNull();
    for (const other of [unreachable('west'), sealed('west'), erroring('west'), noLeader('west'), { ...sealed('west'), drState: 'stream-wals', connectedToPrimary: true, hasKnownPrimary: true }]) {
      const refusal = refusalOf(() => planLink([primary('east'), other], undefined, true));
      expect(refusal.reason).toBe(`link refused: west is ${other.role}: it must answer as a DR secondary (or, in a split brain, as a primary to demote); link it when it returns`);
      // It may return as the primary it was: link with demote converges whichever it returns as.
      expect(refusal.details.next).toEqual({
        function: 'dr-operations',
        event: { operation: 'link', demote: 'west' },
        why: 'when west answers again, demotes it if it is a primary and re-attaches it',
      });
      expect(refusal.details.clusters).toEqual([describeView(primary('east')), describeView(other)]);
    }
  });

  it('judges the role by the health answer: a sealed node is not a streaming secondary, whatever the replication status says', () => {
    // sys/health and sys/replication/dr/status may land on different nodes behind the load balancer.
    const sealedNode = { ...sealed('west'), drState: 'stream-wals', connectedToPrimary: false, hasKnownPrimary: true };
    expect(refusalOf(() => planLink([primary('east'), sealedNode], undefined, false)).reason).toBe(
      'link refused: west is sealed: it must answer as a DR secondary (or, in a split brain, as a primary to demote); link it when it returns',
    );
  });

  it('refuses when no cluster is an active primary: failover first', () => {
    const refusal = refusalOf(() => planLink([demoted('east'), unreachable('west')], undefined, true));
    expect(refusal.reason).toBe('link refused: no cluster answers as an active primary; run failover first');
    expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover' }, why: 'makes a cluster the active primary' });
  });

  it('in a split brain, demotes only the cluster the operator names, and keeps the other as primary', () => {
    // With no primary record, the operator's choice becomes it.
    expect(planLink([primary('east'), primary('west')], 'east', false)).toEqual({ kind: 'link', primary: primary('west'), secondary: primary('east'), demoteFirst: true, recordKeep: true });
    expect(planLink([primary('east'), primary('west')], 'west', false)).toEqual({ kind: 'link', primary: primary('east'), secondary: primary('west'), demoteFirst: true, recordKeep: true });
  });

  it('in a split brain without a name, refuses and asks which one clients did not write to', () => {
    const refusal = refusalOf(() => planLink([primary('east'), primary('west')], undefined, true));
    expect(refusal.reason).toBe(
      'link refused: both clusters answer as DR primary (split brain). Decide which one clients have been writing to (normally the one promoted last, ' +
        'where DNS points); then run link with demote set to the name of the other one',
    );
    expect(refusal.details.next).toEqual({
      function: 'dr-operations',
      event: { operation: 'link', demote: '<cluster>' },
      why: 'demote the cluster clients did not write to (normally the one promoted first; DNS points at the other)',
      choose: { field: 'demote', from: ['east', 'west'] },
    });
  });

  it('demote must name one of the clusters', () => {
    const unknown = inputError(() => planLink([primary('east'), primary('west')], 'north', false));
    expect(unknown.field).toBe('demote');
    expect(unknown.message).toMatch(/^demote: must name one of the clusters \(east, west\), got "north"/);
    expect(inputError(() => planLink([primary('east'), demoted('west')], 'north', false)).field).toBe('demote');
    expect(inputError(() => planLink([unreachable('east'), demoted('west')], 'north', true)).field).toBe('demote');
  });

  it('outside a split brain, demote naming the cluster that is not a primary re-attaches it as link alone would (it has nothing to demote)', () => {
    // A failover names `link` with demote for an old primary that may return as one: the same
    // command must converge when it returns as a DR secondary instead.
    expect(planLink([primary('east'), demoted('west')], 'west', false)).toEqual({ kind: 'link', primary: primary('east'), secondary: demoted('west'), demoteFirst: false });
    expect(planLink([demoted('east'), primary('west')], 'east', false)).toEqual({ kind: 'link', primary: primary('west'), secondary: demoted('east'), demoteFirst: false });
    expect(planLink([primary('east'), secondary('west')], 'west', false)).toEqual({ kind: 'no-op', reason: 'west already streams from east' });
    expect(refusalOf(() => planLink([primary('east'), unreachable('west')], 'west', false)).reason).toMatch(/^link refused: west is unreachable/);
  });

  it('demote never names the only active primary: that would leave none', () => {
    const only = inputError(() => planLink([primary('east'), demoted('west')], 'east', false));
    expect(only.field).toBe('demote');
    expect(only.message).toMatch(/^demote: names east, the only active primary: demoting it would leave no primary; to move the primary use switchover/);
    expect(inputError(() => planLink([demoted('east'), primary('west')], 'west', true)).field).toBe('demote');
  });

  it('with demote and no active primary, failover comes first', () => {
    expect(refusalOf(() => planLink([unreachable('east'), demoted('west')], 'west', true)).reason).toBe('link refused: no cluster answers as an active primary; run failover first');
  });
});


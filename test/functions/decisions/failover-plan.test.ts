/**
 * What failover decides from the clusters' answers, stated as the operator's rules (README,
 * "dr-operations"): promote only a healthy DR secondary of a primary that may be down (or with
 * force), never with a second primary answering, confirm the old primary is down unless forced,
 * demote an old primary that answers; when both are DR secondaries, promote the one with the latest
 * data or ask; every refusal changes nothing and names the next command.
 */
import { chooseBetweenSecondaries, planFailover, type FailoverPlan, type FailoverRequest } from '../../../functions/dr-operations/failover';
import { describeView, nextWithPrimary, type ClusterView } from '../../../functions/shared/cluster-probe';
import { InputError } from '../../../functions/shared/errors';
import { cutOff, demoted, erroring, nextOf, noLeader, primary, refusalOf, secondary, sealed, standalone, unreachable, unreadSecondary, unsynced } from './clusters';

const plain: FailoverRequest = { force: false, target: undefined };
const forced: FailoverRequest = { force: true, target: undefined };
const target = (name: string, force = false): FailoverRequest => ({ force, target: name });
type Promote = Extract<FailoverPlan, { kind: 'promote' }>;

function promotion(views: [ClusterView, ClusterView], request: FailoverRequest, settled = false): Promote {
  const plan = planFailover(views, request, settled);
  if (plan.kind !== 'promote') throw new Error(`expected a promotion, got ${JSON.stringify(plan)}`);
  return plan;
}

describe('a disaster: the primary does not answer as one', () => {
  it('promotes the healthy DR secondary, confirms the old primary is down first, with the secondary\'s own view', () => {
    expect(planFailover([unreachable('east'), cutOff('west')], plain)).toEqual({
      kind: 'promote',
      target: cutOff('west'),
      old: unreachable('east'),
      demoteFirst: false,
      demoteAfter: false,
      forcePromote: false,
      confirmOldDown: true,
      askTargetView: true,
    });
  });

  it('infers which is which from the answers, not from the order or the names', () => {
    expect(promotion([cutOff('primary'), unreachable('secondary')], plain)).toMatchObject({ target: { name: 'primary' }, old: { name: 'secondary' } });
  });

  it('force skips the confirmation and the secondary\'s view', () => {
    expect(promotion([unreachable('east'), cutOff('west')], forced)).toMatchObject({ confirmOldDown: false, askTargetView: false, demoteFirst: false, forcePromote: false });
  });

  it('demotes an old primary that answers without being a primary (5xx, no active node) after the promotion, never a sealed or unreachable one', () => {
    expect(promotion([erroring('east'), cutOff('west')], plain).demoteAfter).toBe(true);
    expect(promotion([noLeader('east'), cutOff('west')], plain, true).demoteAfter).toBe(true);
    expect(promotion([sealed('east'), cutOff('west')], plain).demoteAfter).toBe(false);
    expect(promotion([unreachable('east'), cutOff('west')], plain).demoteAfter).toBe(false);
    expect(promotion([sealed('east'), cutOff('west')], plain)).toMatchObject({ demoteFirst: false, confirmOldDown: true });
  });

  it('refuses a DR secondary that is not healthy unless forced; forced, uses Vault\'s force only when its data is out of sync', () => {
    for (const weak of [unsynced('west', 'merkle-sync'), unsynced('west', 'merkle-diff'), unsynced('west', 'idle'), secondary('west', { hasKnownPrimary: undefined })]) {
      const refusal = refusalOf(() => planFailover([unreachable('east'), weak], plain));
      expect(refusal.reason).toBe(`failover refused: west is not a healthy DR secondary (${describeView(weak)}); promoting it may lose data. Pass force: true to promote it anyway`);
      expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover', force: true }, why: 'promotes west anyway (it may miss recent writes)' });
    }
    expect(promotion([unreachable('east'), unsynced('west', 'merkle-sync')], forced)).toMatchObject({ forcePromote: true, confirmOldDown: false });
    expect(promotion([unreachable('east'), unsynced('west', 'merkle-diff')], forced).forcePromote).toBe(true);
    expect(promotion([unreachable('east'), unsynced('west', 'idle')], forced).forcePromote).toBe(false);
  });

  it('refuses, even forced, when the other cluster is active with DR replication disabled: that would be two active clusters', () => {
    const refusal = refusalOf(() => planFailover([standalone('east'), cutOff('west')], forced));
    expect(refusal.reason).toBe('failover refused: east answers as an active cluster with DR replication disabled; promoting west would give two active clusters');
    expect(refusal.details.next).toBeNull();
  });

  it('promotes only the cluster the operator named, and only if it is the DR secondary', () => {
    expect(promotion([unreachable('east'), cutOff('west')], target('west'))).toMatchObject({ target: { name: 'west' } });
    const refusal = refusalOf(() => planFailover([unreachable('east'), cutOff('west')], target('east', true)));
    expect(refusal.reason).toBe(`failover refused: east is not a DR secondary (${describeView(unreachable('east'))})`);
    expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover' }, why: 'promotes west, the only DR secondary' });
  });

  it('refuses when no cluster could be promoted, and says to run it again once one answers as a DR secondary', () => {
    for (const views of [
      [sealed('east'), unreachable('west')],
      [erroring('east'), sealed('west')],
      [standalone('east'), unreachable('west')],
    ] as [ClusterView, ClusterView][]) {
      const refusal = refusalOf(() => planFailover(views, forced));
      expect(refusal.reason).toBe('failover refused: no cluster answers as a primary and none is a DR secondary that could be promoted');
      expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover' }, why: 'run it again once a cluster answers as a DR secondary (unsealed)' });
    }
  });

  it('refuses when neither cluster answers at all', () => {
    const refusal = refusalOf(() => planFailover([unreachable('east'), unreachable('west')], forced));
    expect(refusal.reason).toBe('failover refused: neither cluster answers');
    expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover' }, why: 'run it again once a cluster answers' });
  });

  it('every refusal describes both clusters as they were seen, and changed nothing', () => {
    const views: [ClusterView, ClusterView] = [unreachable('east'), unsynced('west', 'merkle-sync')];
    expect(refusalOf(() => planFailover(views, plain)).details).toEqual({ kind: 'refused', changed: [], clusters: views.map(describeView), next: expect.any(Object) });
  });
});

describe('a cluster without an active node (promoting, electing) is waited for before deciding, once', () => {
  it('waits for the cluster that has no leader, in either position', () => {
    expect(planFailover([noLeader('east'), cutOff('west')], plain)).toEqual({ kind: 'wait', cluster: noLeader('east') });
    expect(planFailover([unreachable('east'), noLeader('west')], plain)).toEqual({ kind: 'wait', cluster: noLeader('west') });
    expect(planFailover([noLeader('east'), unreachable('west')], forced)).toEqual({ kind: 'wait', cluster: noLeader('east') });
  });

  it('once settled, decides on what it sees', () => {
    expect(nextOf(() => planFailover([noLeader('east'), unreachable('west')], plain, true))).toEqual(expect.objectContaining({ event: { operation: 'failover' } }));
    expect(promotion([noLeader('east'), cutOff('west')], plain, true)).toMatchObject({ target: { name: 'west' }, demoteAfter: true });
  });

  it('does not wait when a primary answers: there is nothing to settle', () => {
    expect(planFailover([primary('east'), noLeader('west')], plain).kind).toBe('no-op');
  });
});

describe('a primary answers', () => {
  it('refuses to fail over from a healthy primary with a healthy DR secondary unless forced; forced, demotes it first', () => {
    for (const other of [secondary('west'), cutOff('west')]) {
      const refusal = refusalOf(() => planFailover([primary('east'), other], plain));
      expect(refusal.reason).toBe(
        'failover refused: east answers as a healthy active primary and west is its DR secondary, so there is nothing to fail over from. ' +
          'For a planned move use switchover; to fail over anyway pass force: true (the primary is demoted before the secondary is promoted)',
      );
      // The name may still point at the other cluster (a run that promoted and could not move DNS):
      // the next command makes it follow the primary whatever it points at now.
      expect(refusal.details.next).toEqual({ function: 'dns-switch', event: {}, why: 'makes sure the name points at east, the active primary (a no-op when it does)' });
    }
    expect(planFailover([secondary('west'), primary('east')], forced)).toEqual({
      kind: 'promote',
      target: secondary('west'),
      old: primary('east'),
      demoteFirst: true,
      demoteAfter: false,
      forcePromote: false,
      confirmOldDown: false,
      askTargetView: false,
    });
    expect(promotion([primary('east'), secondary('west')], target('west', true))).toMatchObject({ target: { name: 'west' }, demoteFirst: true });
    expect(refusalOf(() => planFailover([primary('east'), secondary('west')], target('west'))).reason).toMatch(/pass force: true/);
  });

  it('refuses a primary whose replication status failed without calling it healthy, and names failover again (found by the chaos oracle, lane seed 7940)', () => {
    // sys/health from a standby said primary; the active node answered dr/status with 500.
    const grey = { ...primary('east'), problem: 'sys/replication/dr/status: HTTP 500: internal error' };
    const refusal = refusalOf(() => planFailover([grey, secondary('west')], plain));
    expect(refusal.reason).toBe(
      'failover refused: east answers sys/health as an active primary, but sys/replication/dr/status: HTTP 500: internal error, so whether it serves clients is not known. ' +
        'Run failover again to look once more; if clients cannot write to it, pass force: true (it is demoted before the secondary is promoted)',
    );
    expect(refusal.details.next).toEqual({
      function: 'dr-operations',
      event: { operation: 'failover' },
      why: 'looks at east again: nothing to do if it answers in full, and a refusal that names force if it still does not',
    });
    expect(planFailover([grey, secondary('west')], forced)).toMatchObject({ kind: 'promote', target: { name: 'west' }, demoteFirst: true });
  });

  it('is a no-op, even forced, when the only primary has no healthy DR secondary to fail over to; next re-attaches the other', () => {
    for (const other of [demoted('west'), unsynced('west', 'merkle-sync'), unsynced('west', 'idle')]) {
      expect(planFailover([primary('east'), other], forced)).toEqual({
        kind: 'no-op',
        reason: 'east is already the only active primary',
        primary: primary('east'),
        next: { function: 'dr-operations', event: { operation: 'link' }, why: 're-attach west as the DR secondary of east' },
      });
    }
  });

  it('a no-op with the other cluster gone, or without an active node, names link with demote: it may return as the primary it was', () => {
    for (const other of [unreachable('west'), sealed('west'), erroring('west'), noLeader('west')]) {
      expect(planFailover([other, primary('east')], plain)).toEqual({
        kind: 'no-op',
        reason: 'east is already the only active primary',
        primary: primary('east'),
        next: {
          function: 'dr-operations',
          event: { operation: 'link', demote: 'west' },
          why: 'when west answers again, demote it if it comes back as a primary and re-attach it as the DR secondary of east',
        },
      });
    }
  });

  it('a no-op needs no next command when the other cluster needs nothing from link', () => {
    expect(planFailover([primary('east'), standalone('west')], plain)).toMatchObject({ kind: 'no-op', next: null });
    expect(planFailover([primary('east'), secondary('west')], target('east'))).toMatchObject({ kind: 'no-op', next: null });
  });

  it('naming the primary as target is a no-op, forced or not (a run again after a successful failover)', () => {
    expect(planFailover([primary('east'), secondary('west')], target('east', true))).toMatchObject({ kind: 'no-op', primary: { name: 'east' } });
  });

  it('refuses a split brain, even forced: link with demote resolves it, the operator choosing', () => {
    for (const request of [plain, forced, target('west', true)]) {
      const refusal = refusalOf(() => planFailover([primary('east'), primary('west')], request));
      expect(refusal.reason).toBe('failover refused: both clusters answer as DR primary (split brain); resolve it with link and demote first');
      expect(refusal.details.next).toEqual({
        function: 'dr-operations',
        event: { operation: 'link', demote: '<cluster>' },
        why: 'demote the cluster clients did not write to (normally the one promoted first; DNS points at the other)',
        choose: { field: 'demote', from: ['east', 'west'] },
      });
    }
  });
});

describe('both clusters are DR secondaries (our demote, then a promotion that failed)', () => {
  it('promotes the demoted one: it was the primary the other replicates from, so it holds every write', () => {
    expect(planFailover([demoted('east'), cutOff('west')], plain)).toEqual({
      kind: 'promote',
      target: demoted('east'),
      old: cutOff('west'),
      demoteFirst: false,
      demoteAfter: false,
      forcePromote: false,
      confirmOldDown: true,
      askTargetView: false,
      choice: 'east was demoted and west still replicates from a primary: east was that primary and holds every write west received',
    });
    expect(promotion([cutOff('east'), demoted('west')], plain)).toMatchObject({
      target: { name: 'west' },
      old: { name: 'east' },
      choice: 'west was demoted and east still replicates from a primary: west was that primary and holds every write east received',
    });
  });

  it('forced, skips the confirmation that the other one is not a primary', () => {
    expect(promotion([demoted('east'), cutOff('west')], forced)).toMatchObject({ target: { name: 'east' }, confirmOldDown: false, askTargetView: false });
  });

  it('two secondaries of a primary: promotes the one that received the higher WAL index, in either order', () => {
    const behind = cutOff('east', 60_000, { lastRemoteWal: 90 });
    const ahead = cutOff('west', 60_000, { lastRemoteWal: 120 });
    expect(promotion([behind, ahead], plain)).toMatchObject({ target: { name: 'west' }, old: { name: 'east' }, choice: 'west received WAL 120, east only 90' });
    expect(promotion([ahead, behind], plain)).toMatchObject({ target: { name: 'west' }, old: { name: 'east' }, choice: 'west received WAL 120, east only 90' });
    expect(promotion([cutOff('east', 1, { lastRemoteWal: 0 }), cutOff('west', 1, { lastRemoteWal: 1 })], plain).target.name).toBe('west');
  });

  it('never prefers a secondary over the demoted primary it replicated from, whatever its WAL index', () => {
    expect(chooseBetweenSecondaries(cutOff('east', 1, { lastRemoteWal: 10_000 }), { ...demoted('west'), lastRemoteWal: 0 })?.chosen.name).toBe('west');
    expect(chooseBetweenSecondaries({ ...demoted('east'), lastRemoteWal: 0 }, cutOff('west', 1, { lastRemoteWal: 10_000 }))?.chosen.name).toBe('east');
  });

  it('when the replication status does not tell, refuses (even forced) and asks which to promote', () => {
    for (const pair of [
      [demoted('east'), demoted('west')],
      // What a demoted cluster reports as its own WAL index is not documented: never compared.
      [{ ...demoted('east'), lastRemoteWal: 0 }, { ...demoted('west'), lastRemoteWal: 37 }],
      [cutOff('east', 1, { lastRemoteWal: 100 }), cutOff('west', 1, { lastRemoteWal: 100 })],
      [cutOff('east'), cutOff('west', 1, { lastRemoteWal: 100 })],
      [cutOff('east', 1, { lastRemoteWal: 100 }), cutOff('west')],
      // A status that could not be read says nothing: not "demoted", not "replicates from a primary".
      [demoted('east'), unreadSecondary('west')],
      [unreadSecondary('east'), demoted('west')],
      [unreadSecondary('east'), cutOff('west', 1, { lastRemoteWal: 100 })],
      [cutOff('east', 1, { lastRemoteWal: 100 }), unreadSecondary('west')],
      [unreadSecondary('east'), unreadSecondary('west')],
    ] as [ClusterView, ClusterView][]) {
      expect(chooseBetweenSecondaries(pair[0], pair[1])).toBeUndefined();
      for (const request of [plain, forced]) {
        const refusal = refusalOf(() => planFailover(pair, request));
        expect(refusal.reason).toBe(
          'failover refused: both clusters are DR secondaries and their replication status does not say which one holds the latest data; choose the cluster to promote',
        );
        expect(refusal.details.next).toEqual({
          function: 'dr-operations',
          event: { operation: 'failover', target: '<cluster>' },
          why: 'promote the cluster that was the primary last (the other one still points at it, or it was demoted most recently)',
          choose: { field: 'target', from: [pair[0].name, pair[1].name] },
        });
      }
    }
  });

  it('promotes the one the operator chose with target, either of the two', () => {
    expect(planFailover([demoted('east'), demoted('west')], target('west'))).toEqual({
      kind: 'promote',
      target: demoted('west'),
      old: demoted('east'),
      demoteFirst: false,
      demoteAfter: false,
      forcePromote: false,
      confirmOldDown: true,
      askTargetView: false,
      choice: 'west was chosen by the operator (target)',
    });
    expect(promotion([demoted('east'), demoted('west')], target('east'))).toMatchObject({ target: { name: 'east' }, old: { name: 'west' }, choice: 'east was chosen by the operator (target)' });
    // The operator's choice stands over the replication status.
    expect(promotion([demoted('east'), cutOff('west')], target('west'))).toMatchObject({ target: { name: 'west' } });
  });

  it('asks for force before promoting one that is out of sync, then uses Vault\'s force', () => {
    const syncing = unsynced('west', 'merkle-diff', { lastRemoteWal: 200 });
    const refusal = refusalOf(() => planFailover([demoted('east'), syncing], target('west')));
    expect(refusal.reason).toBe(`failover refused: west is not in sync (${describeView(syncing)}); promoting it may lose data`);
    expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'failover', target: 'west', force: true }, why: 'promotes west anyway' });
    expect(promotion([demoted('east'), syncing], target('west', true))).toMatchObject({ target: { name: 'west' }, forcePromote: true, confirmOldDown: false });
    // Chosen by WAL index, out of sync: the same question.
    const ahead = unsynced('west', 'merkle-sync', { lastRemoteWal: 300 });
    expect(refusalOf(() => planFailover([cutOff('east', 1, { lastRemoteWal: 100 }), ahead], plain)).details.next).toEqual(
      expect.objectContaining({ event: { operation: 'failover', target: 'west', force: true } }),
    );
  });
});

describe('the target field', () => {
  it('must name one of the clusters: an input error naming the field, before anything else is judged', () => {
    for (const views of [
      [demoted('east'), demoted('west')],
      [primary('east'), primary('west')],
    ] as [ClusterView, ClusterView][]) {
      let thrown: unknown;
      try {
        planFailover(views, target('north', true));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(InputError);
      expect((thrown as InputError).field).toBe('target');
      expect((thrown as Error).message).toMatch(/^target: must name one of the clusters \(east, west\), got "north"/);
    }
  });
});

describe('a primary whose replication status failed', () => {
  // sys/health answered by a standby while the active node fails: clients may not be able to write.
  const unread = { ...primary('east'), problem: 'sys/replication/dr/status: HTTP 500: internal error' };
  const lookAgain = { function: 'dr-operations', event: { operation: 'failover' }, why: expect.stringContaining('east answers sys/health as an active primary, but sys/replication/dr/status: HTTP 500') };

  it('is never left with next: null: failover looks again (found by the long chaos run, seed 20261202)', () => {
    for (const west of [sealed('west'), unreachable('west'), cutOff('west', 60_000, { drState: 'merkle-sync' }), secondary('west')]) {
      expect(nextWithPrimary(unread, west)).toEqual(lookAgain);
    }
    expect(planFailover([unread, sealed('west')], { force: false, target: undefined })).toEqual(expect.objectContaining({ kind: 'no-op', next: lookAgain }));
  });

  it('once it answers in full, the next command is about the other cluster only', () => {
    expect(nextWithPrimary(primary('east'), secondary('west'))).toBeNull();
    expect(nextWithPrimary(primary('east'), sealed('west'))).toEqual(expect.objectContaining({ event: { operation: 'link', demote: 'west' } }));
  });
});

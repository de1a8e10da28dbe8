/**
 * The primary record, stated as the operator's rules (README, "The primary record"): a cluster that
 * answers as the only primary while the cluster an operation made the primary after it does not
 * answer as a DR secondary is a stale old primary (its demote did not take effect): no operation
 * keeps it, points DNS at it or links the other to it unless forced, and every refusal names
 * `link` with `demote` set to the stale one. In a split brain the record names the cluster to keep.
 * Found by the chaos oracle (seed 671147363, run 100): a failover whose demote of east got no answer,
 * west sealed after taking client writes, east back as a primary; link then suggested demoting
 * west, and the writes west had acknowledged were lost.
 */
import { chooseDnsTarget } from '../../../functions/dns-switch/choose-primary';
import { planFailover } from '../../../functions/dr-operations/failover';
import { planLink } from '../../../functions/dr-operations/link';
import { planSwitchover } from '../../../functions/dr-operations/switchover';
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import type { PrimaryRecord } from '../../../functions/shared/primary-record';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../../../functions/shared/recorded-primary';
import { cutOff, demoted, erroring, noLeader, primary, refusalOf, sealed, secondary, standalone, unreachable } from './clusters';

const recordOf = (cluster: string): PrimaryRecord => ({ cluster, recordedAt: '2026-12-02T05:00:00.000Z', by: 'dr-operations failover (request r-1)' });
const westRecorded = recordOf('west');
/** west does not answer as a DR secondary: it may hold writes east lacks. */
const notSecondary = [sealed('west'), unreachable('west'), erroring('west'), noLeader('west'), standalone('west')];
const demoteEast = { function: 'dr-operations', event: { operation: 'link', demote: 'east' }, why: expect.stringContaining('when west answers again') };

describe('findStalePrimary', () => {
  it.each(notSecondary.map((v) => [v.role, v] as const))('takes the only answering primary for a stale one when the recorded cluster answers as %s', (_role, west) => {
    expect(findStalePrimary([primary('east'), west], westRecorded)).toEqual({ stale: primary('east'), recorded: west, record: westRecorded });
    expect(findStalePrimary([west, primary('east')], westRecorded)).toEqual({ stale: primary('east'), recorded: west, record: westRecorded });
  });

  it('finds nothing stale when the recorded cluster is a DR secondary (demoted, or never promoted), is the primary, or there is no record', () => {
    for (const west of [secondary('west'), cutOff('west'), demoted('west')]) expect(findStalePrimary([primary('east'), west], westRecorded)).toBeUndefined();
    expect(findStalePrimary([primary('east'), sealed('west')], recordOf('east'))).toBeUndefined();
    expect(findStalePrimary([primary('east'), sealed('west')], undefined)).toBeUndefined();
  });

  it('finds nothing stale when the record names a cluster not in view, or only one cluster was seen', () => {
    expect(findStalePrimary([primary('east'), sealed('west')], recordOf('north'))).toBeUndefined();
    expect(findStalePrimary([primary('east')], westRecorded)).toBeUndefined();
  });

  it('says in full what the stale primary is and what to run', () => {
    const stale = findStalePrimary([primary('east'), sealed('west')], westRecorded);
    if (stale === undefined) throw new Error('expected a stale primary');
    expect(stalePrimaryReason(stale)).toBe(
      'east answers as the only active primary, but west was made the primary after it (dr-operations failover (request r-1), at 2026-12-02T05:00:00.000Z) ' +
        'and does not answer as a DR secondary (west (https://west.example.com:8200): sealed, sys/health answered 503): east is an old primary whose demote did not take effect, ' +
        'and the client writes since then are on west',
    );
    expect(stalePrimaryNext(stale)).toEqual({
      function: 'dr-operations',
      event: { operation: 'link', demote: 'east' },
      why:
        'when west answers again (as a primary beside east), demotes east and re-attaches it to west; ' +
        'only if west is lost for good, failover with force: true serves from east instead, without the writes west took',
    });
  });

  it('finds nothing stale without exactly one primary (a split brain and no primary have their own rules)', () => {
    expect(findStalePrimary([primary('east'), primary('west')], westRecorded)).toBeUndefined();
    expect(findStalePrimary([sealed('east'), sealed('west')], westRecorded)).toBeUndefined();
  });
});

describe('the planners with a stale primary', () => {
  it('failover refuses to keep the stale primary, names link demoting it, and with force adopts it as the primary', () => {
    for (const west of notSecondary) {
      const refusal = refusalOf(() => planFailover([primary('east'), west], { force: false, target: undefined }, false, westRecorded));
      expect(refusal.reason).toContain('east answers as the only active primary, but west was made the primary after it (dr-operations failover (request r-1)');
      expect(refusal.reason).toContain('pass force: true only if west is lost for good');
      expect(refusal.details.next).toEqual(demoteEast);
      expect(refusal.details.changed).toEqual([]);
      const forced = planFailover([primary('east'), west], { force: true, target: undefined }, false, westRecorded);
      expect(forced).toEqual(expect.objectContaining({ kind: 'no-op', adopt: true, primary: primary('east'), reason: 'east is the only active primary (forced over the record of west)' }));
      // Asking to promote the recorded cluster, which is not a DR secondary, is refused even forced.
      expect(refusalOf(() => planFailover([primary('east'), west], { force: true, target: 'west' }, false, westRecorded)).details.next).toEqual(demoteEast);
    }
  });

  it('failover without a record keeps today\'s rule: the only answering primary is the primary', () => {
    expect(planFailover([primary('east'), sealed('west')], { force: false, target: undefined }, false, undefined)).toEqual(expect.objectContaining({ kind: 'no-op' }));
    expect(planFailover([primary('east'), sealed('west')], { force: false, target: undefined }, false, recordOf('east'))).toEqual(expect.objectContaining({ kind: 'no-op' }));
  });

  it('link refuses to link to the stale primary, and refuses to demote it before the recorded one answers again', () => {
    for (const demote of [undefined, 'east', 'west']) {
      const refusal = refusalOf(() => planLink([primary('east'), sealed('west')], demote, false, westRecorded));
      expect(refusal.reason).toContain('east is an old primary whose demote did not take effect');
      expect(refusal.details.next).toEqual(demoteEast);
    }
  });

  it('link without a record still names the returning cluster to demote (the answering primary is the primary)', () => {
    expect(refusalOf(() => planLink([primary('east'), sealed('west')], undefined, false, undefined)).details.next).toEqual(
      expect.objectContaining({ event: { operation: 'link', demote: 'west' } }),
    );
  });

  it('switchover refuses while the primary is stale, naming link demoting it', () => {
    expect(refusalOf(() => planSwitchover([primary('east'), unreachable('west')], true, westRecorded)).details.next).toEqual(demoteEast);
  });

  it('dns-switch never points the name at a stale primary', () => {
    expect(chooseDnsTarget([primary('east'), sealed('west')], undefined, westRecorded)).toEqual({ kind: 'refuse', why: expect.stringContaining('east is an old primary'), next: demoteEast });
    expect(chooseDnsTarget([primary('east'), sealed('west')], undefined, recordOf('east'))).toEqual({ kind: 'switch', primary: 'east' });
  });
});

describe('a split brain with a record', () => {
  const both: [ClusterView, ClusterView] = [primary('east'), primary('west')];

  it('every refusal names the cluster to demote: the one the record does not name', () => {
    const expected = { function: 'dr-operations', event: { operation: 'link', demote: 'east' }, why: expect.stringContaining('west was made the primary last') };
    expect(splitBrainNext(both, westRecorded)).toEqual(expected);
    expect(refusalOf(() => planLink(both, undefined, false, westRecorded)).details.next).toEqual(expected);
    expect(refusalOf(() => planFailover(both, { force: false, target: undefined }, false, westRecorded)).details.next).toEqual(expected);
    expect(refusalOf(() => planSwitchover(both, false, westRecorded)).details.next).toEqual(expected);
    expect(chooseDnsTarget(both, undefined, westRecorded)).toEqual({ kind: 'refuse', why: expect.any(String), next: expected });
  });

  it('demotes the other cluster whichever position the recorded one has', () => {
    expect(splitBrainNext(both, recordOf('east'))).toEqual({
      function: 'dr-operations',
      event: { operation: 'link', demote: 'west' },
      why: 'east was made the primary last (dr-operations failover (request r-1), at 2026-12-02T05:00:00.000Z), so clients write to it: demotes west and re-attaches it to east',
    });
  });

  it('without a record (or one naming neither, or with one cluster in view) the operator chooses', () => {
    for (const record of [undefined, recordOf('north')]) {
      expect(splitBrainNext(both, record)).toEqual(expect.objectContaining({ event: { operation: 'link', demote: '<cluster>' }, choose: { field: 'demote', from: ['east', 'west'] } }));
    }
    expect(splitBrainNext([primary('east')], recordOf('east'))).toEqual(expect.objectContaining({ choose: { field: 'demote', from: ['east'] } }));
  });

  it('link keeps the cluster the operator names, and makes it the record when the record named the other', () => {
    expect(planLink(both, 'west', false, westRecorded)).toEqual(expect.objectContaining({ primary: primary('east'), secondary: primary('west'), recordKeep: true }));
    expect(planLink(both, 'east', false, westRecorded)).not.toHaveProperty('recordKeep');
  });
});

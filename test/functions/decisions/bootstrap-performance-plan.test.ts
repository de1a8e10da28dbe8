/**
 * What bootstrap with `performanceSecondary` decides from the clusters' answers, as an operator
 * states the rules:
 * - the performance secondary follows the current DR primary, never a guessed or stale one, and
 *   only a cluster the configuration names;
 * - a cluster that already streams from that primary is left alone, one still catching up is
 *   waited for;
 * - a cluster of this replication set that follows another cluster is link's job (no wipe);
 * - it never erases a secondary of another replication set unless forced, and never turns a
 *   performance primary or a DR secondary into a performance secondary;
 * - it needs the cluster and the primary's performance status answering.
 */
import { performanceBootstrapNext, planPerformanceBootstrap, secondaryIdFor, type PerformanceBootstrapAnswers } from '../../../functions/dr-operations/bootstrap-performance';
import { parseOperationEvent } from '../../../functions/dr-operations/event';
import { performanceTarget } from '../../../functions/dr-operations/performance-target';
import { InputError } from '../../../functions/shared/errors';
import type { PerformanceView } from '../../../functions/shared/performance-probe';
import type { PrimaryRecord } from '../../../functions/shared/primary-record';
import type { PerformanceStatusData } from '../../../functions/shared/vault-api';
import { at, demoted, nextOf, primary, refusalOf, sealed, secondary, standalone, unreachable } from './clusters';

const EAST_CLUSTER_PORT = 'https://east.example.com:8201';
const WEST_CLUSTER_PORT = 'https://west.example.com:8201';
const clusters = [
  { ...at('east'), clusterAddress: EAST_CLUSTER_PORT },
  { ...at('west'), clusterAddress: WEST_CLUSTER_PORT },
];
const south = at('south');

/** east as a performance primary of replication set `set-p`, south connected to it. */
const perfPrimary: PerformanceStatusData = { mode: 'primary', state: 'running', cluster_id: 'set-p', known_secondaries: ['south'], secondaries: [{ node_id: 'south', connection_status: 'connected' }] };
/** east as a performance primary of set `set-p` that south is not connected to. */
const perfPrimaryAlone: PerformanceStatusData = { mode: 'primary', state: 'running', cluster_id: 'set-p', known_secondaries: [], secondaries: [] };
const perfDisabled: PerformanceStatusData = { mode: 'disabled' };

/** South with performance replication disabled, as its own status says. */
const perfOff: PerformanceView = { ...south, reachable: true, mode: 'disabled', connected: false, primaryAddresses: [] };
/** South as a performance secondary streaming from the cluster at `address`, connected to it. */
const following = (address: string, extra: Partial<PerformanceView> = {}): PerformanceView => ({
  ...south,
  reachable: true,
  mode: 'secondary',
  state: 'stream-wals',
  connectionState: 'ready',
  connected: true,
  secondaryId: 'south',
  primaryAddresses: [address],
  ...extra,
});

const answers = (extra: Partial<PerformanceBootstrapAnswers> = {}): PerformanceBootstrapAnswers => ({
  primary: primary('east'),
  primaryPerformance: perfDisabled,
  target: standalone('south'),
  targetPerformance: perfOff,
  targetSetId: undefined,
  clusters,
  ...extra,
});
const plain = { force: false };
const forced = { force: true };
const LINK_SOUTH = { operation: 'link', performanceSecondary: 'south' };

describe('a cluster with performance replication disabled', () => {
  it('is enabled as performance secondary, after enabling performance replication on a primary that has it disabled', () => {
    expect(planPerformanceBootstrap(answers(), plain)).toEqual({ kind: 'bootstrap', enablePrimary: true, attach: 'enable' });
  });

  it('is enabled without enabling the primary again when it is a performance primary already', () => {
    expect(planPerformanceBootstrap(answers({ primaryPerformance: perfPrimary }), plain)).toEqual({ kind: 'bootstrap', enablePrimary: false, attach: 'enable' });
  });

  it('may be the DR primary of a pair of its own (it keeps its DR secondary)', () => {
    expect(planPerformanceBootstrap(answers({ target: primary('south') }), plain)).toMatchObject({ kind: 'bootstrap', attach: 'enable' });
  });
});

describe('a performance secondary of the DR primary', () => {
  it('streaming and connected: nothing to do', () => {
    const plan = planPerformanceBootstrap(answers({ primaryPerformance: perfPrimary, targetPerformance: following(EAST_CLUSTER_PORT), targetSetId: 'set-p' }), plain);
    expect(plan).toMatchObject({ kind: 'no-op', reason: 'south is a performance secondary of east and streams from it' });
  });

  it.each([
    ['still syncing', { state: 'merkle-sync' }],
    ['not connected yet', { connected: false, connectionState: 'connecting' }],
  ])('%s: wait for it, whatever force says', (_what, extra) => {
    const view = following(EAST_CLUSTER_PORT, extra as Partial<PerformanceView>);
    for (const request of [plain, forced]) {
      expect(planPerformanceBootstrap(answers({ primaryPerformance: perfPrimary, targetPerformance: view, targetSetId: 'set-p' }), request)).toMatchObject({ kind: 'wait' });
    }
  });
});

describe('a performance secondary of this replication set that follows another cluster', () => {
  it('follows the other DR cluster: refused, even forced, naming link (it re-points without erasing)', () => {
    for (const request of [plain, forced]) {
      const refusal = refusalOf(() => planPerformanceBootstrap(answers({ primaryPerformance: perfPrimary, targetPerformance: following(WEST_CLUSTER_PORT), targetSetId: 'set-p' }), request));
      expect(refusal.message).toMatch(/south follows west, not east/);
      expect(refusal.details.next?.event).toEqual(LINK_SOUTH);
    }
  });

  it('follows no primary but shares the primary\'s replication set: refused, naming link', () => {
    const view = following(EAST_CLUSTER_PORT, { primaryAddresses: [], connected: false, state: 'idle' });
    expect(nextOf(() => planPerformanceBootstrap(answers({ primaryPerformance: perfPrimaryAlone, targetPerformance: view, targetSetId: 'set-p' }), forced))?.event).toEqual(LINK_SOUTH);
  });
});

describe('a cluster that is not for bootstrap to take', () => {
  it('a performance secondary of another replication set: refused unless forced; forced, re-pointed with update-primary', () => {
    const elsewhere = answers({ primaryPerformance: perfPrimaryAlone, targetPerformance: following('https://vault-other.example.com:8201'), targetSetId: 'set-x' });
    const refusal = refusalOf(() => planPerformanceBootstrap(elsewhere, plain));
    expect(refusal.message).toMatch(/replicates from another primary/);
    expect(refusal.details.next?.event).toEqual({ operation: 'bootstrap', performanceSecondary: 'south', force: true, secondaryToken: '<a token of south>' });
    expect(planPerformanceBootstrap(elsewhere, forced)).toEqual({ kind: 'bootstrap', enablePrimary: false, attach: 'update-primary' });
  });

  it('a performance secondary while the primary has performance replication disabled belongs to another set, whatever it says', () => {
    const view = following('https://vault-other.example.com:8201', { primaryAddresses: [] });
    expect(refusalOf(() => planPerformanceBootstrap(answers({ targetPerformance: view, targetSetId: 'set-x' }), plain)).message).toMatch(/which does not exist yet/);
    expect(planPerformanceBootstrap(answers({ targetPerformance: view, targetSetId: 'set-x' }), forced)).toEqual({ kind: 'bootstrap', enablePrimary: true, attach: 'update-primary' });
  });

  it('a performance primary: refused, even forced, with nothing to run', () => {
    for (const request of [plain, forced]) {
      const refusal = refusalOf(() => planPerformanceBootstrap(answers({ targetPerformance: { ...perfOff, mode: 'primary' } }), request));
      expect(refusal.message).toMatch(/south is a performance primary/);
      expect(refusal.details.next).toBeNull();
    }
  });

  it('a DR secondary: refused, even forced (it takes no part in performance replication)', () => {
    for (const request of [plain, forced]) {
      const refusal = refusalOf(() => planPerformanceBootstrap(answers({ target: secondary('south') }), request));
      expect(refusal.message).toMatch(/south is a DR secondary/);
      expect(refusal.details.next).toBeNull();
    }
  });

  it.each([['sealed', sealed('south')], ['unreachable', unreachable('south')]])('%s: refused, naming bootstrap again for when it answers', (_what, target) => {
    const refusal = refusalOf(() => planPerformanceBootstrap(answers({ target }), forced));
    expect(refusal.message).toMatch(/south does not answer as an active cluster/);
    expect(refusal.details.next?.event).toEqual({ operation: 'bootstrap', performanceSecondary: 'south' });
  });

  it('its performance status unread: refused', () => {
    const view: PerformanceView = { ...south, reachable: true, connected: false, primaryAddresses: [], problem: 'performance status answered HTTP 500' };
    expect(refusalOf(() => planPerformanceBootstrap(answers({ targetPerformance: view }), forced)).message).toMatch(/performance replication status of south could not be read \(performance status answered HTTP 500\)/);
  });
});

describe('the primary', () => {
  it('whose performance status cannot be read: refused', () => {
    expect(refusalOf(() => planPerformanceBootstrap(answers({ primaryPerformance: undefined }), forced)).message).toMatch(/performance replication status of east, the DR primary, could not be read/);
  });

  it('that is a performance secondary itself: refused, even forced', () => {
    expect(refusalOf(() => planPerformanceBootstrap(answers({ primaryPerformance: { mode: 'secondary' } }), forced)).message).toMatch(/east, the DR primary, is not a performance primary and cannot become one/);
  });

  const record = (cluster: string): PrimaryRecord => ({ cluster, recordedAt: '2026-01-01T00:00:00.000Z', by: 'dr-operations failover (request r-1)' });

  it('is the one DR primary', () => {
    expect(performanceTarget('bootstrap', [primary('east'), secondary('west')], 'south', [south])).toEqual({ primary: primary('east'), secondary: south });
    expect(performanceTarget('bootstrap', [demoted('east'), primary('west')], 'south', [south], record('west'))).toEqual({ primary: primary('west'), secondary: south });
  });

  it('is never a stale primary: refused, naming link with demote', () => {
    const refusal = refusalOf(() => performanceTarget('bootstrap', [primary('east'), sealed('west')], 'south', [south], record('west')));
    expect(refusal.message).toMatch(/^bootstrap refused: east answers as the only active primary, but west was made the primary after it/);
    expect(refusal.details.next?.event).toEqual({ operation: 'link', demote: 'east' });
  });

  it('is never one of two: refused in a split brain', () => {
    expect(refusalOf(() => performanceTarget('bootstrap', [primary('east'), primary('west')], 'south', [south])).message).toMatch(/^bootstrap refused: both clusters answer as DR primary/);
  });

  it('must exist: refused with failover as the next command', () => {
    expect(nextOf(() => performanceTarget('bootstrap', [standalone('east'), standalone('west')], 'south', [south]))?.event).toEqual({ operation: 'failover' });
  });

  it('an unknown performance secondary is an input error naming the field and the configured names', () => {
    expect(() => performanceTarget('bootstrap', [primary('east'), secondary('west')], 'north', [south, at('north-2')])).toThrow(InputError);
    expect(() => performanceTarget('bootstrap', [primary('east'), secondary('west')], 'north', [south, at('north-2')])).toThrow(/^performanceSecondary: must name one of the performance secondaries \(south, north-2\), got "north"/);
    expect(() => performanceTarget('bootstrap', [primary('east'), secondary('west')], 'south', [])).toThrow(/VAULT_PERFORMANCE_SECONDARIES is \[\]/);
  });
});

describe('the secondary id', () => {
  const now = new Date(Date.UTC(2026, 0, 1));
  it('is the cluster\'s name, unless the primary knows that id already', () => {
    expect(secondaryIdFor('south', undefined, now)).toBe('south');
    expect(secondaryIdFor('south', ['west-1', 'south-2'], now)).toBe('south');
    const again = secondaryIdFor('south', ['south'], now);
    expect(again).not.toBe('south');
    expect(again.startsWith('south-')).toBe(true);
  });
});

describe('the event', () => {
  it('bootstrap takes performanceSecondary with force, dryRun, secondaryToken and reason', () => {
    const request = parseOperationEvent({ operation: 'bootstrap', performanceSecondary: 'south', force: true, dryRun: true, secondaryToken: 'hvs.abc', reason: 'ticket 7' });
    expect(request).toMatchObject({ operation: 'bootstrap', performanceSecondary: 'south', force: true, dryRun: true });
    expect(String(request.secondaryToken)).not.toContain('hvs.abc');
  });

  it('bootstrap with performanceSecondary refuses primary, naming performanceSecondary', () => {
    expect(() => parseOperationEvent({ operation: 'bootstrap', performanceSecondary: 'south', primary: 'east' })).toThrow(/performanceSecondary.*leave out primary/);
  });

  it('link with performanceSecondary still refuses force', () => {
    expect(() => parseOperationEvent({ operation: 'link', performanceSecondary: 'south', force: true })).toThrow(/leave out demote, force and drOperationToken/);
  });

  it('the next command never carries a token, only where one must go', () => {
    expect(performanceBootstrapNext('south', 'why', { needsToken: 'south', force: true }).event).toEqual({ operation: 'bootstrap', performanceSecondary: 'south', force: true, secondaryToken: '<a token of south>' });
  });
});

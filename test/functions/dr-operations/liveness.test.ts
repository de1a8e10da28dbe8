/** When is a primary judged down? Expectations stated as rules, independent of the code. */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { judgePrimaryDown, probeOffsetMs, type Observation } from '../../../functions/dr-operations/liveness';

const settings = { probes: 3, windowMs: 6000, heartbeatStaleMs: 5000 };
const at = { name: 'east', address: 'https://east:8200' };
const down = (atMs: number, role: ClusterView['role'] = 'unreachable'): Observation => ({ atMs, view: { ...at, role, reachable: role !== 'unreachable' } });
const secondary = (link: ClusterView['primaryLink'], extra: Partial<ClusterView> = {}): ClusterView => ({
  name: 'west',
  address: 'https://west:8200',
  role: 'dr-secondary',
  reachable: true,
  drState: 'stream-wals',
  hasKnownPrimary: true,
  connectedToPrimary: link?.connected ?? false,
  ...(link ? { primaryLink: link } : {}),
  ...extra,
});
const stale = secondary({ connected: false, heartbeatAgeMs: 9000 });
const spread = [down(0), down(3000), down(6000)];

describe('judgePrimaryDown', () => {
  it('is down after the required failing probes over the whole window, with the secondary agreeing', () => {
    const verdict = judgePrimaryDown(spread, stale, settings);
    expect(verdict.down).toBe(true);
    expect(verdict.evidence).toEqual([
      'probe 1 of east at +0 ms: unreachable',
      'probe 2 of east at +3000 ms: unreachable',
      'probe 3 of east at +6000 ms: unreachable',
      'west: primary disconnected, last heartbeat 9000 ms ago',
    ]);
  });

  it('counts sealed, erroring and leaderless answers as failing probes', () => {
    expect(judgePrimaryDown([down(0, 'sealed'), down(3000, 'error'), down(6000, 'no-leader')], stale, settings).down).toBe(true);
  });

  it('is not down when any probe answered as active primary', () => {
    const verdict = judgePrimaryDown([down(0), down(3000, 'primary'), down(6000)], stale, settings);
    expect(verdict).toEqual(expect.objectContaining({ down: false, why: expect.stringMatching(/east answered as active primary .*\+3000 ms/) }));
  });

  it('is not down with fewer probes than required, or probes spanning less than the window', () => {
    expect(judgePrimaryDown([down(0), down(6000)], stale, settings)).toEqual(expect.objectContaining({ down: false, why: expect.stringMatching(/only 2 of the 3 probes/) }));
    expect(judgePrimaryDown([down(0), down(2000), down(5999)], stale, settings)).toEqual(expect.objectContaining({ down: false, why: expect.stringMatching(/spanned 5999 ms, less than the 6000 ms window/) }));
  });

  it('is not down while the secondary reports its primary connected', () => {
    expect(judgePrimaryDown(spread, secondary({ connected: true, heartbeatAgeMs: 60_000 }), settings)).toEqual(
      expect.objectContaining({ down: false, why: expect.stringMatching(/west still reports its connection to the primary as connected/) }),
    );
  });

  it('is not down while the secondary heard a heartbeat within the bound, and is at the bound', () => {
    expect(judgePrimaryDown(spread, secondary({ connected: false, heartbeatAgeMs: 4999 }), settings)).toEqual(
      expect.objectContaining({ down: false, why: expect.stringMatching(/4999 ms ago, less than 5000 ms/) }),
    );
    expect(judgePrimaryDown(spread, secondary({ connected: false, heartbeatAgeMs: 5000 }), settings).down).toBe(true);
  });

  it('is not down when the secondary\'s replication view cannot be read', () => {
    expect(judgePrimaryDown(spread, secondary(undefined), settings)).toEqual(expect.objectContaining({ down: false, why: expect.stringMatching(/could not be read/) }));
  });

  it('takes a disconnected view without a heartbeat time as agreeing', () => {
    expect(judgePrimaryDown(spread, secondary({ connected: false, heartbeatAgeMs: undefined }), settings).down).toBe(true);
  });

  it('needs no view from a secondary that knows no primary, or when none was asked', () => {
    expect(judgePrimaryDown(spread, secondary(undefined, { hasKnownPrimary: false }), settings).down).toBe(true);
    expect(judgePrimaryDown(spread, undefined, settings).down).toBe(true);
  });

  it('with one probe and no window, judges on that probe and the secondary alone', () => {
    expect(judgePrimaryDown([down(0)], stale, { probes: 1, windowMs: 0, heartbeatStaleMs: 0 }).down).toBe(true);
  });
});

describe('probeOffsetMs', () => {
  it('spreads the probes evenly over the window', () => {
    expect([0, 1, 2].map((k) => probeOffsetMs(k, settings))).toEqual([0, 3000, 6000]);
    expect([0, 1, 2, 3].map((k) => probeOffsetMs(k, { ...settings, probes: 4 }))).toEqual([0, 2000, 4000, 6000]);
    expect(probeOffsetMs(0, { ...settings, probes: 1 })).toBe(0);
  });
});

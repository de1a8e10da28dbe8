/**
 * When is the primary down? The rule an operator states (README, "dr-operations"): only after
 * PRIMARY_DOWN_PROBES failing probes spread over PRIMARY_DOWN_WINDOW_MS, none of them answering as
 * active primary, and, where the DR secondary answers, its own replication view agreeing: every
 * primary entry disconnected, the last heartbeat older than PRIMARY_HEARTBEAT_STALE_MS. Anything
 * less and the primary may be alive.
 */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { judgePrimaryDown, probeOffsetMs, type LivenessSettings, type Observation } from '../../../functions/dr-operations/liveness';
import { cutOff, demoted, primary, secondary, sealed, unreachable, unreadSecondary } from './clusters';

const rules: LivenessSettings = { probes: 3, windowMs: 6000, heartbeatStaleMs: 5000 };
const probe = (atMs: number, view: ClusterView = unreachable('east')): Observation => ({ atMs, view });
/** Three failing probes over exactly the window. */
const failing = [probe(1000), probe(4000, sealed('east')), probe(7000)];
/** The secondary's view once the primary is gone: disconnected, last heartbeat 9 s ago. */
const agrees = cutOff('west', 9000);

describe('judgePrimaryDown', () => {
  it('is down after the required failing probes over the whole window, the secondary agreeing; the evidence says each', () => {
    expect(judgePrimaryDown(failing, agrees, rules)).toEqual({
      down: true,
      evidence: [
        'probe 1 of east at +0 ms: unreachable (UND_ERR_CONNECT_TIMEOUT)',
        'probe 2 of east at +3000 ms: sealed (sys/health answered 503)',
        'probe 3 of east at +6000 ms: unreachable (UND_ERR_CONNECT_TIMEOUT)',
        'west: primary disconnected, last heartbeat 9000 ms ago',
      ],
    });
  });

  it('a probe that answers without a problem is listed without one', () => {
    const verdict = judgePrimaryDown([probe(0, { ...unreachable('east'), problem: undefined }), probe(3000), probe(6000)], agrees, rules);
    expect(verdict.evidence[0]).toBe('probe 1 of east at +0 ms: unreachable');
  });

  it.each([0, 1, 2])('is not down when probe %i answered as active primary (one node of a live cluster is enough)', (i) => {
    const observations = failing.map((o, k) => (k === i ? probe(o.atMs, primary('east')) : o));
    const verdict = judgePrimaryDown(observations, agrees, rules);
    expect(verdict.down).toBe(false);
    if (!verdict.down) expect(verdict.why).toBe(`east answered as active primary on one of the probes (+${observations[i]!.atMs - 1000} ms)`);
  });

  it('is not down with fewer probes than PRIMARY_DOWN_PROBES, even over the whole window', () => {
    const verdict = judgePrimaryDown([probe(0), probe(6000)], agrees, rules);
    expect(verdict).toEqual({ down: false, why: 'only 2 of the 3 probes required (PRIMARY_DOWN_PROBES) were made', evidence: expect.any(Array) });
    expect(judgePrimaryDown([], undefined, rules).down).toBe(false);
  });

  it('more probes than required are no less evidence', () => {
    expect(judgePrimaryDown([probe(0), probe(2000), probe(4000), probe(6000)], agrees, rules).down).toBe(true);
  });

  it('is not down when the probes span less than the window; exactly the window is enough', () => {
    expect(judgePrimaryDown([probe(1000), probe(3000), probe(6999)], agrees, rules)).toEqual({
      down: false,
      why: 'the probes spanned 5999 ms, less than the 6000 ms window (PRIMARY_DOWN_WINDOW_MS)',
      evidence: expect.any(Array),
    });
    expect(judgePrimaryDown([probe(1000), probe(1000), probe(1000)], agrees, { ...rules, windowMs: 1 }).down).toBe(false);
    expect(judgePrimaryDown([probe(1000), probe(3000), probe(7000)], agrees, rules).down).toBe(true);
  });

  it('is not down while the secondary reports its primary connection as connected, however old the heartbeat', () => {
    const verdict = judgePrimaryDown(failing, secondary('west', { primaryLink: { connected: true, heartbeatAgeMs: 600_000 } }), rules);
    expect(verdict).toEqual({
      down: false,
      why: 'west still reports its connection to the primary as connected (the primary may be alive and reachable from it)',
      evidence: expect.arrayContaining(['west reports its primary connection as connected']),
    });
  });

  it('is not down while the secondary heard a heartbeat less than PRIMARY_HEARTBEAT_STALE_MS ago; at the bound it is', () => {
    const fresh = judgePrimaryDown(failing, cutOff('west', 4999), rules);
    expect(fresh).toEqual({
      down: false,
      why: 'west heard the primary\'s last heartbeat 4999 ms ago, less than 5000 ms (PRIMARY_HEARTBEAT_STALE_MS)',
      evidence: expect.arrayContaining(['west: primary disconnected, last heartbeat 4999 ms ago']),
    });
    expect(judgePrimaryDown(failing, cutOff('west', 5000), rules).down).toBe(true);
    expect(judgePrimaryDown(failing, cutOff('west', 0), { ...rules, heartbeatStaleMs: 1 }).down).toBe(false);
  });

  it('a disconnected secondary that never reported a heartbeat time agrees', () => {
    const verdict = judgePrimaryDown(failing, cutOff('west', 0, { primaryLink: { connected: false, heartbeatAgeMs: undefined } }), rules);
    expect(verdict.down).toBe(true);
    expect(verdict.evidence.at(-1)).toBe('west: primary disconnected, last heartbeat never reported');
  });

  it('is not down when the secondary answers but its view of the primary cannot be read', () => {
    // It answered sys/health as a DR secondary, its replication status listed no view of the primary.
    expect(judgePrimaryDown(failing, secondary('west', { primaryLink: undefined }), rules)).toEqual({
      down: false,
      why: 'west\'s replication status could not be read, so its view of the primary is unknown',
      evidence: expect.any(Array),
    });
    // It answered sys/health as a DR secondary, its replication status did not answer at all.
    expect(judgePrimaryDown(failing, unreadSecondary('west'), rules)).toEqual({
      down: false,
      why: 'west\'s replication status could not be read, so its view of the primary is unknown',
      evidence: expect.any(Array),
    });
  });

  it('needs no agreement from a secondary that knows no primary (demoted)', () => {
    const fromDemoted = judgePrimaryDown(failing, demoted('west'), rules);
    expect(fromDemoted.down).toBe(true);
    expect(fromDemoted.evidence.at(-1)).toBe('west knows no primary (demoted): no replication view to compare');
  });

  it.each(['sealed', 'unreachable', 'error', 'no-leader'] as const)('is not down when the secondary asked answered as %s at the last look (its view is unknown)', (role) => {
    const verdict = judgePrimaryDown(failing, { ...sealed('west'), role, hasKnownPrimary: true, primaryLink: { connected: false, heartbeatAgeMs: 60_000 } }, rules);
    expect(verdict).toEqual({
      down: false,
      why: `west did not answer as a DR secondary at the last look (${role}), so its view of the primary is unknown; run failover again`,
      evidence: expect.any(Array),
    });
    expect(verdict.evidence.at(-1)).toBe(`west answered as ${role}, not as a DR secondary`);
  });

  it('without a secondary asked, judges on the probes alone and adds nothing about one', () => {
    const verdict = judgePrimaryDown(failing, undefined, rules);
    expect(verdict.down).toBe(true);
    expect(verdict.evidence).toHaveLength(3);
  });

  it('with one probe and no window, judges on that probe and the secondary', () => {
    expect(judgePrimaryDown([probe(0)], agrees, { probes: 1, windowMs: 0, heartbeatStaleMs: 0 }).down).toBe(true);
  });
});

describe('probeOffsetMs: when each confirmation probe is due', () => {
  it('spreads the probes evenly from the first (0) to the last (the window), to the nearest ms', () => {
    expect([0, 1, 2].map((k) => probeOffsetMs(k, rules))).toEqual([0, 3000, 6000]);
    expect([0, 1, 2, 3].map((k) => probeOffsetMs(k, { ...rules, probes: 4, windowMs: 1000 }))).toEqual([0, 333, 667, 1000]);
  });

  it('a single probe is due at once', () => {
    expect(probeOffsetMs(0, { ...rules, probes: 1 })).toBe(0);
  });
});

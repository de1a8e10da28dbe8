/**
 * From the clusters' answers to votes (functions/dr-watchdog/observation.ts) and to metric lines
 * (metrics.ts), with views built as the shared classification builds them.
 */
import fc from 'fast-check';
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { watchdogMetricLines } from '../../../functions/dr-watchdog/metrics';
import { assignRoles, combineVotes, observe, probeVote, secondaryVote, type ClusterProbes } from '../../../functions/dr-watchdog/observation';
import { walIndexesOf } from '../../../functions/dr-watchdog/probe';
import { WATCHDOG_METRICS } from '../../../functions/dr-watchdog/settings';

const base = (name: string) => ({ name, address: `https://vault-${name}.example.com:8200` });
const primaryView = (name: string): ClusterView => ({ ...base(name), role: 'primary', reachable: true, healthStatus: 200, drMode: 'primary', drState: 'running' });
const unreachable = (name: string): ClusterView => ({ ...base(name), role: 'unreachable', reachable: false, problem: 'UND_ERR_CONNECT_TIMEOUT: connect timeout' });
const sealed = (name: string): ClusterView => ({ ...base(name), role: 'sealed', reachable: true, healthStatus: 503, problem: 'sys/health answered 503' });
const secondaryView = (name: string, link: { connected: boolean; heartbeatAgeMs?: number } | undefined, state = 'stream-wals'): ClusterView => ({
  ...base(name),
  role: 'dr-secondary',
  reachable: true,
  healthStatus: 472,
  drMode: 'secondary',
  drState: state,
  connectedToPrimary: link?.connected === true,
  hasKnownPrimary: true,
  ...(link === undefined ? {} : { primaryLink: { connected: link.connected, heartbeatAgeMs: link.heartbeatAgeMs } }),
});

const probes = (name: string, ...views: ClusterView[]): ClusterProbes => ({ name, probes: views.map((view) => ({ view })) });

describe('votes', () => {
  it('a probe finds the primary down only when no active node answered it', () => {
    expect(probeVote(unreachable('east'))).toBe('down');
    expect(probeVote(sealed('east'))).toBe('down');
    expect(probeVote({ ...primaryView('east'), role: 'no-leader', healthStatus: 474 })).toBe('down');
    expect(probeVote({ ...primaryView('east'), role: 'error', healthStatus: 500 })).toBe('down');
    expect(probeVote(primaryView('east'))).toBe('alive');
    // Demoted (a switchover, or an operator): something is being done to it, no disaster.
    expect(probeVote(secondaryView('east', undefined, 'idle'))).toBe('alive');
  });

  it('the secondary sees its primary down only when disconnected with a stale heartbeat', () => {
    expect(secondaryVote(secondaryView('west', { connected: true, heartbeatAgeMs: 1_000 }), 15_000)).toBe('alive');
    expect(secondaryVote(secondaryView('west', { connected: false, heartbeatAgeMs: 5_000 }), 15_000)).toBe('alive');
    expect(secondaryVote(secondaryView('west', { connected: false, heartbeatAgeMs: 15_000 }), 15_000)).toBe('down');
    expect(secondaryVote(secondaryView('west', { connected: false }), 15_000)).toBe('down');
    expect(secondaryVote(secondaryView('west', undefined), 15_000)).toBe('unknown');
    expect(secondaryVote(unreachable('west'), 15_000)).toBe('unknown');
  });

  it('several answers of one vantage point: any alive wins, then unknown; down needs them all', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('down' as const, 'alive' as const, 'unknown' as const)), (votes) => {
        const combined = combineVotes(votes);
        if (votes.includes('alive')) expect(combined).toBe('alive');
        else if (votes.length === 0 || votes.includes('unknown')) expect(combined).toBe('unknown');
        else expect(combined).toBe('down');
      }),
    );
  });
});

describe('roles', () => {
  it('the DR secondary that knows a primary is the secondary, the other the watched primary, whatever the order', () => {
    expect(assignRoles([probes('east', unreachable('east')), probes('west', secondaryView('west', { connected: false }))], undefined)).toEqual({ primary: 'east', secondary: 'west' });
    expect(assignRoles([probes('west', secondaryView('west', { connected: true })), probes('east', primaryView('east'))], undefined)).toEqual({ primary: 'east', secondary: 'west' });
  });

  it('without a DR secondary, the one active primary is watched; a silent pair keeps the last roles; otherwise none', () => {
    expect(assignRoles([probes('east', primaryView('east')), probes('west', unreachable('west'))], undefined)).toEqual({ primary: 'east', secondary: 'west' });
    expect(assignRoles([probes('east', unreachable('east')), probes('west', unreachable('west'))], { primary: 'east', secondary: 'west' })).toEqual({ primary: 'east', secondary: 'west' });
    expect(assignRoles([probes('east', unreachable('east')), probes('west', unreachable('west'))], undefined)).toEqual({ primary: undefined, secondary: undefined });
    expect(assignRoles([probes('east', primaryView('east')), probes('west', primaryView('west'))], undefined)).toEqual({ primary: undefined, secondary: undefined });
  });
});

describe('a run', () => {
  it('a dead primary: every probe down, the secondary disconnected and stale, the lag unknown this run', () => {
    const o = observe(1_000, [probes('east', unreachable('east'), unreachable('east'), sealed('east')), probes('west', secondaryView('west', { connected: false, heartbeatAgeMs: 60_000 }))], undefined, 15_000);
    expect(o.round).toEqual({ atMs: 1_000, primary: 'east', secondary: 'west', probes: ['down', 'down', 'down'], secondaryView: 'down', secondaryHealthy: true });
    expect(o.primaryActive).toBe(false);
    expect(o.secondaryStreaming).toBe(true);
    expect(o.heartbeatAgeMs).toBe(60_000);
  });

  it('reads the lag only while both answer and the secondary is healthy', () => {
    const healthy = observe(
      1_000,
      [
        { name: 'east', probes: [{ view: primaryView('east'), lastWal: 120 }, { view: primaryView('east'), lastWal: 118 }] },
        { name: 'west', probes: [{ view: secondaryView('west', { connected: true, heartbeatAgeMs: 100 }), lastRemoteWal: 115 }] },
      ],
      undefined,
      15_000,
    );
    expect(healthy.round.walGap).toBe(5);
    const merkle = observe(
      1_000,
      [
        { name: 'east', probes: [{ view: primaryView('east'), lastWal: 120 }] },
        { name: 'west', probes: [{ view: secondaryView('west', { connected: true }, 'merkle-sync'), lastRemoteWal: 10 }] },
      ],
      undefined,
      15_000,
    );
    expect(merkle.round.walGap).toBeUndefined();
    expect(merkle.round.secondaryHealthy).toBe(false);
    expect(merkle.secondaryStreaming).toBe(false);
  });

  it('takes the DR WAL index Vault reports for a primary, else its last WAL; numbers may come as strings', () => {
    expect(walIndexesOf({ mode: 'primary', last_wal: 90, last_dr_wal: 95 } as never)).toEqual({ lastWal: 95 });
    expect(walIndexesOf({ mode: 'primary', last_wal: '90' })).toEqual({ lastWal: 90 });
    expect(walIndexesOf({ mode: 'secondary', last_remote_wal: '88' })).toEqual({ lastRemoteWal: 88 });
    expect(walIndexesOf({ mode: 'secondary', last_remote_wal: 'x' })).toEqual({});
    expect(walIndexesOf({ mode: 'disabled' })).toEqual({});
  });
});

describe('metric lines', () => {
  it('prints one Embedded Metric Format line for the pair and one per cluster, leaving out what is unknown', () => {
    const observation = observe(1_700_000_000_000, [probes('east', unreachable('east'), sealed('east')), probes('west', unreachable('west'))], undefined, 15_000);
    const lines = watchdogMetricLines('dev-main', 1_700_000_000_000, {
      observation,
      armed: true,
      action: { kind: 'none', why: 'x' },
      agreedNow: false,
      failoverStarted: false,
      pageFailed: false,
    }).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const [pair, east, west] = lines;
    expect(pair._aws).toEqual({
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [{ Namespace: 'VaultDR', Dimensions: [['Environment']], Metrics: expect.arrayContaining([{ Name: 'WatchdogRun', Unit: 'Count' }]) }],
    });
    expect(pair).toMatchObject({ Environment: 'dev-main', WatchdogRun: 1, WatchdogArmed: 1, PrimaryActive: 0, SecondaryStreaming: 0, WatchdogWouldFailOver: 0 });
    // The secondary's view is unknown (it did not answer): no point rather than a zero.
    expect(pair).not.toHaveProperty(WATCHDOG_METRICS.secondarySeesPrimary);
    expect(pair).not.toHaveProperty(WATCHDOG_METRICS.walGap);
    expect(east._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Environment', 'Cluster']]);
    expect(east).toMatchObject({ Environment: 'dev-main', Cluster: 'east', ClusterReachable: 1, ClusterActivePrimary: 0, ClusterSealedAnswers: 1 });
    expect(west).toMatchObject({ Cluster: 'west', ClusterReachable: 0 });
    // Every metric named in a directive has its value at the top level (EMF's rule).
    for (const line of lines) for (const m of line._aws.CloudWatchMetrics[0].Metrics) expect(typeof line[m.Name]).toBe('number');
  });
});

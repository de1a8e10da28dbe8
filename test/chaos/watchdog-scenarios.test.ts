/**
 * The watchdog's drill scenarios must be able to fail. Their checks are run on outcomes written
 * here from the scenarios' stories (a correct run, then the same run broken one way at a time), and
 * the partition scenario is run for real with the replication link cut too, so that the secondary's
 * own view agrees with the watchdog's probes: the watchdog then fails over while the primary is
 * alive for clients, and the scenario must say so.
 */
import type { WatchdogAnswer } from '../../functions/dr-watchdog/handler';
import type { Round } from '../../functions/dr-watchdog/decision';
import { runScenario } from '../../scripts/drill/run-scenario';
import auto from '../../scripts/drill/scenarios/auto';
import partition, { DEATH_AT_MS, PARTITION_AT_MS } from '../../scripts/drill/scenarios/watchdog-partition';
import { firstRunRuleMet, watchdogTiming } from '../../scripts/drill/watchdog';
import { useChaosDoubles } from './use-chaos-doubles';
import type { RunReport } from './run-schedule';
import type { WatchdogRunRecord } from './scheduled-watchdog';

const MINUTE = 60_000;
const STARTING = 'Vault DR dev: automatic failover from east to west starting';
const SUCCEEDED = 'Vault DR dev: automatic failover succeeded (east -> west)';

type Votes = 'healthy' | 'dead' | 'partitioned' | 'after';
const rounds: Record<Votes, Omit<Round, 'atMs'>> = {
  healthy: { primary: 'east', secondary: 'west', probes: ['alive', 'alive', 'alive'], secondaryView: 'alive', secondaryHealthy: true, walGap: 0 },
  dead: { primary: 'east', secondary: 'west', probes: ['down', 'down', 'down'], secondaryView: 'down', secondaryHealthy: true },
  partitioned: { primary: 'east', secondary: 'west', probes: ['down', 'down', 'down'], secondaryView: 'alive', secondaryHealthy: true },
  after: { primary: 'west', secondary: 'east', probes: ['alive', 'alive', 'alive'], secondaryView: 'unknown', secondaryHealthy: false },
};

/** One scheduled run (minute `n`, observed 2 s into it) that saw `votes` and did `did` (disarmed by then after a failover). */
function run(n: number, votes: Votes, did: 'none' | 'failover' | 'hold' = 'none', armed = did !== 'failover' && votes !== 'after'): WatchdogRunRecord {
  const observedAtMs = n * MINUTE + 2000;
  const action: WatchdogAnswer['action'] =
    did === 'failover'
      ? { kind: 'failover', primary: 'east', secondary: 'west' }
      : did === 'hold'
        ? { kind: 'hold', because: 'mode-notify', why: 'would fail over now', primary: 'east', secondary: 'west' }
        : { kind: 'none', why: 'not met' };
  const answer = {
    command: 'observe',
    mode: 'auto',
    armed,
    state: { armed },
    action,
    evidence: [],
    round: { atMs: 1_000_000 + observedAtMs, ...rounds[votes] },
    ...(did === 'none' ? {} : { page: { sent: true } }),
    ...(did === 'failover' ? { failover: { outcome: 'succeeded', summary: 'west promoted and is the active primary', next: null } } : {}),
  } as WatchdogAnswer;
  const primaryActive = votes === 'healthy' || votes === 'after' ? 1 : 0;
  const metrics = [{ dimensions: { Environment: 'dev' }, values: { PrimaryActive: primaryActive }, timestamp: answer.round!.atMs }];
  return { scheduledAtMs: n * MINUTE, observedAtMs, endedAtMs: observedAtMs + 500, tookRealMs: 300, timeoutMs: 18_000, answer, metrics };
}

function report(runs: WatchdogRunRecord[], over: Partial<RunReport> = {}, faultAtMs = 90_000): RunReport {
  const decided = runs.find((r) => r.answer?.action?.kind === 'failover')?.observedAtMs;
  return {
    verdict: { violations: [], lost: [], rpo: [], quietEndsChecked: 0, excusedOverlaps: 1 },
    realMs: 40_000,
    invocations: [],
    convergenceSteps: 1,
    finalPrimary: 'west',
    timeline: '',
    timelineOffsetMs: 0,
    operatorSteps: [],
    events: [],
    versions: { east: '1.21.0', west: '1.21.0' },
    clientWrites: { accepted: 50, refused: 0, unanswered: 10 },
    faults: [{ atMs: faultAtMs, what: 'east blackhole on' }],
    activePrimaries: [{ cluster: 'east', fromMs: 0, toMs: faultAtMs }, ...(decided === undefined ? [] : [{ cluster: 'west', fromMs: decided + 10_000 }])],
    watchdog: {
      spec: { mode: 'auto', firstAtMs: 0, intervalMs: MINUTE, runs: runs.length },
      runs,
      pages: decided === undefined ? [] : [{ subject: STARTING, message: '' }, { subject: SUCCEEDED, message: '' }],
      dns: [{ atMs: 1000, weights: { east: 255, west: 0 } }, ...(decided === undefined ? [] : [{ atMs: decided + 14_000, weights: { east: 0, west: 255 } }])],
    },
    ...over,
  };
}

describe('auto: its checks fail a wrong outcome', () => {
  // east dies at +90 s; runs at +2, 3, 4 minutes agree; the fourth minute's covers the window.
  const correct = (): WatchdogRunRecord[] => [run(0, 'healthy'), run(1, 'healthy'), run(2, 'dead'), run(3, 'dead'), run(4, 'dead', 'failover'), run(5, 'after'), run(6, 'after'), run(7, 'after')];

  it('passes the outcome of its story, and times it', () => {
    const r = report(correct());
    expect(auto.expect(r)).toEqual([]);
    expect(watchdogTiming(r)).toEqual(expect.objectContaining({ decidedAtMs: 242_000, timeToDetectMs: 152_000, timeToRecoverMs: 166_000, from: 'east', to: 'west' }));
  });

  it('fails when the watchdog never fails over (notify, or a rule never met)', () => {
    const runs = correct().map((r, i) => (i === 4 ? run(4, 'dead', 'hold') : i > 4 ? run(i, 'dead', 'none') : r));
    expect(auto.expect(report(runs))).toEqual(expect.arrayContaining(['the watchdog should have decided one failover, decided 0', 'no time to detect: no failover decision after the fault']));
  });

  it('fails a failover before the window is covered', () => {
    const runs = correct().map((r, i) => (i === 3 ? run(3, 'dead', 'failover') : i === 4 ? run(4, 'dead', 'none', false) : r));
    expect(auto.expect(report(runs)).join('\n')).toMatch(/should have failed over at the first run where every vantage point had agreed for the window \(the run at \+240000 ms\), did at the run at \+180000 ms/);
  });

  it('fails a failover a run later than the rule allows', () => {
    const runs = correct().map((r, i) => (i === 4 ? run(4, 'dead') : i === 5 ? run(5, 'dead', 'failover') : r));
    expect(auto.expect(report(runs)).join('\n')).toMatch(/the run at \+240000 ms\), did at the run at \+300000 ms/);
  });

  it('fails a second failover, a watchdog that re-arms itself, missing pages, DNS left behind', () => {
    const twice = correct().map((r, i) => (i === 6 ? run(6, 'dead', 'failover') : r));
    expect(auto.expect(report(twice))).toEqual(expect.arrayContaining(['the watchdog should have decided one failover, decided 2']));
    const rearmed = correct().map((r, i) => (i === 6 ? run(6, 'after', 'none', true) : r));
    expect(auto.expect(report(rearmed))).toEqual(['after its failover the watchdog should stay disarmed and find nothing to do (west is the primary)']);
    const good = report(correct());
    const silent = { ...good, watchdog: { ...good.watchdog!, pages: [{ subject: STARTING, message: '' }] } };
    expect(auto.expect(silent)).toEqual([`the pages should be "starting" then "succeeded", got ${JSON.stringify([STARTING])}`]);
    const stuck = { ...good, watchdog: { ...good.watchdog!, dns: good.watchdog!.dns.slice(0, 1) } };
    expect(auto.expect(stuck)).toEqual(['DNS never pointed at west alone while the watchdog ran']);
  });

  it('the rule read from the runs: a run that cannot tell (unknown) or a gap restarts the window', () => {
    const unknown = { ...run(3, 'dead'), answer: { ...run(3, 'dead').answer!, round: { ...run(3, 'dead').answer!.round!, secondaryView: 'unknown' as const } } };
    expect(firstRunRuleMet(report([run(0, 'healthy'), run(2, 'dead'), unknown, run(4, 'dead'), run(5, 'dead'), run(6, 'dead')]))?.scheduledAtMs).toBe(6 * MINUTE);
    expect(firstRunRuleMet(report([run(0, 'healthy'), run(2, 'dead'), run(5, 'dead'), run(6, 'dead'), run(7, 'dead')]))?.scheduledAtMs).toBe(7 * MINUTE);
    // Three runs a hair short of the window are not enough.
    const early = { ...run(4, 'dead'), observedAtMs: 4 * MINUTE + 1999 };
    expect(firstRunRuleMet(report([run(2, 'dead'), run(3, 'dead'), early, run(5, 'dead')]))?.scheduledAtMs).toBe(5 * MINUTE);
  });
});

describe('watchdog-partition: its checks fail a wrong outcome', () => {
  // Partition at +90 s (runs at minutes 2-5 partitioned), east dies at +310 s (minutes 6-8 agree).
  const correct = (): WatchdogRunRecord[] => [
    run(0, 'healthy'),
    run(1, 'healthy'),
    ...[2, 3, 4, 5].map((n) => run(n, 'partitioned')),
    run(6, 'dead'),
    run(7, 'dead'),
    run(8, 'dead', 'failover'),
    run(9, 'after'),
    run(10, 'after'),
  ];
  const partitionReport = (runs: WatchdogRunRecord[]): RunReport => {
    const r = report(runs, {}, DEATH_AT_MS);
    return {
      ...r,
      faults: [{ atMs: PARTITION_AT_MS, what: 'east functions blackhole on' }, { atMs: DEATH_AT_MS, what: 'east down on' }],
      activePrimaries: [{ cluster: 'east', fromMs: 0, toMs: DEATH_AT_MS }, ...r.activePrimaries.slice(1)],
    };
  };

  it('passes the outcome of its story', () => {
    expect(partition.expect(partitionReport(correct()))).toEqual([]);
  });

  it('fails a failover while the primary is alive for clients (the DR side alone lost it)', () => {
    const runs = correct().map((r, i) => (i === 4 ? run(4, 'partitioned', 'failover') : i > 4 ? run(i, 'after') : r));
    expect(partition.expect(partitionReport(runs))).toEqual(
      expect.arrayContaining([`the watchdog decided to fail over at +242000 ms, while east was alive and served clients (it died at +${DEATH_AT_MS} ms): the DR side's view alone is no agreement`]),
    );
  });

  it('fails a page during the partition, no PrimaryActive 0 for the alarm, a partition too short to prove anything, and no failover once east died', () => {
    const paged = correct().map((r, i) => (i === 3 ? { ...r, answer: { ...r.answer!, page: { sent: true } } } : r));
    expect(partition.expect(partitionReport(paged))).toEqual(['the run at +180000 ms paged during the partition (the rule is not met: no page)']);
    const active = correct().map((r, i) => (i === 2 ? { ...r, metrics: [{ ...r.metrics[0]!, values: { PrimaryActive: 1 } }] } : r));
    expect(partition.expect(partitionReport(active))).toEqual(['the run at +120000 ms should have published PrimaryActive 0 (the no-active-primary alarm reads it)']);
    const short = correct().filter((_, i) => i !== 3 && i !== 4);
    expect(partition.expect(partitionReport(short))).toEqual(['2 runs in the partition, fewer than the 3 that cover the window']);
    const never = correct().map((r, i) => (i === 8 ? run(8, 'dead', 'hold') : r));
    expect(partition.expect(partitionReport(never))).toEqual(expect.arrayContaining(['once east died the watchdog should have failed over once, did 0 time(s)']));
  });
});

describe('watchdog-partition, run for real with the secondary cut off too', () => {
  const doubles = useChaosDoubles();

  it('reports the failover the watchdog then makes while clients still write to east', async () => {
    const cut = { atMs: PARTITION_AT_MS, forMs: null, fault: { kind: 'network', cluster: 'east', network: 'replication', state: 'blackhole' } } as const;
    // The window is covered by minute 4 or 5: the runs until the death are enough to see it.
    const variant = { ...partition, schedule: { ...partition.schedule, faults: [...partition.schedule.faults, cut], watchdog: { ...partition.schedule.watchdog!, runs: 6 } } };
    const { report: r, problems } = await runScenario(doubles().aws, doubles().tap, variant);
    expect(problems.join('\n')).toMatch(/the watchdog decided to fail over at \+\d+ ms, while east was alive and served clients/);
    expect(r.watchdog?.runs.some((x) => x.answer?.action?.kind === 'failover' && (x.observedAtMs ?? Infinity) < DEATH_AT_MS)).toBe(true);
  }, 120_000);
});

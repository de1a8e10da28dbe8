/**
 * The three-clusters drill scenario must be able to fail. Its read measurements and checks are run
 * on outcomes written here from the story (a correct run, then the same run broken one way at a
 * time), and the scenario is run for real twice more, broken in the world: south's clients cut off
 * (the reader and the oracle's invariant 7 must both say its clients could not read), and
 * dr-operations not told about south (south keeps following the dead east: the oracle finds no
 * convergence, and the scenario must say why). The correct run itself is in chaos.test.ts with every scenario.
 */
import type { Env } from '../../functions/shared/settings/variables';
import { readAvailability, type ReadAttempt } from '../../scripts/drill/performance-reader';
import { runScenario } from '../../scripts/drill/run-scenario';
import type { DrillScenario } from '../../scripts/drill/scenario';
import scenario, { DEATH_AT_MS, judgeThreeClusters, type ThreeClustersObservation } from '../../scripts/drill/scenarios/three-clusters';
import type { DrWorld } from '../support/dr-harness';
import type { PerformanceFollowInterval } from '../vault-simulator';
import { useChaosDoubles } from './use-chaos-doubles';

const T0 = 1_000_000;

/** A read every 1.1 s from +0.1 s to +29.8 s (each takes 100 ms), served unless `outcome` says otherwise. */
function reads(outcome: (startedAtMs: number) => ReadAttempt['outcome'] = () => 'served'): ReadAttempt[] {
  return Array.from({ length: 28 }, (_, i) => {
    const startedAt = T0 + 100 + i * 1100;
    const o = outcome(startedAt - T0);
    return { n: i + 1, startedAt, endedAt: startedAt + 100, outcome: o, ...(o === 'no-answer' ? {} : { status: o === 'served' ? 200 : 503 }) };
  });
}

/** The story: south follows east, loses it when east dies at +5 s, follows west, connected, from +21 s. */
const following: PerformanceFollowInterval[] = [
  { cluster: 'south', primary: 'east', connected: true, from: T0 - 10_000, to: T0 + 14_000 },
  { cluster: 'south', primary: 'east', connected: false, from: T0 + 14_000, to: T0 + 21_000 },
  { cluster: 'south', primary: 'west', connected: true, from: T0 + 21_000, to: undefined },
];

function correct(over: Partial<ThreeClustersObservation> = {}): ThreeClustersObservation {
  return {
    t0: T0,
    reader: { attempts: reads(), startedAt: T0, stoppedAt: T0 + 31_000, timeoutMs: 2000 },
    healedAt: T0 + 25_000,
    following,
    updatePrimary: [{ status: 200, simulatedAt: T0 + 20_900 }],
    ...over,
  };
}

describe('readAvailability', () => {
  const a = (startedAt: number, endedAt: number, outcome: ReadAttempt['outcome']): ReadAttempt => ({ n: 0, startedAt, endedAt, outcome });

  it('counts the attempts started in the window and measures the longest stretch with no served read, the edges included', () => {
    const attempts = [a(0, 10, 'served'), a(1000, 1010, 'no-answer'), a(2000, 2010, 'refused'), a(3000, 3010, 'served'), a(4000, 4010, 'served'), a(9000, 9010, 'served')];
    expect(readAvailability(attempts, 0, 5000)).toEqual({ attempted: 5, served: 3, refused: 1, unanswered: 1, longestGap: { ms: 3000, from: 10, to: 3010 } });
    // From the last served read to the end of the window is a gap too.
    expect(readAvailability(attempts, 3500, 8500).longestGap).toEqual({ ms: 4490, from: 4010, to: 8500 });
    expect(readAvailability([], 0, 2000)).toEqual({ attempted: 0, served: 0, refused: 0, unanswered: 0, longestGap: { ms: 2000, from: 0, to: 2000 } });
  });
});

describe('three-clusters checks, on outcomes written from the story', () => {
  const west = { finalPrimary: 'west' };

  it('passes the story and prints what it measured', () => {
    const { lines, problems } = judgeThreeClusters(correct(), west);
    expect(problems).toEqual([]);
    const text = lines.join('\n');
    expect(text).toContain('schedule (+0.0 s to +25.0 s, every fault healed): 23 reads attempted, 23 served, 0 refused, 0 unanswered; longest gap without a served read 1.1 s (+0.2 s to +1.3 s; a read may take 2.0 s)');
    expect(text).toContain(`failover (east dies at +${(DEATH_AT_MS / 1000).toFixed(1)} s, south follows west, connected, at +21.0 s): 15 reads attempted, 15 served`);
    expect(text).toContain('while the oracle converged (the simulated clock jumps ahead: no gap measured): 5 reads attempted, 5 served');
    expect(text).toContain('update-primary received by south: +20.9 s (200)');
    expect(text).toContain('at the end south follows west, connected');
  });

  it('fails south still following east, or following west but not connected, at the end', () => {
    const stuck = correct({ following: following.slice(0, 2).map((f, i) => (i === 1 ? { ...f, to: undefined } : f)), updatePrimary: [] });
    expect(judgeThreeClusters(stuck, west).problems).toEqual([
      'south should follow the final primary (west), connected, at the end; it follows east, not connected',
      'south should have accepted update-primary from dr-operations; it received 0 (none accepted)',
      'south never followed west, connected, after east died',
    ]);
    const unlinked = correct({ following: [...following.slice(0, 2), { cluster: 'south', primary: 'west', connected: false, from: T0 + 21_000, to: undefined }] });
    expect(judgeThreeClusters(unlinked, west).problems).toEqual([
      'south should follow the final primary (west), connected, at the end; it follows west, not connected',
      'south never followed west, connected, after east died',
    ]);
  });

  it('fails an update-primary south refused, and a final primary other than west', () => {
    expect(judgeThreeClusters(correct({ updatePrimary: [{ status: 400, simulatedAt: T0 + 20_900 }] }), west).problems).toEqual([
      'south should have accepted update-primary from dr-operations; it received 1 (none accepted)',
    ]);
    expect(judgeThreeClusters(correct(), { finalPrimary: 'east' }).problems).toEqual([
      'west should be the primary in the end, found east',
      'south should follow the final primary (east), connected, at the end; it follows west, connected',
    ]);
  });

  it('fails a refused read, two unanswered reads, reads that stop during the failover, and a reader that stalls', () => {
    const refused = correct({ reader: { ...correct().reader, attempts: reads((ms) => (ms > 9500 && ms < 10_500 ? 'refused' : 'served')) } });
    expect(judgeThreeClusters(refused, west).problems).toEqual(['1 read(s) of south refused: its clients could not read']);
    // One unanswered read on a loaded machine is not a stop; two are reported.
    const once = correct({ reader: { ...correct().reader, attempts: reads((ms) => (ms > 9500 && ms < 10_500 ? 'no-answer' : 'served')) } });
    expect(judgeThreeClusters(once, west).problems).toEqual([]);
    const twice = correct({ reader: { ...correct().reader, attempts: reads((ms) => (ms > 9500 && ms < 11_500 ? 'no-answer' : 'served')) } });
    expect(judgeThreeClusters(twice, west).problems).toEqual(['2 read(s) of south not served']);
    const stopped = correct({ reader: { ...correct().reader, attempts: reads((ms) => (ms > DEATH_AT_MS && ms < 22_000 ? 'refused' : 'served')) } });
    expect(judgeThreeClusters(stopped, west).problems).toEqual([
      'no read of south was served during the failover',
      '15 read(s) of south refused: its clients could not read',
      '15 read(s) of south not served',
      'the clients of south went 17.6 s without a served read (+4.6 s to +22.2 s), past 6.0 s',
    ]);
    // Every read served, but none attempted for a while: two intervals and two read timeouts (6 s) is the most one lost read explains.
    const stalled = correct({ reader: { ...correct().reader, attempts: reads().filter((r) => r.startedAt - T0 < 10_000 || r.startedAt - T0 > 16_000) } });
    expect(judgeThreeClusters(stalled, west).problems).toEqual(['the clients of south went 7.7 s without a served read (+9.0 s to +16.7 s), past 6.0 s']);
  });
});

describe('three-clusters, run for real and broken in the world', () => {
  const doubles = useChaosDoubles();

  /** The scenario with more set-up after its own (after the reader's value reached south). */
  const broken = (more: (w: DrWorld) => Promise<void>): DrillScenario => ({
    ...scenario,
    companion: () => {
      const c = (scenario.companion as NonNullable<DrillScenario['companion']>)();
      return {
        ...c,
        prepare: async (w) => {
          await c.prepare?.(w);
          await more(w);
        },
      };
    },
  });

  it("south's clients cut off: the reader and the oracle's invariant 7 both say its clients could not read", async () => {
    // Not a fault of the schedule (its kinds name east and west): the oracle is not told.
    const { report, problems } = await runScenario(doubles().aws, doubles().tap, broken((w) => w.vault.cluster('south').setNetwork('clients', 'refused')));
    expect(report.verdict.violations.filter((v) => v.invariant === 7).map((v) => v.message).join('\n')).toMatch(/clients of performance secondary south could not read/);
    expect(problems.join('\n')).toMatch(/read\(s\) of south not served/);
    expect(problems.join('\n')).toMatch(/the clients of south went \d+\.\d s without a served read/);
  }, 120_000);

  it('dr-operations not told about south: south keeps following the dead east; the oracle finds no convergence and the scenario says why', async () => {
    const { report, problems } = await runScenario(
      doubles().aws,
      doubles().tap,
      broken(async (w) => {
        // An operator who left south out of the construct's performanceSecondaries: the function's variable is unset.
        delete (w.env.operations as Env & Record<string, string | undefined>).VAULT_PERFORMANCE_SECONDARIES;
      }),
    );
    // The run's convergence requires south to follow the primary, and no command of the functions
    // re-points a secondary they do not know: the oracle reports invariant 2 (no convergence); its
    // invariant 6 at the end of the run is judged on a converged run only.
    expect(report.verdict.violations.map((v) => v.invariant)).toContain(2);
    expect(report.verdict.violations.find((v) => v.invariant === 2)?.message).toMatch(/^no convergence: /);
    expect(problems).toEqual([
      'west should be the primary in the end, found none (the run did not converge)',
      'south should follow the final primary (none), connected, at the end; it follows east, not connected',
      'south should have accepted update-primary from dr-operations; it received 0 (none accepted)',
      'south never followed west, connected, after east died',
    ]);
  }, 120_000);
});

/**
 * The oracle must fail a run that breaks an invariant: each test takes a run that passes and
 * breaks one thing, written from the invariant's wording, not from the oracle's code.
 */
import { judgeRun, saysNotDemoted, secretForms, type InvocationRecord, type RunObservation } from './oracle';

const T = 1_000_000;
const failover = (over: Partial<InvocationRecord> = {}): InvocationRecord => ({
  id: 1,
  who: 'operator A',
  fn: 'dr-operations',
  event: { operation: 'failover' },
  chained: false,
  startedReal: 0,
  endedReal: 500,
  startedSim: T,
  endedSim: T + 20_000,
  timeoutMs: 3000,
  answer: { outcome: 'succeeded', summary: 'west promoted', next: { function: 'dr-operations', event: { operation: 'link', demote: 'east' }, why: '...' }, warnings: ['east was not demoted (unreachable); ...'] },
  atEnd: { activePrimaries: ['west'], weights: { east: 0, west: 255 } },
  ...over,
});

/** A disaster failover: east unreachable from +1 s, west promoted at +10 s, DNS on west; no client write lost. */
const passing = (): RunObservation => ({
  clusters: ['east', 'west'],
  invocations: [failover()],
  faultEvents: [{ at: T - 1000, what: 'east blackhole on' }],
  overlaps: [],
  activePrimaryIntervals: [
    { cluster: 'east', from: 0, to: T - 1000 },
    { cluster: 'west', from: T + 12_000, to: undefined },
  ],
  promotions: [{ cluster: 'west', at: T + 10_000, held: ['east#1', 'east#2'] }],
  answering: [
    { at: 0, answering: { east: true, west: false } },
    { at: T - 1000, answering: { east: false, west: false } },
    { at: T + 12_000, answering: { east: false, west: true } },
  ],
  clientWrites: [
    { id: 'east#1', cluster: 'east', node: 'east-0', path: 'chaos/w1', at: T - 5000, walIndex: 1, answered: true },
    { id: 'east#2', cluster: 'east', node: 'east-0', path: 'chaos/w2', at: T - 3000, walIndex: 2, answered: true },
  ],
  convergence: { steps: [], converged: true, finalPrimary: 'west' },
  heldByFinal: ['east#1', 'east#2'],
  logLines: ['{"level":"info","message":"west promoted"}'],
  secrets: ['hvs.CAESIJlU0DnRxK3nRBT7mZ0Ew8PTjQlkd', 'AAAAQ+w1Xj9zU2RvbWVUb2tlbg=='],
});

const invariantsOf = (o: RunObservation): number[] => judgeRun(o).violations.map((v) => v.invariant);

it('passes the run it is given when nothing is wrong', () => {
  expect(judgeRun(passing()).violations).toEqual([]);
});

describe('1. never two clusters accepting client writes at once, unless excused and said first', () => {
  const overlap = { from: T + 12_000, to: T + 30_000, clusters: ['east', 'west'] };
  it('excuses a two-writer period after a promotion while the old primary did not answer the functions, when the first warning says it was not demoted', () => {
    expect(judgeRun({ ...passing(), overlaps: [overlap] })).toMatchObject({ violations: [], excusedOverlaps: 1 });
  });
  it('fails when the old primary answered the functions throughout and the failover was not forced', () => {
    const o = { ...passing(), overlaps: [overlap], answering: [{ at: 0, answering: { east: true, west: false } }] };
    expect(invariantsOf(o)).toEqual([1]);
    expect(invariantsOf({ ...o, invocations: [failover({ event: { operation: 'failover', force: true } })] })).toEqual([]);
  });
  it('fails when the result does not say first that the old primary was not demoted', () => {
    const quiet = failover({ answer: { ...failover().answer!, warnings: ['something else', 'east was not demoted'] } });
    expect(invariantsOf({ ...passing(), overlaps: [overlap], invocations: [quiet] })).toEqual([1]);
    const failed = failover({ answer: undefined, error: { name: 'StepFailedError', message: 'west accepted the promote but is not active yet', next: null } });
    expect(invariantsOf({ ...passing(), overlaps: [overlap], invocations: [failed] })).toContain(1);
  });
  it('fails when no promotion explains the period', () => {
    expect(invariantsOf({ ...passing(), overlaps: [{ ...overlap, from: T }], promotions: [] })).toContain(1);
  });
  it('reads "says so" as naming the cluster and that it was not demoted', () => {
    expect(saysNotDemoted('east was not demoted (unreachable)', 'east')).toBe(true);
    expect(saysNotDemoted('east could not be demoted (HTTP 500)', 'east')).toBe(true);
    expect(saysNotDemoted('northeast was not demoted', 'east')).toBe(false);
    expect(saysNotDemoted('east was demoted', 'east')).toBe(false);
  });
});

describe('2. DNS on the one active primary, or a next command that gets there', () => {
  it('fails an invocation that ends with next: null while DNS is elsewhere, when nothing else moved during it', () => {
    const claim = failover({ answer: { outcome: 'no-op', summary: '', next: null }, atEnd: { activePrimaries: ['west'], weights: { east: 255, west: 0 } } });
    expect(invariantsOf({ ...passing(), invocations: [claim], faultEvents: [] })).toEqual([2]);
    // A fault during the invocation moved the world under it: not judged literally.
    expect(invariantsOf({ ...passing(), invocations: [claim], faultEvents: [{ at: T + 1000, what: 'x' }] })).toEqual([]);
  });
  it('fails a run whose next commands do not converge', () => {
    expect(invariantsOf({ ...passing(), convergence: { steps: [], converged: false, problem: 'split brain left' }, heldByFinal: [] })).toEqual([2]);
  });
});

describe('3. every invocation answers before its Lambda timeout', () => {
  it('fails one that took longer, or ended without a message', () => {
    expect(invariantsOf({ ...passing(), invocations: [failover({ endedReal: 3001 })] })).toEqual([3]);
    expect(invariantsOf({ ...passing(), invocations: [failover({ answer: undefined, error: { name: 'Error', message: ' ', next: null } })] })).toEqual([3]);
  });
});

describe('4. the writes lost are those a promotion left behind', () => {
  it('accepts the RPO: a write the promoted cluster had not received, and reports it', () => {
    const o = { ...passing(), promotions: [{ cluster: 'west', at: T + 10_000, held: ['east#1'] }], heldByFinal: ['east#1'] };
    const verdict = judgeRun(o);
    expect(verdict.violations).toEqual([]);
    expect(verdict.lost).toEqual(['east#2']);
    expect(verdict.rpo).toEqual([{ cluster: 'west', at: T + 10_000, missing: 1, windowMs: 13_000 }]);
  });
  it('fails a lost write that every promotion carried', () => {
    expect(invariantsOf({ ...passing(), heldByFinal: ['east#1'] })).toEqual([4]);
  });
  it('does not count a write whose answer was lost (the client was never told it succeeded)', () => {
    const o = passing();
    const writes = [o.clientWrites[0]!, { ...o.clientWrites[1]!, answered: false }];
    expect(judgeRun({ ...o, clientWrites: writes, heldByFinal: ['east#1'] }).lost).toEqual([]);
  });
});

describe('5. no secret in any log line', () => {
  it('finds a token raw, URL-encoded or base64, and a [redacted] mark', () => {
    const [service, operation] = passing().secrets as [string, string];
    for (const line of [`{"token":"${service}"}`, `{"body":"dr_operation_token=${encodeURIComponent(operation)}"}`, `{"x":"${Buffer.from(service).toString('base64')}"}`, '{"token":"[redacted]"}']) {
      expect(invariantsOf({ ...passing(), logLines: [line] })).toEqual([5]);
    }
    expect(secretForms(operation)).toContain(encodeURIComponent(operation));
  });
});

describe('with a performance secondary (south, of east; issue 12)', () => {
  /** The passing run, south followed east until the failover, then west from its end on, and served reads throughout. */
  const withSouth = (over: Partial<NonNullable<RunObservation['performance']>> = {}, run: Partial<RunObservation> = {}): RunObservation => {
    const base = passing();
    return {
      ...base,
      clusters: ['east', 'west', 'south'],
      performance: {
        secondaries: ['south'],
        following: [
          { cluster: 'south', primary: 'east', connected: true, from: 0, to: T - 1000 },
          { cluster: 'south', primary: 'east', connected: false, from: T - 1000, to: T + 15_000 },
          { cluster: 'south', primary: 'west', connected: true, from: T + 15_000, to: undefined },
        ],
        readable: [{ cluster: 'south', from: 0, to: undefined }],
        ...over,
      },
      ...run,
    };
  };
  const quietLink = (over: Partial<InvocationRecord> = {}): InvocationRecord =>
    failover({
      id: 2,
      event: { operation: 'link' },
      startedReal: 1000,
      endedReal: 1500,
      startedSim: T + 30_000,
      endedSim: T + 31_000,
      answer: { outcome: 'succeeded', summary: 'east is the DR secondary of west', next: null },
      atEnd: { activePrimaries: ['west'], weights: { east: 0, west: 255 } },
      ...over,
    });

  it('passes when south follows the new primary once the failover ends and reads never stop', () => {
    expect(invariantsOf(withSouth())).toEqual([]);
    expect(invariantsOf(withSouth({}, { invocations: [failover(), quietLink()] }))).toEqual([]);
  });

  it('6: fails an operation that ends claiming nothing is left while south follows the demoted or dead east', () => {
    const stuck = [
      { cluster: 'south', primary: 'east', connected: true, from: 0, to: T - 1000 },
      { cluster: 'south', primary: 'east', connected: false, from: T - 1000, to: undefined },
    ];
    const o = withSouth({ following: stuck }, { invocations: [failover(), quietLink()] });
    expect(judgeRun(o).violations.filter((v) => v.invariant === 6).map((v) => v.message)).toEqual([
      expect.stringMatching(/invocation #2 .* south followed east, not an active primary/),
      expect.stringMatching(/at the end of the run performance secondary south follows east, not west/),
    ]);
  });

  it('6: fails a south that knows no primary at the end of the run', () => {
    const forgot = [{ cluster: 'south', primary: undefined, connected: false, from: 0, to: undefined }];
    expect(invariantsOf(withSouth({ following: forgot }))).toEqual([6]);
  });

  it('6: does not judge an end that a fault or another operation overlapped (the world moved under it)', () => {
    const stuckDuringLink = [
      { cluster: 'south', primary: 'east', connected: false, from: 0, to: T + 40_000 },
      { cluster: 'south', primary: 'west', connected: true, from: T + 40_000, to: undefined },
    ];
    const faulted = withSouth({ following: stuckDuringLink }, { invocations: [failover(), quietLink()], faultEvents: [{ at: T + 30_500, what: 'south network functions refused' }] });
    expect(invariantsOf(faulted)).toEqual([]);
  });

  it('7: fails when south stopped serving reads during the failover with no fault on south', () => {
    const gap = [
      { cluster: 'south', from: 0, to: T + 5_000 },
      { cluster: 'south', from: T + 8_000, to: undefined },
    ];
    const violations = judgeRun(withSouth({ readable: gap })).violations;
    expect(violations.map((v) => v.invariant)).toEqual([7]);
    expect(violations[0]?.message).toContain('south');
  });

  it('7: excuses a gap on a south that a fault event names', () => {
    const gap = [{ cluster: 'south', from: 0, to: T + 5_000 }, { cluster: 'south', from: T + 8_000, to: undefined }];
    const o = withSouth({ readable: gap }, { faultEvents: [{ at: T - 1000, what: 'east blackhole on' }, { at: T + 5_000, what: 'south sealed on' }] });
    expect(invariantsOf(o)).toEqual([]);
  });

  it('judges no performance invariant in a two-cluster run', () => {
    const o = passing();
    expect(o.performance).toBeUndefined();
    expect(invariantsOf(o)).toEqual([]);
  });
});

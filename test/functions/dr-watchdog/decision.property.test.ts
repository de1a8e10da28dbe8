/**
 * The watchdog's decision (functions/dr-watchdog/decision.ts) against properties written from the
 * rule itself, not from the code: generated histories, states, modes, leases and settings.
 * fast-check prints the seed and the shrunk counterexample of a failure; replay it with
 * WATCHDOG_PROPERTY_SEED=<seed> (and WATCHDOG_PROPERTY_RUNS for a longer run).
 */
import fc from 'fast-check';
import { arm, decide, INITIAL_STATE, type DecisionInput, type DecisionSettings, type Round, type Vote, type WatchdogState } from '../../../functions/dr-watchdog/decision';
import type { WatchdogMode } from '../../../functions/dr-watchdog/settings';

const seed = process.env.WATCHDOG_PROPERTY_SEED === undefined ? undefined : Number(process.env.WATCHDOG_PROPERTY_SEED);
const numRuns = Number(process.env.WATCHDOG_PROPERTY_RUNS ?? 400);
const params = { numRuns, ...(seed === undefined ? {} : { seed }) };

const NOW = Date.UTC(2026, 10, 25, 21, 0, 0);

const vote: fc.Arbitrary<Vote> = fc.constantFrom('down', 'alive', 'unknown');
/** Mostly 'down', so that agreeing histories are common enough to exercise the rule. */
const mostlyDown: fc.Arbitrary<Vote> = fc.oneof({ weight: 6, arbitrary: fc.constant<Vote>('down') }, { weight: 1, arbitrary: vote });

const settingsArb: fc.Arbitrary<DecisionSettings> = fc.record({
  windowMs: fc.integer({ min: 0, max: 600_000 }),
  minRounds: fc.integer({ min: 1, max: 5 }),
  maxRoundGapMs: fc.integer({ min: 30_000, max: 300_000 }),
  probes: fc.integer({ min: 1, max: 4 }),
  maxWalGap: fc.integer({ min: 0, max: 1000 }),
});

const pairArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ primary: 'east', secondary: 'west' }) },
  { weight: 1, arbitrary: fc.constant({ primary: 'west', secondary: 'east' }) },
  { weight: 1, arbitrary: fc.constant({ primary: undefined, secondary: undefined }) },
  { weight: 1, arbitrary: fc.constant({ primary: 'east', secondary: undefined }) },
);

/** Rounds going back from NOW with gaps, oldest first; the last one is at NOW. */
function historyArb(probesMax: number): fc.Arbitrary<Round[]> {
  const round = fc.record({
    gapMs: fc.integer({ min: 1_000, max: 200_000 }),
    pair: pairArb,
    probes: fc.array(mostlyDown, { minLength: 0, maxLength: probesMax }),
    secondaryView: mostlyDown,
    secondaryHealthy: fc.boolean(),
    walGap: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
  });
  return fc.array(round, { minLength: 1, maxLength: 14 }).map((items) => {
    let at = NOW;
    const out: Round[] = [];
    for (const item of items) {
      out.unshift({
        atMs: at,
        primary: item.pair.primary,
        secondary: item.pair.secondary,
        probes: item.probes,
        secondaryView: item.secondaryView,
        secondaryHealthy: item.secondaryHealthy,
        ...(item.walGap === undefined ? {} : { walGap: item.walGap }),
      });
      at -= item.gapMs;
    }
    return out;
  });
}

const stateArb: fc.Arbitrary<WatchdogState> = fc.record({ armed: fc.boolean(), pagedEpisodeMs: fc.option(fc.integer({ min: NOW - 3_600_000, max: NOW }), { nil: undefined }) }).map(
  ({ armed, pagedEpisodeMs }) => ({ armed, ...(pagedEpisodeMs === undefined ? {} : { pagedEpisodeMs }) }),
);
const modeArb: fc.Arbitrary<WatchdogMode> = fc.constantFrom('off', 'notify', 'auto');
const leaseArb = fc.option(fc.constant('dr-operations switchover (request r-1)'), { nil: undefined, freq: 3 });

const randomInputArb: fc.Arbitrary<DecisionInput> = fc
  .record({ settings: settingsArb, mode: modeArb, state: stateArb, leaseHolder: leaseArb, rounds: historyArb(4) })
  .map(({ settings, mode, state, leaseHolder, rounds }) => ({ settings, mode, state, leaseHolder, rounds, nowMs: NOW }));

/** One change to a history that meets the rule: each may or may not break it. */
type Perturbation =
  | { readonly kind: 'probe'; readonly round: number; readonly probe: number; readonly vote: Vote }
  | { readonly kind: 'secondary-view'; readonly round: number; readonly vote: Vote }
  | { readonly kind: 'drop'; readonly round: number }
  | { readonly kind: 'unhealthy' }
  | { readonly kind: 'swap-pair'; readonly round: number }
  | { readonly kind: 'shift'; readonly round: number; readonly byMs: number };

const perturbationArb: fc.Arbitrary<Perturbation> = fc.oneof(
  fc.record({ kind: fc.constant('probe' as const), round: fc.nat(40), probe: fc.nat(4), vote }),
  fc.record({ kind: fc.constant('secondary-view' as const), round: fc.nat(40), vote }),
  fc.record({ kind: fc.constant('drop' as const), round: fc.nat(40) }),
  fc.constant({ kind: 'unhealthy' as const }),
  fc.record({ kind: fc.constant('swap-pair' as const), round: fc.nat(40) }),
  fc.record({ kind: fc.constant('shift' as const), round: fc.nat(40), byMs: fc.integer({ min: -200_000, max: 200_000 }) }),
);

function perturb(rounds: Round[], p: Perturbation): Round[] {
  if (rounds.length === 0) return rounds;
  const i = 'round' in p ? p.round % rounds.length : rounds.length - 1;
  const r = rounds[i] as Round;
  const replace = (next: Round) => rounds.map((x, k) => (k === i ? next : x));
  switch (p.kind) {
    case 'probe':
      return replace({ ...r, probes: r.probes.map((v, k) => (k === p.probe % Math.max(1, r.probes.length) ? p.vote : v)) });
    case 'secondary-view':
      return replace({ ...r, secondaryView: p.vote });
    case 'drop':
      return rounds.filter((_, k) => k !== i);
    case 'unhealthy':
      return replace({ ...r, secondaryHealthy: false });
    case 'swap-pair':
      return replace({ ...r, primary: r.secondary, secondary: r.primary });
    case 'shift':
      return replace({ ...r, atMs: Math.min(NOW, r.atMs + p.byMs) });
  }
}

/**
 * Histories at the edge of the rule: one that meets it (runs every interval over the window, a lag
 * read before), then a few perturbations, the lag near its bound, a lease, a mode and a state.
 */
const nearRuleInputArb: fc.Arbitrary<DecisionInput> = fc
  .record({
    settings: settingsArb,
    intervalMs: fc.integer({ min: 5_000, max: 150_000 }),
    extraRuns: fc.integer({ min: -2, max: 3 }),
    lagOffset: fc.option(fc.integer({ min: -1, max: 1 }), { nil: undefined, freq: 6 }),
    perturbations: fc.array(perturbationArb, { maxLength: 2 }),
    mode: fc.oneof({ weight: 4, arbitrary: fc.constant<WatchdogMode>('auto') }, { weight: 1, arbitrary: modeArb }),
    state: fc.oneof({ weight: 4, arbitrary: fc.constant(INITIAL_STATE) }, { weight: 1, arbitrary: stateArb }),
    leaseHolder: fc.option(fc.constant('dr-operations link (request r-2)'), { nil: undefined, freq: 5 }),
  })
  .map(({ settings, intervalMs, extraRuns, lagOffset, perturbations, mode, state, leaseHolder }) => {
    const interval = Math.min(intervalMs, settings.maxRoundGapMs);
    const runs = Math.max(1, Math.max(settings.minRounds, Math.ceil(settings.windowMs / interval) + 1) + extraRuns);
    let rounds: Round[] = Array.from({ length: runs }, (_, k) => ({
      atMs: NOW - (runs - 1 - k) * interval,
      primary: 'east',
      secondary: 'west',
      probes: Array<Vote>(settings.probes).fill('down'),
      secondaryView: 'down' as Vote,
      secondaryHealthy: true,
    }));
    if (lagOffset !== undefined) {
      const first = rounds[0] as Round;
      rounds = [{ atMs: first.atMs - interval, primary: 'east', secondary: 'west', probes: ['alive'], secondaryView: 'alive', secondaryHealthy: true, walGap: Math.max(0, settings.maxWalGap + lagOffset) }, ...rounds];
    }
    for (const p of perturbations) rounds = perturb(rounds, p);
    return { settings, mode, state, leaseHolder, rounds, nowMs: NOW };
  });

const inputArb: fc.Arbitrary<DecisionInput> = fc.oneof(randomInputArb, nearRuleInputArb);

// ---- the rule, restated independently of the implementation ----

/** Every vantage point said down in this round, about a known pair, with the probes required. */
const allDown = (r: Round, probes: number): boolean =>
  r.primary !== undefined && r.secondary !== undefined && r.primary !== r.secondary && r.probes.length >= probes && r.probes.every((p) => p === 'down') && r.secondaryView === 'down';

/** The last round in time that read the lag. */
const lastLag = (rounds: readonly Round[]): number | undefined => [...rounds].sort((a, b) => a.atMs - b.atMs).filter((r) => r.walGap !== undefined).at(-1)?.walGap;

/**
 * The rule's evidence condition: walking back from now instant by instant (all the rounds of one
 * instant together), every instant agrees about the pair now watched and is within the largest gap
 * of the next one; the earliest instant so reached is at or before (now - window), and there are at
 * least minRounds instants.
 */
function evidenceHolds(input: DecisionInput): boolean {
  const { settings, nowMs } = input;
  const probes = Math.max(1, settings.probes);
  const instants = [...new Set(input.rounds.filter((r) => r.atMs <= nowMs).map((r) => r.atMs))].sort((a, b) => b - a);
  const latest = input.rounds.filter((r) => r.atMs === instants[0]);
  if (latest.length === 0) return false;
  const pair = latest[0] as Round;
  const agreesAt = (t: number) => input.rounds.filter((r) => r.atMs === t).every((r) => allDown(r, probes) && r.primary === pair.primary && r.secondary === pair.secondary);
  const run: number[] = [];
  for (const t of instants) {
    if (!agreesAt(t)) break;
    if (run.length > 0 && (run.at(-1) as number) - t > settings.maxRoundGapMs) break;
    run.push(t);
  }
  if (run.length === 0) return false;
  return (run.at(-1) as number) <= nowMs - settings.windowMs && run.length >= settings.minRounds;
}

function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>): void {
  fc.assert(property, params);
}

describe('the watchdog decision (property tests; a failure prints its seed)', () => {
  it('never fails over when any vantage point saw the primary alive (or could not tell) within the window', () => {
    check(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        const windowRounds = input.rounds.filter((r) => r.atMs >= input.nowMs - input.settings.windowMs && r.atMs <= input.nowMs);
        const someoneSawItAlive = windowRounds.some((r) => r.probes.some((p) => p !== 'down') || r.secondaryView !== 'down');
        if (someoneSawItAlive) expect(decision.action.kind).not.toBe('failover');
      }),
    );
  });

  it('never fails over unless the mode is auto and the watchdog is armed', () => {
    check(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (input.mode !== 'auto' || !input.state.armed) expect(decision.action.kind).not.toBe('failover');
        if (input.mode === 'off') {
          expect(decision.action.kind).toBe('none');
          expect(decision.page).toBe(false);
        }
      }),
    );
  });

  it('never fails over while another operation holds the lease, the secondary is unhealthy, or the last-known lag is unknown or too large', () => {
    check(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (decision.action.kind !== 'failover') return;
        const current = [...input.rounds].sort((a, b) => a.atMs - b.atMs).at(-1) as Round;
        expect(input.leaseHolder).toBeUndefined();
        expect(current.secondaryHealthy).toBe(true);
        const lag = lastLag(input.rounds);
        expect(lag).toBeDefined();
        expect(lag as number).toBeLessThanOrEqual(input.settings.maxWalGap);
      }),
    );
  });

  it('fails over exactly when the rule holds (every vantage point, the whole window) and nothing blocks it', () => {
    check(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        // The history may be empty (a perturbation dropped its only run).
        const current = [...input.rounds].sort((a, b) => a.atMs - b.atMs).at(-1);
        const lag = lastLag(input.rounds);
        const unblocked =
          input.mode === 'auto' && input.state.armed && input.leaseHolder === undefined && current?.secondaryHealthy === true && lag !== undefined && lag <= input.settings.maxWalGap;
        expect(decision.action.kind === 'failover').toBe(evidenceHolds(input) && unblocked);
        // Whenever the evidence holds in notify or auto, the decision is never 'none'.
        if (evidenceHolds(input) && input.mode !== 'off') expect(decision.action.kind).not.toBe('none');
        if (!evidenceHolds(input)) expect(decision.action.kind).toBe('none');
      }),
    );
  });

  it('a failover disarms before it runs, and pages', () => {
    check(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (decision.action.kind !== 'failover') return;
        expect(decision.state.armed).toBe(false);
        expect(decision.page).toBe(true);
        expect(decision.state.lastFailover).toEqual(expect.objectContaining({ primary: decision.action.primary, target: decision.action.secondary }));
      }),
    );
  });

  it('does not depend on the order the history was kept in', () => {
    check(
      fc.property(inputArb, fc.integer(), (input, salt) => {
        const shuffled = [...input.rounds].sort((a, b) => ((a.atMs * 31 + salt) % 97) - ((b.atMs * 31 + salt) % 97));
        expect(decide({ ...input, rounds: shuffled }).action).toEqual(decide(input).action);
      }),
    );
  });

  it('never fails over twice: run after run, it acts once until an operator arms it again', () => {
    const step = fc.record({ gapMs: fc.integer({ min: 20_000, max: 90_000 }), round: historyArb(3).map((rs) => rs.at(-1) as Round), armNow: fc.boolean() });
    check(
      fc.property(
        fc.record({ settings: settingsArb, steps: fc.array(step, { minLength: 1, maxLength: 30 }), allDownRun: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }) }),
        ({ settings, steps, allDownRun }) => {
          let state: WatchdogState = INITIAL_STATE;
          let rounds: Round[] = [];
          let at = NOW;
          let failoversSinceArm = 0;
          steps.forEach((s, i) => {
            at += s.gapMs;
            // Half the time an all-down run with a known lag, so failovers do happen.
            const round: Round = allDownRun[i]
              ? { atMs: at, primary: 'east', secondary: 'west', probes: Array(settings.probes).fill('down'), secondaryView: 'down', secondaryHealthy: true, walGap: 0 }
              : { ...s.round, atMs: at };
            rounds = [...rounds, round];
            const decision = decide({ mode: 'auto', state, rounds, leaseHolder: undefined, nowMs: at, settings });
            if (decision.action.kind === 'failover') failoversSinceArm += 1;
            expect(failoversSinceArm).toBeLessThanOrEqual(1);
            state = decision.state;
            if (s.armNow && !state.armed) {
              state = arm(state);
              failoversSinceArm = 0;
            }
          });
        },
      ),
    );
  });

  it('always fails over once every vantage point has agreed for the window and the secondary is healthy', () => {
    const arb = fc.record({
      settings: settingsArb,
      intervalMs: fc.integer({ min: 5_000, max: 120_000 }),
      extraRuns: fc.integer({ min: 0, max: 3 }),
      lagAgoRuns: fc.integer({ min: 0, max: 3 }),
    });
    check(
      fc.property(arb, ({ settings, intervalMs, extraRuns, lagAgoRuns }) => {
        const interval = Math.min(intervalMs, settings.maxRoundGapMs);
        const runs = Math.max(settings.minRounds, Math.ceil(settings.windowMs / interval) + 1) + extraRuns;
        const rounds: Round[] = Array.from({ length: runs }, (_, k) => ({
          atMs: NOW - (runs - 1 - k) * interval,
          primary: 'east',
          secondary: 'west',
          probes: Array(settings.probes).fill('down'),
          secondaryView: 'down',
          secondaryHealthy: true,
        }));
        // The lag was read while both answered, before the primary went down.
        const lagRound: Round = { atMs: (rounds[0] as Round).atMs - (lagAgoRuns + 1) * interval, primary: 'east', secondary: 'west', probes: ['alive'], secondaryView: 'alive', secondaryHealthy: true, walGap: settings.maxWalGap };
        const history = [lagRound, ...rounds];
        const input: DecisionInput = { mode: 'auto', state: INITIAL_STATE, rounds: history, leaseHolder: undefined, nowMs: NOW, settings };
        const decision = decide(input);
        expect(decision.action).toEqual({ kind: 'failover', primary: 'east', secondary: 'west' });
        // The same history in notify mode pages "would fail over now" once per episode.
        const notify = decide({ ...input, mode: 'notify' });
        expect(notify.action).toEqual(expect.objectContaining({ kind: 'hold', because: 'mode-notify' }));
        expect(notify.page).toBe(true);
        expect(decide({ ...input, mode: 'notify', state: notify.state }).page).toBe(false);
      }),
    );
  });
});

describe('the rule, by example', () => {
  const settings: DecisionSettings = { windowMs: 120_000, minRounds: 3, maxRoundGapMs: 150_000, probes: 3, maxWalGap: 1000 };
  const down = (atMs: number): Round => ({ atMs, primary: 'east', secondary: 'west', probes: ['down', 'down', 'down'], secondaryView: 'down', secondaryHealthy: true });
  const healthy = (atMs: number): Round => ({ atMs, primary: 'east', secondary: 'west', probes: ['alive', 'alive', 'alive'], secondaryView: 'alive', secondaryHealthy: true, walGap: 3 });
  const at = (minutes: number) => NOW + minutes * 60_000;

  it('waits for the whole window: one minute of agreement is not enough, two are', () => {
    const rounds = [healthy(at(0)), down(at(1)), down(at(2))];
    expect(decide({ mode: 'auto', state: INITIAL_STATE, rounds, leaseHolder: undefined, nowMs: at(2), settings }).action.kind).toBe('none');
    const later = [...rounds, down(at(3))];
    expect(decide({ mode: 'auto', state: INITIAL_STATE, rounds: later, leaseHolder: undefined, nowMs: at(3), settings }).action).toEqual({ kind: 'failover', primary: 'east', secondary: 'west' });
  });

  it('a partition (the watchdog cannot reach the primary, the secondary still can) is no agreement', () => {
    const partitioned = (atMs: number): Round => ({ ...down(atMs), secondaryView: 'alive' });
    const rounds = [healthy(at(0)), partitioned(at(1)), partitioned(at(2)), partitioned(at(3)), partitioned(at(4))];
    const decision = decide({ mode: 'auto', state: INITIAL_STATE, rounds, leaseHolder: undefined, nowMs: at(4), settings });
    expect(decision.action).toEqual({ kind: 'none', why: 'west still sees east' });
    expect(decision.agreedNow).toBe(false);
  });

  it('a missed run (a gap larger than allowed) restarts the count', () => {
    const rounds = [healthy(at(0)), down(at(1)), down(at(5)), down(at(6))];
    expect(decide({ mode: 'auto', state: INITIAL_STATE, rounds, leaseHolder: undefined, nowMs: at(6), settings }).action.kind).toBe('none');
  });

  it('holds and pages once when the lease is held, and names the holder', () => {
    const rounds = [healthy(at(0)), down(at(1)), down(at(2)), down(at(3))];
    const first = decide({ mode: 'auto', state: INITIAL_STATE, rounds, leaseHolder: 'dr-operations switchover (request r-1)', nowMs: at(3), settings });
    expect(first.action).toEqual(expect.objectContaining({ kind: 'hold', because: 'lease-held', why: expect.stringContaining('dr-operations switchover (request r-1)') }));
    expect(first.page).toBe(true);
    const second = decide({ mode: 'auto', state: first.state, rounds: [...rounds, down(at(4))], leaseHolder: 'dr-operations switchover (request r-1)', nowMs: at(4), settings });
    expect(second.page).toBe(false);
    // Once the lease is given back, the failover runs (and pages) in the same episode.
    const third = decide({ mode: 'auto', state: second.state, rounds: [...rounds, down(at(4)), down(at(5))], leaseHolder: undefined, nowMs: at(5), settings });
    expect(third.action.kind).toBe('failover');
    expect(third.page).toBe(true);
  });

  it('without a lag ever read, it does not fail over: the data a promotion would lose is unknown', () => {
    const rounds = [down(at(1)), down(at(2)), down(at(3))];
    const decision = decide({ mode: 'auto', state: INITIAL_STATE, rounds, leaseHolder: undefined, nowMs: at(3), settings });
    expect(decision.action).toEqual(expect.objectContaining({ kind: 'hold', because: 'lag-unknown' }));
  });

  it('after a failover it is disarmed and holds, naming why, until armed', () => {
    const rounds = [healthy(at(0)), down(at(1)), down(at(2)), down(at(3))];
    const first = decide({ mode: 'auto', state: INITIAL_STATE, rounds, leaseHolder: undefined, nowMs: at(3), settings });
    expect(first.action.kind).toBe('failover');
    const again = decide({ mode: 'auto', state: first.state, rounds: [...rounds, down(at(4))], leaseHolder: undefined, nowMs: at(4), settings });
    expect(again.action).toEqual(expect.objectContaining({ kind: 'hold', because: 'disarmed', why: expect.stringContaining('automatic failover from east to west') }));
    expect(decide({ mode: 'auto', state: arm(again.state), rounds: [...rounds, down(at(4))], leaseHolder: undefined, nowMs: at(4), settings }).action.kind).toBe('failover');
  });
});

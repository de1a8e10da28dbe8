/**
 * The watchdog's decision, pure: its history of observations, its own state, the lease and the
 * clock in; what to do and the state to keep out. Nothing here probes, reads or writes anything.
 *
 * The rule (README "The watchdog"): the primary is declared failed only when, for the whole window,
 * EVERY vantage point found it down in EVERY run: each of the watchdog's own probes (a new
 * connection each, so the load balancer draws other nodes) and the DR secondary's replication view
 * of it (disconnected, last heartbeat older than a bound). "Unknown" is never "down": a vantage
 * point that could not be read (the secondary does not answer the watchdog, its status has no
 * primaries) breaks agreement. The window must be covered without a gap: the run just before the
 * window and every run in it agree, no two of them further apart than the largest gap, and at least
 * a number of runs. Then a failover is run only when the mode is `auto`, the watchdog is armed, the
 * DR secondary is healthy now with a last-known lag within the bound, and no other operation holds
 * the lease. A failover disarms the watchdog before it starts; only an operator arms it again.
 */
import type { WatchdogMode } from './settings';

/** What one vantage point said about the primary in one run. */
export type Vote = 'down' | 'alive' | 'unknown';

/** One run of the watchdog: what each vantage point saw. */
export interface Round {
  /** When the run observed, epoch ms (the watchdog's clock). */
  readonly atMs: number;
  /** The cluster watched as primary this run (the one that is not the DR secondary); undefined when the roles could not be told. */
  readonly primary: string | undefined;
  /** The DR secondary this run; undefined when no cluster answered as one. */
  readonly secondary: string | undefined;
  /** The watchdog's own probes of the primary, one vote each. */
  readonly probes: readonly Vote[];
  /** The DR secondary's replication view of the primary. */
  readonly secondaryView: Vote;
  /** The secondary answered as a healthy DR secondary (stream-wals, a known primary) on every probe that reached it. */
  readonly secondaryHealthy: boolean;
  /** The primary's last DR WAL index minus the secondary's last received one, when both were read this run. */
  readonly walGap?: number;
}

export interface WatchdogState {
  /** False after an automatic failover (or an operator's disarm) until an operator arms it again. */
  readonly armed: boolean;
  readonly disarmedAtMs?: number;
  readonly disarmedBecause?: string;
  /** Start of the episode (first agreeing run) last paged for, so an episode pages once. */
  readonly pagedEpisodeMs?: number;
  /** The last automatic failover and how it ended. */
  readonly lastFailover?: { readonly atMs: number; readonly primary: string; readonly target: string; readonly outcome: string };
}

export const INITIAL_STATE: WatchdogState = { armed: true };

export interface DecisionSettings {
  readonly windowMs: number;
  readonly minRounds: number;
  readonly maxRoundGapMs: number;
  /** Probes each run makes of the primary: a run with fewer votes is not agreement. */
  readonly probes: number;
  readonly maxWalGap: number;
}

export interface DecisionInput {
  readonly mode: WatchdogMode;
  readonly state: WatchdogState;
  /** Every run kept, oldest first, the current one last. */
  readonly rounds: readonly Round[];
  /** Who holds the one-operation lease now (another operation), if anyone. */
  readonly leaseHolder: string | undefined;
  readonly nowMs: number;
  readonly settings: DecisionSettings;
}

/** Why a met rule did not run a failover. */
export type HoldReason = 'mode-notify' | 'disarmed' | 'lease-held' | 'secondary-unhealthy' | 'lag-unknown' | 'lag-too-large';

export type Action =
  /** The rule is not met (or the mode is off): nothing to do. */
  | { readonly kind: 'none'; readonly why: string }
  /** The rule is met but no failover runs: the mode is notify ("would fail over now"), or something blocks it. */
  | { readonly kind: 'hold'; readonly because: HoldReason; readonly why: string; readonly primary: string; readonly secondary: string }
  /** Run the failover now (the new state is already disarmed). */
  | { readonly kind: 'failover'; readonly primary: string; readonly secondary: string };

export interface Decision {
  readonly action: Action;
  /** Page now: a failover, or the first hold of an episode. */
  readonly page: boolean;
  /** The state to keep: written BEFORE anything is acted on. */
  readonly state: WatchdogState;
  /** Each vantage point's view over the window, for the page, the log and the failover's reason. */
  readonly evidence: readonly string[];
  /** First run of the agreeing episode, when the current run agrees. */
  readonly episodeStartMs?: number;
  /** Every vantage point agreed in the current run. */
  readonly agreedNow: boolean;
}

/** Every vantage point found the primary down in this run. */
export function agrees(round: Round, probes: number): boolean {
  return (
    round.primary !== undefined &&
    round.secondary !== undefined &&
    round.primary !== round.secondary &&
    round.probes.length >= Math.max(1, probes) &&
    round.probes.every((vote) => vote === 'down') &&
    round.secondaryView === 'down'
  );
}

/** The latest run (at or before now) where the watchdog read both indexes: the last-known lag. */
export function lastKnownWalGap(rounds: readonly Round[], nowMs: number): { readonly gap: number; readonly atMs: number } | undefined {
  const sorted = inTimeOrder(rounds, nowMs);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const r = sorted[i] as Round;
    if (r.walGap !== undefined) return { gap: r.walGap, atMs: r.atMs };
  }
  return undefined;
}

const describeVotes = (votes: readonly Vote[]): string => (votes.length === 0 ? 'no probe' : votes.join('/'));

function describeRound(r: Round, nowMs: number): string {
  const ago = Math.round((nowMs - r.atMs) / 1000);
  return `${new Date(r.atMs).toISOString()} (-${ago} s): watchdog probes of ${r.primary ?? '?'}: ${describeVotes(r.probes)}; ${r.secondary ?? 'no DR secondary'} sees the primary ${r.secondaryView}`;
}

/** The runs at or before now, in time order (a history written out of order must not hide a run). */
function inTimeOrder(rounds: readonly Round[], nowMs: number): Round[] {
  return rounds.filter((r) => r.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs);
}

/**
 * The episode the current run belongs to, if every vantage point agrees now: every run after the
 * last one that did not agree (or was about another pair of clusters), cut at the first gap larger
 * than the largest allowed. So every run at or after the episode's start agrees.
 */
function agreeingEpisode(rounds: readonly Round[], settings: DecisionSettings, nowMs: number): Round[] {
  const sorted = inTimeOrder(rounds, nowMs);
  const last = sorted.at(-1);
  if (last === undefined || !agrees(last, settings.probes)) return [];
  let lastBreakMs = -Infinity;
  for (const r of sorted) {
    if (!agrees(r, settings.probes) || r.primary !== last.primary || r.secondary !== last.secondary) lastBreakMs = Math.max(lastBreakMs, r.atMs);
  }
  const after = sorted.filter((r) => r.atMs > lastBreakMs);
  let start = after.length - 1;
  while (start > 0 && (after[start] as Round).atMs - (after[start - 1] as Round).atMs <= settings.maxRoundGapMs) start--;
  return after.slice(start);
}

/** Runs at distinct instants: two records of one instant are one observation. */
const distinctRuns = (rounds: readonly Round[]): number => new Set(rounds.map((r) => r.atMs)).size;

/**
 * Whether the rule is met now: every run since the window's start agrees (the episode began at or
 * before it), with no gap, and enough runs. Runs are taken in the order given; two runs at the
 * same instant, or a run out of order, end the episode (the history is kept in time order).
 */
export function ruleMet(rounds: readonly Round[], settings: DecisionSettings, nowMs: number): { readonly met: boolean; readonly episode: readonly Round[]; readonly why: string } {
  const episode = agreeingEpisode(rounds, settings, nowMs);
  if (episode.length === 0) {
    const last = inTimeOrder(rounds, nowMs).at(-1);
    if (last === undefined) return { met: false, episode, why: 'no observation yet' };
    if (last.primary === undefined) return { met: false, episode, why: 'the roles of the clusters could not be told this run' };
    if (last.probes.some((v) => v === 'alive')) return { met: false, episode, why: `${last.primary} answered the watchdog as alive` };
    if (last.secondaryView === 'alive') return { met: false, episode, why: `${last.secondary ?? 'the DR secondary'} still sees ${last.primary}` };
    if (last.secondaryView === 'unknown') return { met: false, episode, why: `the DR secondary's view of ${last.primary} is unknown this run` };
    return { met: false, episode, why: 'not every vantage point found the primary down this run' };
  }
  const start = episode[0] as Round;
  const spanMs = nowMs - start.atMs;
  if (start.atMs > nowMs - settings.windowMs) {
    return { met: false, episode, why: `every vantage point has agreed for ${Math.round(spanMs / 1000)} s, less than the ${Math.round(settings.windowMs / 1000)} s window (WATCHDOG_WINDOW_MS)` };
  }
  const runs = distinctRuns(episode);
  if (runs < settings.minRounds) {
    return { met: false, episode, why: `${runs} agreeing runs, fewer than the ${settings.minRounds} required (WATCHDOG_MIN_ROUNDS)` };
  }
  return { met: true, episode, why: `every vantage point found ${start.primary} down in ${runs} runs over ${Math.round(spanMs / 1000)} s` };
}

/** What to do now. Pure: the same input gives the same decision. */
export function decide(input: DecisionInput): Decision {
  const { settings, nowMs, state, mode } = input;
  const rounds = inTimeOrder(input.rounds, nowMs);
  const current = rounds.at(-1);
  const { met, episode, why } = ruleMet(rounds, settings, nowMs);
  const episodeStartMs = episode[0]?.atMs;
  const inWindow = rounds.filter((r) => r.atMs >= nowMs - settings.windowMs || r === episode[0]);
  const evidence = inWindow.map((r) => describeRound(r, nowMs));
  const lag = lastKnownWalGap(rounds, nowMs);
  if (lag !== undefined) evidence.push(`last-known replication lag: ${lag.gap} WAL entries, read ${Math.round((nowMs - lag.atMs) / 1000)} s ago`);
  const base = { evidence, agreedNow: episode.length > 0, ...(episodeStartMs === undefined ? {} : { episodeStartMs }) };

  if (!met || current === undefined || current.primary === undefined || current.secondary === undefined) {
    return { ...base, action: { kind: 'none', why }, page: false, state };
  }
  if (mode === 'off') {
    return { ...base, action: { kind: 'none', why: `${why}, but the watchdog is off (WATCHDOG_MODE)` }, page: false, state };
  }
  const { primary, secondary } = current;
  const hold = (because: HoldReason, reason: string): Decision => {
    const page = state.pagedEpisodeMs !== episodeStartMs;
    return {
      ...base,
      action: { kind: 'hold', because, why: `${why}; ${reason}`, primary, secondary },
      page,
      state: page && episodeStartMs !== undefined ? { ...state, pagedEpisodeMs: episodeStartMs } : state,
    };
  };
  if (!current.secondaryHealthy) return hold('secondary-unhealthy', `no failover: ${secondary} is not a healthy DR secondary now`);
  if (lag === undefined) return hold('lag-unknown', `no failover: the replication lag was never read while both clusters answered, so the data a promotion would lose is unknown`);
  if (lag.gap > settings.maxWalGap) return hold('lag-too-large', `no failover: the last-known lag (${lag.gap} WAL entries) is above the ${settings.maxWalGap} allowed (WATCHDOG_MAX_WAL_GAP)`);
  if (input.leaseHolder !== undefined) return hold('lease-held', `no failover: another operation holds the lease (${input.leaseHolder})`);
  if (mode === 'notify') return hold('mode-notify', `would fail over now (promote ${secondary}); the mode is notify`);
  if (!state.armed) {
    return hold('disarmed', `no failover: the watchdog is disarmed${state.disarmedBecause ? ` (${state.disarmedBecause})` : ''}; an operator re-arms it`);
  }
  return {
    ...base,
    action: { kind: 'failover', primary, secondary },
    page: true,
    state: {
      ...state,
      armed: false,
      disarmedAtMs: nowMs,
      disarmedBecause: `automatic failover from ${primary} to ${secondary} at ${new Date(nowMs).toISOString()}`,
      ...(episodeStartMs === undefined ? {} : { pagedEpisodeMs: episodeStartMs }),
      lastFailover: { atMs: nowMs, primary, target: secondary, outcome: 'started' },
    },
  };
}

/** Re-arming: a new episode pages again; the history stays. */
export function arm(state: WatchdogState): WatchdogState {
  const { disarmedAtMs: _a, disarmedBecause: _b, pagedEpisodeMs: _p, ...rest } = state;
  return { ...rest, armed: true };
}

export function disarm(state: WatchdogState, nowMs: number, because: string): WatchdogState {
  return { ...state, armed: false, disarmedAtMs: nowMs, disarmedBecause: because };
}

/**
 * The runs worth keeping, at most `max`: every one that can still matter to the rule (the window and
 * the largest gap before it) and the last read of the lag.
 */
export function keepRounds(rounds: readonly Round[], settings: DecisionSettings, nowMs: number, max: number): Round[] {
  const sorted = inTimeOrder(rounds, Number.POSITIVE_INFINITY);
  const horizon = nowMs - settings.windowMs - settings.maxRoundGapMs;
  const lagRound = [...sorted].reverse().find((r) => r.walGap !== undefined);
  const recent = sorted.filter((r) => r.atMs >= horizon);
  if (lagRound === undefined || recent.includes(lagRound)) return recent.slice(-max);
  return [lagRound, ...recent.slice(-(max - 1))];
}

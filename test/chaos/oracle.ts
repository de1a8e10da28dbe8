/**
 * The oracle: after every run, checks what happened against the five invariants of issue 8, from
 * what it saw itself (the simulator's observer of every node, the resolving client's writes, the
 * records in moto, the captured logs), never from what the functions say about themselves except
 * where an invariant is about what they say. Pure: `judgeRun(observation)` in, violations out.
 *
 * 1. Never two clusters accept client writes at the same moment (the observer's writable
 *    intervals), unless the promotion that opened the period was forced or done while the old
 *    primary did not answer the functions (the oracle's own samples of the simulator), and the
 *    result of that invocation says so first: its first warning (or, when it failed, its error's
 *    reason) names the old primary as not demoted.
 * 2. When an invocation ends with next: null, DNS points at the one active primary (checked for
 *    invocations no fault event or other changing invocation overlapped: otherwise the world moved
 *    under it); and at the end of every run, with the faults healed and transitions settled, the
 *    last result's next command (and at most two more, each the single next command of the one
 *    before) gets there: one active primary, the only cluster clients can write to, and DNS on it.
 * 3. Every invocation (chained dns-switch included) answers or fails with a message before its
 *    Lambda timeout.
 * 4. Every acknowledged client write the final primary lacks was left behind by a promotion: the
 *    promoted cluster had not received it when its promote started (made before it and not yet
 *    replicated, the RPO; or made on the old primary after it). A write lost any other way (a
 *    re-link in the wrong direction, a wiped secondary promoted) is a violation. The oracle reports
 *    each promotion's RPO: how many acknowledged writes it lacked and how old the oldest was.
 * 5. No secret the simulator issued (any format), and none of the functions' AWS keys, appears in
 *    any captured log line, raw, base64 or URL-encoded; nor a `[redacted]` mark (a token handed to
 *    the logger at all).
 *
 * With performance secondaries (issue 12; the observation's `performance`, absent in a two-cluster
 * run):
 * 6. No performance secondary follows a demoted or dead cluster once an operation ends: at the end
 *    of every invocation that claims nothing is left to do (next: null; no fault and no other
 *    changing invocation during it, as for 2), each follows a cluster that is an active primary
 *    then (the observer's follow intervals against its active-primary intervals); and at the end
 *    of the run, converged, each follows the final primary.
 * 7. Clients of a performance secondary keep reading throughout a DR failover of the primary: from
 *    the first invocation's start to the last one's end, a performance secondary no fault event
 *    names serves client reads without a gap (the observer's readable intervals).
 */
import type { NextCommand } from '../../functions/shared/errors';
import type { ClientWrite, PerformanceFollowInterval, WritableInterval, WritableOverlap } from '../vault-simulator';

export interface InvocationAnswer {
  readonly outcome: string;
  readonly summary: string;
  readonly next: NextCommand | null;
  readonly warnings?: readonly string[];
  readonly evidence?: readonly string[];
}

export interface InvocationFailure {
  readonly name: string;
  readonly message: string;
  readonly next: NextCommand | null | undefined;
}

export interface InvocationRecord {
  readonly id: number;
  /** Who ran it: 'operator A', 'operator B', 'retry', 'oracle (next command)', 'chained by #3'. */
  readonly who: string;
  readonly fn: 'dr-operations' | 'dns-switch';
  readonly event: Readonly<Record<string, unknown>>;
  /** A dns-switch invoked by dr-operations through the Lambda endpoint. */
  readonly chained: boolean;
  /** Real epoch ms. */
  readonly startedReal: number;
  readonly endedReal: number;
  /** Simulated epoch ms. */
  readonly startedSim: number;
  readonly endedSim: number;
  /** The Lambda timeout its context counted down from, in real ms. */
  readonly timeoutMs: number;
  readonly answer?: InvocationAnswer;
  readonly error?: InvocationFailure;
  /** What the oracle saw right after it ended. */
  readonly atEnd?: { readonly activePrimaries: readonly string[]; readonly weights: Readonly<Record<string, number>> };
}

/** A promotion the oracle saw start, with the client writes the promoted cluster held then. */
export interface PromotionSnapshot {
  readonly cluster: string;
  /** Simulated epoch ms the promote started. */
  readonly at: number;
  readonly held: readonly string[];
}

/** Whether each cluster answered the functions as an active primary (the simulator's view), sampled on every change. */
export interface AnsweringSample {
  readonly at: number;
  readonly answering: Readonly<Record<string, boolean>>;
}

export interface Convergence {
  /** The commands the oracle ran, in order (empty when the world had converged already). */
  readonly steps: readonly InvocationRecord[];
  readonly converged: boolean;
  /** Why it did not converge, when it did not. */
  readonly problem?: string;
  readonly finalPrimary?: string;
}

export interface RunObservation {
  readonly clusters: readonly string[];
  /** Every invocation of the run (not the oracle's convergence steps). */
  readonly invocations: readonly InvocationRecord[];
  /** Simulated epoch ms of every fault event applied or lifted during the run. */
  readonly faultEvents: readonly { readonly at: number; readonly what: string }[];
  readonly overlaps: readonly WritableOverlap[];
  readonly activePrimaryIntervals: readonly WritableInterval[];
  readonly promotions: readonly PromotionSnapshot[];
  readonly answering: readonly AnsweringSample[];
  readonly clientWrites: readonly ClientWrite[];
  readonly convergence: Convergence;
  /** Client writes the final primary holds (observer.writesHeldBy), when there is one. */
  readonly heldByFinal: readonly string[];
  readonly logLines: readonly string[];
  readonly secrets: readonly string[];
  /** The performance secondaries as the observer saw them; absent when the run has none. */
  readonly performance?: PerformanceObservation;
}

export interface PerformanceObservation {
  /** The performance secondaries' names. */
  readonly secondaries: readonly string[];
  /** observer.performanceFollowing(): whom each followed, when, connected or not. */
  readonly following: readonly PerformanceFollowInterval[];
  /** observer.readableIntervals() of the performance secondaries: when each served client reads. */
  readonly readable: readonly WritableInterval[];
}

export interface Violation {
  readonly invariant: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  readonly message: string;
}

export interface RpoReport {
  readonly cluster: string;
  /** Simulated epoch ms. */
  readonly at: number;
  /** Acknowledged writes some cluster held that the promoted cluster had not received. */
  readonly missing: number;
  /** Simulated ms from the oldest missing write to the promotion (0 when none was missing). */
  readonly windowMs: number;
}

export interface Verdict {
  readonly violations: readonly Violation[];
  /** Acknowledged client writes lost in the end (missing from the final primary). */
  readonly lost: readonly string[];
  readonly rpo: readonly RpoReport[];
  /** How many invocation ends were checked literally for invariant 2 (the rest overlapped faults). */
  readonly quietEndsChecked: number;
  readonly excusedOverlaps: number;
}

const all = (invocations: readonly InvocationRecord[]): readonly InvocationRecord[] => invocations;

/** A changing invocation: not status, not a dry run. */
export function isChanging(inv: InvocationRecord): boolean {
  return inv.event.dryRun !== true && inv.event.operation !== 'status';
}

const nextOf = (inv: InvocationRecord): NextCommand | null | undefined => (inv.answer ? inv.answer.next : inv.error?.next);

const word = (name: string): RegExp => new RegExp(`(^|[^A-Za-z0-9_-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_-])`);

/** The statement invariant 1 requires: it names `old` as not demoted. */
export function saysNotDemoted(text: string, old: string): boolean {
  return word(old).test(text) && /(was not|could not be|has not been|not) demoted/.test(text);
}

/**
 * Whether `cluster` answered the functions as an active primary at any moment of [from, to]: the
 * samples are taken on change, so the one in force at `from` counts too.
 */
export function answeringDuring(samples: readonly AnsweringSample[], cluster: string, from: number, to: number): boolean[] {
  const before = samples.filter((s) => s.at <= from).at(-1);
  const within = samples.filter((s) => s.at > from && s.at <= to);
  return [...(before ? [before] : []), ...within].map((s) => s.answering[cluster] === true);
}

/** Invariant 1. */
function checkOverlaps(o: RunObservation, transitions: readonly PromotionSnapshot[], violations: Violation[]): number {
  let excused = 0;
  // A refusal (lease busy included) changed nothing: it cannot have made the promote.
  const changing = [...all(o.invocations), ...o.convergence.steps].filter((i) => isChanging(i) && !i.chained && !/^(Refused|LeaseBusy|Input)Error$/.test(i.error?.name ?? ''));
  for (const overlap of o.overlaps) {
    const span = `${overlap.clusters.join(' and ')} from +${overlap.from} ms`;
    // The promotion that made the later of the two a primary: the last one started before the overlap.
    const promotion = [...transitions].filter((p) => overlap.clusters.includes(p.cluster) && p.at <= overlap.from).sort((a, b) => b.at - a.at)[0];
    if (promotion === undefined) {
      violations.push({ invariant: 1, message: `two clusters accepted client writes (${span}) and no promotion explains it` });
      continue;
    }
    const old = overlap.clusters.find((c) => c !== promotion.cluster) as string;
    const by = changing.find((i) => i.startedSim <= promotion.at && promotion.at <= i.endedSim && i.fn === 'dr-operations');
    if (by === undefined) {
      violations.push({ invariant: 1, message: `two clusters accepted client writes (${span}); the promote of ${promotion.cluster} at ${promotion.at} was made by no invocation` });
      continue;
    }
    const forced = by.event.force === true;
    const unreachable = answeringDuring(o.answering, old, by.startedSim, promotion.at).includes(false);
    if (!forced && !unreachable) {
      violations.push({
        invariant: 1,
        message: `two clusters accepted client writes (${span}): invocation #${by.id} (${JSON.stringify(by.event)}) promoted ${promotion.cluster} without force while ${old} answered the functions as active primary throughout`,
      });
      continue;
    }
    const said = by.answer ? (by.answer.warnings?.[0] ?? '') : (by.error?.message ?? '');
    if (!saysNotDemoted(said, old)) {
      violations.push({
        invariant: 1,
        message: `two clusters accepted client writes (${span}) after invocation #${by.id} (${forced ? 'forced' : `${old} unreachable from the functions`}), but its result does not say first that ${old} was not demoted (${by.answer ? `first warning: ${JSON.stringify(said)}` : `error: ${JSON.stringify(said.slice(0, 300))}`})`,
      });
      continue;
    }
    excused++;
  }
  return excused;
}

/** Invariant 2, the literal part: a result that claims nothing is left to do. */
function checkQuietEnds(o: RunObservation, violations: Violation[]): number {
  let checked = 0;
  const changing = o.invocations.filter((i) => isChanging(i) && !i.chained);
  for (const inv of o.invocations) {
    if (inv.chained || nextOf(inv) !== null || inv.atEnd === undefined) continue;
    const faulted = o.faultEvents.some((e) => e.at >= inv.startedSim && e.at <= inv.endedSim);
    const concurrent = changing.some((c) => c !== inv && c.startedReal < inv.endedReal && inv.startedReal < c.endedReal);
    if (faulted || concurrent) continue;
    checked++;
    const { activePrimaries, weights } = inv.atEnd;
    const primary = activePrimaries[0];
    const dnsOnIt = activePrimaries.length === 1 && weights[primary as string] === 255 && Object.entries(weights).every(([c, wgt]) => c === primary || wgt === 0);
    if (!dnsOnIt) {
      violations.push({
        invariant: 2,
        message: `invocation #${inv.id} (${JSON.stringify(inv.event)}) ended with next: null, but the active primaries are [${activePrimaries.join(', ')}] and DNS weights ${JSON.stringify(weights)}`,
      });
    }
  }
  return checked;
}

/** Invariant 4. */
function checkWrites(o: RunObservation, violations: Violation[]): { lost: string[]; rpo: RpoReport[] } {
  const acknowledged = o.clientWrites.filter((w) => w.answered);
  const rpo = o.promotions.map((p) => {
    const held = new Set(p.held);
    // What some cluster held at the promotion that this one had not received: writes made before it.
    const missing = acknowledged.filter((w) => w.at <= p.at && !held.has(w.id) && w.cluster !== p.cluster);
    const oldest = Math.min(...missing.map((w) => w.at));
    return { cluster: p.cluster, at: p.at, missing: missing.length, windowMs: missing.length ? Math.round(p.at - oldest) : 0 };
  });
  if (o.convergence.finalPrimary === undefined) return { lost: [], rpo };
  const final = new Set(o.heldByFinal);
  const lost = acknowledged.filter((w) => !final.has(w.id));
  for (const w of lost) {
    // A promoted cluster holds only what it had received when its promote started: a write made
    // before that and not received (the RPO), or made on the other cluster after it (while the
    // old primary still took writes), is not carried.
    const notCarried = o.promotions.some((p) => p.cluster !== w.cluster && !p.held.includes(w.id));
    if (!notCarried) {
      violations.push({
        invariant: 4,
        message: `client write ${w.id} (acknowledged by ${w.cluster} at ${w.at}) is missing from the final primary ${o.convergence.finalPrimary}, though no promotion left it behind`,
      });
    }
  }
  return { lost: lost.map((w) => w.id), rpo };
}

const during = (i: { readonly from: number; readonly to: number | undefined }, at: number): boolean => i.from <= at && (i.to === undefined || at < i.to);

/** Whom `secondary` followed at `at` (the interval in force then), or undefined when no interval covers it. */
export function followedAt(following: readonly PerformanceFollowInterval[], secondary: string, at: number): PerformanceFollowInterval | undefined {
  return following.filter((f) => f.cluster === secondary && during(f, at)).at(-1);
}

/** Invariant 6. */
function checkFollowing(o: RunObservation, p: PerformanceObservation, violations: Violation[]): void {
  const changing = o.invocations.filter((i) => isChanging(i) && !i.chained);
  for (const inv of o.invocations) {
    if (inv.chained || nextOf(inv) !== null) continue;
    const faulted = o.faultEvents.some((e) => e.at >= inv.startedSim && e.at <= inv.endedSim);
    const concurrent = changing.some((c) => c !== inv && c.startedReal < inv.endedReal && inv.startedReal < c.endedReal);
    if (faulted || concurrent) continue;
    for (const secondary of p.secondaries) {
      const followed = followedAt(p.following, secondary, inv.endedSim);
      const active = followed?.primary !== undefined && o.activePrimaryIntervals.some((i) => i.cluster === followed.primary && during(i, inv.endedSim));
      if (!active) {
        violations.push({
          invariant: 6,
          message: `invocation #${inv.id} (${JSON.stringify(inv.event)}) ended with next: null while performance secondary ${secondary} followed ${followed?.primary ?? 'no cluster'}, not an active primary`,
        });
      }
    }
  }
  const final = o.convergence.finalPrimary;
  if (!o.convergence.converged || final === undefined) return;
  for (const secondary of p.secondaries) {
    const last = p.following.filter((f) => f.cluster === secondary).at(-1);
    if (last?.primary !== final || last.to !== undefined) {
      violations.push({ invariant: 6, message: `at the end of the run performance secondary ${secondary} follows ${last?.primary ?? 'no cluster'}, not ${final}, the final primary` });
    }
  }
}

/** Invariant 7. */
function checkReads(o: RunObservation, p: PerformanceObservation, violations: Violation[]): void {
  const runs = [...o.invocations, ...o.convergence.steps];
  if (runs.length === 0) return;
  const from = Math.min(...runs.map((i) => i.startedSim));
  const to = Math.max(...runs.map((i) => i.endedSim));
  for (const secondary of p.secondaries) {
    if (o.faultEvents.some((e) => word(secondary).test(e.what))) continue;
    const intervals = p.readable.filter((i) => i.cluster === secondary && (i.to === undefined || i.to > from) && i.from <= to).sort((a, b) => a.from - b.from);
    let covered = from;
    for (const i of intervals) {
      if (i.from > covered) break;
      covered = i.to === undefined ? Infinity : Math.max(covered, i.to);
    }
    if (covered < to) {
      violations.push({ invariant: 7, message: `clients of performance secondary ${secondary} could not read from +${covered - from} ms of the run (no fault named it)` });
    }
  }
}

/** The forms a secret may take in a log line. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), JSON.stringify(secret).slice(1, -1)]);
  return [...forms].filter((f) => f.length >= 8);
}

export function judgeRun(o: RunObservation): Verdict {
  const violations: Violation[] = [];
  // 1
  const excusedOverlaps = checkOverlaps(o, o.promotions, violations);
  // 2
  const quietEndsChecked = checkQuietEnds(o, violations);
  if (!o.convergence.converged) violations.push({ invariant: 2, message: `no convergence: ${o.convergence.problem ?? 'unknown'}` });
  // 3
  for (const inv of [...o.invocations, ...o.convergence.steps]) {
    const took = inv.endedReal - inv.startedReal;
    if (took > inv.timeoutMs) {
      violations.push({ invariant: 3, message: `invocation #${inv.id} (${inv.fn} ${JSON.stringify(inv.event)}) took ${took} ms, past its Lambda timeout of ${inv.timeoutMs} ms` });
    }
    if (inv.answer === undefined && (inv.error === undefined || inv.error.message.trim() === '')) {
      violations.push({ invariant: 3, message: `invocation #${inv.id} (${inv.fn}) ended with neither an answer nor an error message` });
    }
  }
  // 4
  const { lost, rpo } = checkWrites(o, violations);
  // 5
  const forms = o.secrets.flatMap((s) => secretForms(s).map((f) => ({ secret: s, form: f })));
  for (const line of o.logLines) {
    const hit = forms.find((f) => line.includes(f.form));
    if (hit !== undefined) violations.push({ invariant: 5, message: `a log line holds a secret (${hit.secret.slice(0, 4)}..., ${hit.form === hit.secret ? 'raw' : 'encoded'}): ${line.slice(0, 160)}` });
    else if (line.includes('[redacted]')) violations.push({ invariant: 5, message: `a log line had a secret handed to the logger (redacted): ${line.slice(0, 160)}` });
  }
  // 6, 7
  if (o.performance !== undefined) {
    checkFollowing(o, o.performance, violations);
    checkReads(o, o.performance, violations);
  }
  return { violations, lost, rpo, quietEndsChecked, excusedOverlaps };
}

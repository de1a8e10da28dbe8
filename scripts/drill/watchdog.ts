/**
 * The watchdog in the drill scenarios: its schedule as the construct deploys it, and its path
 * through a run, read from what the run observed: each scheduled run and what it decided, the
 * pages, the DNS weights as Route 53 held them, and the times an operator cares about: time to
 * detect (the fault that killed the primary to the watchdog's decision to fail over) and time to
 * recover (that fault to DNS on the new primary alone, read in Route 53). Pure.
 */
import { WATCHDOG_VARIABLES, type WatchdogMode } from '../../functions/dr-watchdog/settings';
import { WATCHDOG_RATE_MINUTES } from '../../modules/dr-automation/defaults';
import type { RunReport } from '../../test/chaos/run-schedule';
import type { WatchdogRunRecord } from '../../test/chaos/scheduled-watchdog';
import type { WatchdogSpec } from '../../test/chaos/schedule';

/** The construct's schedule: one run a minute (EventBridge Scheduler's smallest rate). */
export const WATCHDOG_INTERVAL_MS = WATCHDOG_RATE_MINUTES * 60_000;

const defaultOf = (name: string): number => Number(Object.values(WATCHDOG_VARIABLES).find((v) => v.name === name)?.defaultRaw);
/** The watchdog's production defaults the drills run with and judge by (simulated ms). */
export const WATCHDOG_DEFAULTS = {
  windowMs: defaultOf('WATCHDOG_WINDOW_MS'),
  minRounds: defaultOf('WATCHDOG_MIN_ROUNDS'),
  maxRoundGapMs: defaultOf('WATCHDOG_MAX_ROUND_GAP_MS'),
  heartbeatStaleMs: defaultOf('WATCHDOG_HEARTBEAT_STALE_MS'),
} as const;

/** A run in which every vantage point found the primary down (README, "The rule"), read from its round. */
const agreed = (r: WatchdogRunRecord): boolean => {
  const round = r.answer?.round;
  return round?.primary !== undefined && round.secondary !== undefined && round.probes.length > 0 && round.probes.every((v) => v === 'down') && round.secondaryView === 'down';
};

/**
 * The first run at which the README's rule holds, from the runs' own votes: every run of an
 * unbroken streak agreed (no gap between two of them larger than the largest allowed), the streak's
 * first run is at least the window before this one, and there are enough runs. A watchdog in auto
 * with nothing in its way fails over exactly there: not before (too soon), not after (too late).
 */
export function firstRunRuleMet(report: RunReport, rule: { windowMs: number; minRounds: number; maxRoundGapMs: number } = WATCHDOG_DEFAULTS): WatchdogRunRecord | undefined {
  const runs = [...(report.watchdog?.runs ?? [])].filter((r) => r.observedAtMs !== undefined).sort((a, b) => (a.observedAtMs as number) - (b.observedAtMs as number));
  let streak: WatchdogRunRecord[] = [];
  for (const r of runs) {
    const previous = streak.at(-1);
    const samePair = previous === undefined || (previous.answer?.round?.primary === r.answer?.round?.primary && previous.answer?.round?.secondary === r.answer?.round?.secondary);
    const inTime = previous === undefined || (r.observedAtMs as number) - (previous.observedAtMs as number) <= rule.maxRoundGapMs;
    if (!agreed(r)) {
      streak = [];
      continue;
    }
    streak = samePair && inTime ? [...streak, r] : [r];
    const first = streak[0] as WatchdogRunRecord;
    if ((r.observedAtMs as number) - (first.observedAtMs as number) >= rule.windowMs && streak.length >= rule.minRounds) return r;
  }
  return undefined;
}

/** `runs` scheduled runs from +0 (the first one reads the lag while both clusters answer). */
export const watchdogOnSchedule = (mode: WatchdogMode, runs: number): WatchdogSpec => ({ mode, firstAtMs: 0, intervalMs: WATCHDOG_INTERVAL_MS, runs });

export interface WatchdogTiming {
  /** The last fault applied at or before the decision (simulated ms from the start), and what it was. */
  readonly fault?: { readonly atMs: number; readonly what: string };
  /** The first run that decided to fail over: when it observed. */
  readonly decidedAtMs?: number;
  readonly from?: string;
  readonly to?: string;
  /** The promoted cluster's first period as the active primary after the decision. */
  readonly activeAtMs?: number;
  /** The first read of Route 53 after the decision with DNS on the promoted cluster alone. */
  readonly dnsAtMs?: number;
  readonly timeToDetectMs?: number;
  readonly timeToRecoverMs?: number;
}

/** A fault switched on (not lifted, not the oracle's heal). */
const isOn = (what: string): boolean => !/ (off|recovers)$/.test(what) && what !== 'every fault healed';

export function failoverRuns(report: RunReport): WatchdogRunRecord[] {
  return (report.watchdog?.runs ?? []).filter((r) => r.answer?.action?.kind === 'failover');
}

export function watchdogTiming(report: RunReport): WatchdogTiming {
  const decision = failoverRuns(report)[0];
  const action = decision?.answer?.action;
  if (decision?.observedAtMs === undefined || action?.kind !== 'failover') return {};
  const decidedAtMs = decision.observedAtMs;
  const to = action.secondary;
  const fault = report.faults.filter((f) => isOn(f.what) && f.atMs <= decidedAtMs).at(-1);
  const activeAtMs = report.activePrimaries.find((p) => p.cluster === to && p.fromMs >= decidedAtMs)?.fromMs;
  const dnsAtMs = report.watchdog?.dns.find(
    (d) => d.atMs >= decidedAtMs && d.weights[to] === 255 && Object.entries(d.weights).every(([c, w]) => c === to || w === 0),
  )?.atMs;
  return {
    decidedAtMs,
    from: action.primary,
    to,
    ...(fault === undefined ? {} : { fault, timeToDetectMs: decidedAtMs - fault.atMs }),
    ...(activeAtMs === undefined ? {} : { activeAtMs }),
    ...(dnsAtMs === undefined ? {} : { dnsAtMs }),
    ...(fault !== undefined && dnsAtMs !== undefined ? { timeToRecoverMs: dnsAtMs - fault.atMs } : {}),
  };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const at = (ms: number | undefined): string => (ms === undefined ? '?' : `+${ms} ms`);

function describeRun(r: WatchdogRunRecord): string {
  const head = `  run at ${at(r.scheduledAtMs)} (observed ${at(r.observedAtMs)}, took ${r.tookRealMs} of ${r.timeoutMs} real ms)`;
  if (r.answer === undefined) return `${head}: FAILED ${r.error?.name}: ${r.error?.message.split('\n')[0]}`;
  const round = r.answer.round;
  const votes =
    round === undefined
      ? 'no round'
      : `probes of ${round.primary ?? '?'}: ${round.probes.join('/') || 'none'}; ${round.secondary ?? 'no DR secondary'} sees it ${round.secondaryView}${round.walGap === undefined ? '' : `; lag ${round.walGap} WAL`}`;
  const pair = r.metrics.find((m) => m.dimensions.Cluster === undefined)?.values;
  const active = pair?.PrimaryActive === undefined ? '' : `; PrimaryActive ${pair.PrimaryActive}`;
  const action = r.answer.action;
  const what =
    action === undefined
      ? 'no action'
      : action.kind === 'failover'
        ? `FAILOVER ${action.primary} -> ${action.secondary}: ${r.answer.failover?.outcome ?? '?'} (${r.answer.failover?.summary ?? ''})`
        : action.kind === 'hold'
          ? `hold (${action.because}): ${action.why}`
          : `none: ${action.why}`;
  return `${head}: ${votes}${active}; ${r.answer.armed ? 'armed' : 'disarmed'}; ${what}${r.answer.page ? `; page ${r.answer.page.sent ? 'sent' : `NOT sent (${r.answer.page.error ?? '?'})`}` : ''}`;
}

/** The drill's lines about the watchdog (empty when the schedule had none). */
export function describeWatchdog(report: RunReport): string[] {
  const wd = report.watchdog;
  if (wd === undefined) return [];
  const t = watchdogTiming(report);
  return [
    `dr-watchdog (${wd.spec.mode}) on its schedule, every ${wd.spec.intervalMs / 1000} s (simulated) from ${at(wd.spec.firstAtMs)}:`,
    ...wd.runs.map(describeRun),
    `pages (SNS, as delivered):${wd.pages.length === 0 ? ' none' : ''}`,
    ...wd.pages.map((p) => `  "${p.subject}"`),
    `DNS (Route 53 weights, read every few ms): ${wd.dns.map((d) => `${at(d.atMs)} ${JSON.stringify(d.weights)}`).join('; ')}`,
    t.decidedAtMs === undefined
      ? 'timing: the watchdog decided no failover'
      : [
          `timing: ${t.fault ? `fault at ${at(t.fault.atMs)} (${t.fault.what})` : 'no fault before the decision'}; failover of ${t.from} decided at ${at(t.decidedAtMs)}`,
          t.timeToDetectMs === undefined ? '' : `; time to detect ${s(t.timeToDetectMs)}`,
          `; ${t.to} active primary at ${at(t.activeAtMs)}; DNS on ${t.to} at ${at(t.dnsAtMs)}`,
          t.timeToRecoverMs === undefined ? '; DNS never moved to it while the watchdog ran' : `; time to recover ${s(t.timeToRecoverMs)}`,
        ].join(''),
  ];
}

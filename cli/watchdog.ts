/**
 * `vault-dr watchdog status|arm|disarm`: dr-watchdog's operator commands (its event
 * `{"command":...,"reason":...}`, functions/dr-watchdog/event.ts) and its answer as a person reads
 * it. `observe` is the schedule's and is not offered: an operator's run would add a round to the
 * watchdog's history out of its cadence.
 */
import type { WatchdogAnswer } from '../functions/dr-watchdog/handler';
import { shellQuote } from './next-command';
import { targetArgs, type TargetFlags } from './target';

export const WATCHDOG_OPERATOR_COMMANDS = ['status', 'arm', 'disarm'] as const;
export type WatchdogOperatorCommand = (typeof WATCHDOG_OPERATOR_COMMANDS)[number];

const when = (ms: number | undefined): string => (ms === undefined ? 'unknown' : new Date(ms).toISOString());

/** What needs doing after this answer, if anything: a disarmed watchdog waits for an operator's arm. */
export function watchdogNext(answer: WatchdogAnswer, flags: TargetFlags): string | null {
  if (answer.armed || answer.mode !== 'auto') return null;
  return ['vault-dr', 'watchdog', 'arm', '--reason', '<why>', ...targetArgs(flags)].map(shellQuote).join(' ');
}

/**
 * The exit reason of a watchdog answer: arm and disarm succeed; status says "attention" (12) when
 * the rule holds a failover back, asks for one, or an auto watchdog is disarmed.
 */
export function watchdogExit(answer: WatchdogAnswer): 'succeeded' | 'attention' {
  if (answer.command !== 'status') return 'succeeded';
  const acting = answer.action !== undefined && answer.action.kind !== 'none';
  return acting || (!answer.armed && answer.mode === 'auto') ? 'attention' : 'succeeded';
}

export function renderWatchdog(answer: WatchdogAnswer, flags: TargetFlags): string {
  const s = answer.state;
  const armed = answer.armed ? 'armed' : `DISARMED since ${when(s.disarmedAtMs)}${s.disarmedBecause ? ` (${s.disarmedBecause})` : ''}`;
  const out = [`watchdog ${answer.command}: mode ${answer.mode}, ${armed}`];
  if (answer.mode !== 'auto') out.push(`  (mode ${answer.mode}: it never fails over by itself${answer.mode === 'notify' ? '; it pages when the rule is met' : ''})`);
  if (s.lastFailover) {
    const f = s.lastFailover;
    out.push(`Last automatic failover: ${when(f.atMs)}, ${f.primary} -> ${f.target}, ${f.outcome}`);
  }
  if (answer.action) {
    const a = answer.action;
    out.push(a.kind === 'none' ? `Rule: not met (${a.why})` : a.kind === 'hold' ? `Rule: MET for ${a.primary} -> ${a.secondary}, held back (${a.because}): ${a.why}` : `Rule: MET: fail over ${a.primary} -> ${a.secondary}`);
  }
  if (answer.rounds) out.push(`Runs kept: ${answer.rounds.length}`);
  if (answer.evidence?.length) out.push('Evidence:', ...answer.evidence.map((e) => `  - ${e}`));
  const next = watchdogNext(answer, flags);
  out.push('', next ? `Next: ${next}` : 'Next: nothing to do.');
  if (next) out.push('      an auto watchdog fails over again only once armed: arm it when the pair is linked again (status shows stream-wals)');
  return `${out.join('\n')}\n`;
}

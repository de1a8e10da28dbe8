/**
 * The upgrade drill's own oracle: on top of the five invariants, a Vault version upgrade of a DR
 * pair is checked against HashiCorp's order (docs/runbook.md 9.3), from what the simulator's
 * observer saw and the operator steps the run applied, never from what the functions said:
 *
 * 1. A snapshot of the primary was taken before the first node of the new version joined anywhere.
 * 2. The DR secondary switched to the new version (autopilot's upgrade on it) before the first new
 *    node joined the primary; the primary switched too, in the end; both run the new version.
 * 3. Never a primary newer than its secondary (the simulator's "newer primary" replication events,
 *    whatever `replication.newerPrimary` makes of it).
 * 4. No acknowledged client write lost, and clients kept writing: acknowledged writes after the
 *    primary switched to the new version.
 * 5. No switchover and no step-down: no promote, demote or update-primary on either cluster, and no
 *    leadership change but autopilot's transfer (an election means the active node stepped down or
 *    was lost).
 *
 * Pure: `judgeUpgrade(observation)` in, problems out.
 */
import type { ObservedEvent } from '../vault-simulator';
import type { OperatorStep } from './schedule';

export interface UpgradeObservation {
  readonly primary: string;
  readonly secondary: string;
  /** The version the upgrade goes to. */
  readonly version: string;
  readonly operatorSteps: readonly { readonly at: number; readonly step: OperatorStep; readonly what: string }[];
  readonly events: readonly ObservedEvent[];
  /** Acknowledged client writes missing from the final primary (the oracle's verdict). */
  readonly lost: readonly string[];
  /** Each cluster's version at the end. */
  readonly finalVersions: Readonly<Record<string, string>>;
  /** Simulated epoch ms of the run's start: times are printed from it. @default 0 */
  readonly start?: number;
}

const AUTOPILOT = /^autopilot upgrade to ([^\s:]+)/;

export function judgeUpgrade(o: UpgradeObservation): string[] {
  const problems: string[] = [];
  const t = (at: number): string => `+${Math.round(at - (o.start ?? 0))} ms`;
  const when = (at: number | undefined): string => (at === undefined ? 'never' : `at ${t(at)}`);
  const switched = (cluster: string): number | undefined =>
    o.events.find((e) => e.cluster === cluster && e.kind === 'node-role' && AUTOPILOT.exec(e.detail)?.[1] === o.version)?.at;
  const firstNewNode = (cluster?: string): number | undefined =>
    o.operatorSteps.find((s) => s.step.step === 'add-node' && s.step.version === o.version && (cluster === undefined || s.step.cluster === cluster))?.at;

  // 1
  const snapshot = o.operatorSteps.find((s) => s.step.step === 'snapshot' && s.step.cluster === o.primary)?.at;
  const firstNew = firstNewNode();
  if (snapshot === undefined) problems.push(`no snapshot of the primary ${o.primary} was taken`);
  else if (firstNew !== undefined && snapshot >= firstNew) problems.push(`the snapshot of ${o.primary} (${when(snapshot)}) was taken after the first node of ${o.version} joined (${when(firstNew)})`);

  // 2
  const secondaryAt = switched(o.secondary);
  const primaryAt = switched(o.primary);
  const primaryFirstNew = firstNewNode(o.primary);
  if (secondaryAt === undefined) problems.push(`the secondary ${o.secondary} never switched to ${o.version}`);
  if (primaryAt === undefined) problems.push(`the primary ${o.primary} never switched to ${o.version}`);
  if (primaryFirstNew !== undefined && (secondaryAt === undefined || primaryFirstNew <= secondaryAt)) {
    problems.push(`wrong order: the primary ${o.primary} got a node of ${o.version} (${when(primaryFirstNew)}) before the secondary ${o.secondary} ran it (${when(secondaryAt)}); upgrade the secondaries first`);
  }
  for (const cluster of [o.primary, o.secondary]) {
    if (o.finalVersions[cluster] !== o.version) problems.push(`${cluster} runs ${o.finalVersions[cluster] ?? 'an unknown version'} in the end, not ${o.version}`);
  }

  // 3
  for (const e of o.events.filter((x) => x.kind === 'replication' && x.detail.startsWith('newer primary'))) {
    problems.push(`a primary newer than its secondary, at ${t(e.at)} (${e.cluster}): ${e.detail}`);
  }

  // 4
  if (o.lost.length > 0) problems.push(`${o.lost.length} acknowledged client write(s) lost: ${o.lost.slice(0, 5).join(', ')}`);
  const writesAfter = o.events.filter((e) => e.kind === 'client-write' && e.cluster === o.primary && primaryAt !== undefined && e.at > primaryAt).length;
  if (primaryAt !== undefined && writesAfter === 0) problems.push(`no client write was acknowledged by ${o.primary} after it switched to ${o.version}`);

  // 5
  for (const e of o.events.filter((x) => x.kind === 'transition' && / started/.test(x.detail))) {
    problems.push(`a role change during the upgrade (no switchover in a version upgrade): ${e.cluster} ${e.detail} at ${t(e.at)}`);
  }
  for (const e of o.events.filter((x) => x.kind === 'node-role' && (x.detail === 'became the active node' || / steps down$/.test(x.detail)))) {
    problems.push(`a leadership change that was not autopilot's transfer (a step-down or a lost active node): ${e.node ?? e.cluster} ${e.detail} at ${t(e.at)}`);
  }
  return problems;
}

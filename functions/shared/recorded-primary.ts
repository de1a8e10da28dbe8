/**
 * What the primary record (primary-record.ts) decides about the clusters' answers: which of two
 * primaries to keep in a split brain, and when the only cluster answering as a primary is a stale
 * old one. Pure, so the planners and their tests share one rule.
 */
import { assessTopology, describeView, type ClusterView } from './cluster-probe';
import type { NextCommand } from './errors';
import type { PrimaryRecord } from './primary-record';

export interface StalePrimary {
  /** Answers as the only active primary, but an operation made `recorded` the primary after it. */
  readonly stale: ClusterView;
  /** The recorded primary: not answering as a DR secondary, so it may hold client writes `stale` lacks. */
  readonly recorded: ClusterView;
  readonly record: PrimaryRecord;
}

/**
 * The only cluster that answers as a primary is not the recorded one, and the recorded one does not
 * answer as a DR secondary (a DR secondary was demoted or never promoted, and takes no writes): the
 * answering primary is an old one whose demote did not take effect.
 */
export function findStalePrimary(views: readonly ClusterView[], record: PrimaryRecord | undefined): StalePrimary | undefined {
  if (record === undefined || views.length !== 2) return undefined;
  const topology = assessTopology(views as readonly [ClusterView, ClusterView]);
  if (topology.kind !== 'one-primary') return undefined;
  // A record naming the primary itself (or a cluster not in view) leaves nothing stale.
  const { primary, other } = topology;
  if (other.name !== record.cluster || other.role === 'dr-secondary') return undefined;
  return { stale: primary, recorded: other, record };
}

export function stalePrimaryReason({ stale, recorded, record }: StalePrimary): string {
  return (
    `${stale.name} answers as the only active primary, but ${recorded.name} was made the primary after it (${record.by}, at ${record.recordedAt}) ` +
    `and does not answer as a DR secondary (${describeView(recorded)}): ${stale.name} is an old primary whose demote did not take effect, ` +
    `and the client writes since then are on ${recorded.name}`
  );
}

/** Wait for the recorded primary and demote the stale one then; the way to give up its writes is named too. */
export function stalePrimaryNext({ stale, recorded }: StalePrimary): NextCommand {
  return {
    function: 'dr-operations',
    event: { operation: 'link', demote: stale.name },
    why:
      `when ${recorded.name} answers again (as a primary beside ${stale.name}), demotes ${stale.name} and re-attaches it to ${recorded.name}; ` +
      `only if ${recorded.name} is lost for good, failover with force: true serves from ${stale.name} instead, without the writes ${recorded.name} took`,
  };
}

/**
 * The command that resolves a split brain: demote the cluster that is not recorded as the primary,
 * or, with no record naming either, the operator chooses.
 */
export function splitBrainNext(views: readonly ClusterView[], record: PrimaryRecord | undefined): NextCommand {
  if (record !== undefined) {
    const keep = views.find((v) => v.name === record.cluster);
    const other = views.find((v) => v !== keep);
    if (keep !== undefined && other !== undefined) {
      return {
        function: 'dr-operations',
        event: { operation: 'link', demote: other.name },
        why: `${keep.name} was made the primary last (${record.by}, at ${record.recordedAt}), so clients write to it: demotes ${other.name} and re-attaches it to ${keep.name}`,
      };
    }
  }
  return {
    function: 'dr-operations',
    event: { operation: 'link', demote: '<cluster>' },
    why: 'demote the cluster clients did not write to (normally the one promoted first; DNS points at the other)',
    choose: { field: 'demote', from: views.map((v) => v.name) },
  };
}

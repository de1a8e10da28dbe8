/**
 * After a promote call that did not plainly succeed: what it means, and what the target's later
 * answers say about it. A promote whose answer was lost may have been applied; the old primary is
 * promoted back only when the target is certainly still a DR secondary. Pure.
 */
import type { ClusterView } from '../shared/cluster-probe';
import { VaultApiError } from '../shared/vault-api';
import { VaultUnreachableError } from '../shared/vault-http';

export type PromoteFailure =
  /** Vault answered and refused this request (permission, data not in sync, bad request): it was not applied. */
  | 'refused'
  /** Nothing of the request left this function (connection refused, connect timeout): it was not applied. */
  | 'not-sent'
  /** The request may have been applied: its answer was lost, it timed out, or Vault's answer says the cluster is changing or already changed. */
  | 'ambiguous';

const IN_PROGRESS = /already in progress|not a DR secondary|not active|standby/i;

export function classifyPromoteFailure(err: unknown): PromoteFailure {
  if (err instanceof VaultUnreachableError) return err.sent ? 'ambiguous' : 'not-sent';
  if (err instanceof VaultApiError) {
    // 400 "promotion already in progress" / "not a DR secondary" (promoted meanwhile), 503 mid
    // transition, 5xx: the cluster may be changing. Other 4xx are Vault refusing this request.
    if (err.status >= 500) return 'ambiguous';
    if (err.status === 400 && err.errors.some((e) => IN_PROGRESS.test(e))) return 'ambiguous';
    return 'refused';
  }
  return 'ambiguous';
}

export type TargetState =
  /** Answers as active primary: the promotion happened. */
  | 'primary'
  /** No active node yet: the promotion may be under way. */
  | 'promoting'
  /** Answered as a DR secondary on every one of the last `needed` probes: not promoted. */
  | 'secondary'
  /** Nothing certain yet. */
  | 'unknown';

/**
 * The target's state from its answers since the promote (oldest first). `needed` consecutive DR
 * secondary answers are required before calling it certainly not promoted: one answer can come
 * from a node that has not learned the new mode yet.
 */
export function targetStateAfterPromote(views: readonly ClusterView[], needed: number): TargetState {
  const last = views.at(-1);
  if (last === undefined) return 'unknown';
  if (last.role === 'primary') return 'primary';
  if (last.role === 'no-leader') return 'promoting';
  const tail = views.slice(-needed);
  if (tail.length >= needed && tail.every((v) => v.role === 'dr-secondary')) return 'secondary';
  return 'unknown';
}

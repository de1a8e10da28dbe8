/**
 * Moving DNS after a promotion: dns-switch is invoked under this invocation's lease and within what
 * is left of its time, told which cluster has just been seen as the only primary (it then probes
 * only that one). A DNS failure is returned, not thrown: the steps planned after it (the demote of
 * an old primary that answers, a re-link) still run, and the operation reports it at the end.
 */
import type { NextCommand } from '../shared/errors';
import { invokeJson } from '../shared/invoke-function';
import type { OperationContext } from './operation-context';

/** Time kept back from the chained call for its answer to come back. */
const CHAIN_MARGIN_MS = 1000;

export type DnsOutcome =
  | { readonly kind: 'moved'; readonly answer: { readonly summary?: string; readonly [field: string]: unknown } }
  | { readonly kind: 'failed'; readonly error: string }
  /** DNS_SWITCH_FUNCTION_NAME is not set: this deployment moves DNS separately. */
  | { readonly kind: 'not-chained' };

export async function switchDns(ctx: OperationContext, primary: string): Promise<DnsOutcome> {
  const name = ctx.settings.dnsSwitchFunctionName;
  if (name === undefined || ctx.lambda === undefined) {
    ctx.timeline.note('switch DNS', 'skipped', 'DNS_SWITCH_FUNCTION_NAME is not set');
    return { kind: 'not-chained' };
  }
  const lambda = ctx.lambda;
  const budgetMs = Math.max(0, ctx.deadline.remainingMs() - CHAIN_MARGIN_MS);
  try {
    const answer = await ctx.timeline.run(
      'switch DNS',
      () => invokeJson<{ summary?: string }>(lambda, name, { expectedPrimary: primary, leaseOwner: ctx.leaseOwner, budgetMs }, ctx.deadline),
      (a) => a.summary,
    );
    ctx.journal.dns = `points at ${primary} (${answer.summary ?? 'switched'})`;
    if ((answer as { outcome?: string }).outcome === 'succeeded') ctx.journal.change(`DNS moved to ${primary}`);
    return { kind: 'moved', answer };
  } catch (err) {
    ctx.journal.dns = `not moved to ${primary}: ${(err as Error).message}`;
    return { kind: 'failed', error: (err as Error).message };
  }
}

/**
 * The command that moves DNS when this invocation could not (its switch failed, or the deployment
 * does not chain the DNS switch): dns-switch, which probes both
 * clusters and points the name at the one active primary (and says what to run instead when there
 * is none, or two). Not failover: with a healthy DR secondary beside the primary, failover refuses
 * as there is nothing to fail over from, and would leave DNS where it is.
 */
export function dnsNext(primary: string): NextCommand {
  return { function: 'dns-switch', event: {}, why: `${primary} is the active primary; dns-switch points the name at it` };
}

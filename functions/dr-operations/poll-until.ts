/**
 * Polls until an answer satisfies a condition, for at most the promotion timeout
 * (VAULT_PROMOTION_TIMEOUT_MS) and the invocation's deadline: the wait of every step that changes a
 * role. The last answer is returned either way; the caller decides what a timeout means.
 */
import type { OperationContext } from './operation-context';

export interface Polled<T> {
  readonly last: T;
  readonly done: boolean;
  /** Why the wait ended without `done`: the bound, or the invocation's deadline. */
  readonly bound: string;
}

export async function pollUntil<T>(ctx: OperationContext, look: () => Promise<T>, done: (seen: T) => boolean): Promise<Polled<T>> {
  const allowed = ctx.deadline.bound(ctx.settings.promotionTimeoutMs);
  const until = Date.now() + allowed;
  // The wait was cut by the deadline when less than the promotion timeout was left for it.
  const bound = allowed < ctx.settings.promotionTimeoutMs ? 'before the invocation ran out of time' : `within ${ctx.settings.promotionTimeoutMs} ms`;
  for (;;) {
    const last = await look();
    if (done(last)) return { last, done: true, bound };
    if (Date.now() + ctx.settings.pollMs > until || ctx.deadline.expired()) return { last, done: false, bound };
    await ctx.deadline.sleep(ctx.settings.pollMs);
  }
}

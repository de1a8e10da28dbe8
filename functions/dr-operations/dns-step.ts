/** The last step of a failover or switchover when DNS_SWITCH_FUNCTION_NAME is set. */
import { StepFailedError } from '../shared/errors';
import { invokeJson } from '../shared/invoke-function';
import type { OperationContext } from './operation-context';

/**
 * Invokes dns-switch synchronously; undefined when chaining is off. `primary` is the cluster this
 * invocation has just seen answer as the only primary: dns-switch then probes only that one.
 */
export async function switchDns(ctx: OperationContext, primary: string): Promise<unknown> {
  const name = ctx.settings.dnsSwitchFunctionName;
  if (name === undefined || ctx.lambda === undefined) return undefined;
  const lambda = ctx.lambda;
  try {
    return await ctx.timeline.run('switch DNS', () => invokeJson<{ summary?: string }>(lambda, name, { expectedPrimary: primary }), (a) => a.summary);
  } catch (err) {
    throw new StepFailedError(
      `the replication change succeeded, but switching DNS failed: ${(err as Error).message}. Run ${name} again (it is idempotent) or set the weights by hand`,
    );
  }
}

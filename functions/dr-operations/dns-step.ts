/** The last step of a failover or switchover when DNS_SWITCH_FUNCTION_NAME is set. */
import { StepFailedError } from '../shared/errors';
import { invokeJson } from '../shared/invoke-function';
import type { OperationContext } from './operation-context';

/** Invokes dns-switch synchronously; undefined when chaining is off. */
export async function switchDns(ctx: OperationContext): Promise<unknown> {
  const name = ctx.settings.dnsSwitchFunctionName;
  if (name === undefined || ctx.lambda === undefined) return undefined;
  const lambda = ctx.lambda;
  try {
    return await ctx.timeline.run('switch DNS', () => invokeJson<{ summary?: string }>(lambda, name, {}), (a) => a.summary);
  } catch (err) {
    throw new StepFailedError(
      `the replication change succeeded, but switching DNS failed: ${(err as Error).message}. Run ${name} again (it is idempotent) or set the weights by hand`,
    );
  }
}

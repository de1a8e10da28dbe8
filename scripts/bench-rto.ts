/**
 * The bench's "primary dies -> DNS INSYNC": the real functions against the simulator with
 * minute-scale transition durations (REALISTIC_TIMINGS: a 30 s promote, 10 s elections, a
 * heartbeat every 5 s; test/vault-simulator/README.md gives each one's source) on a clock
 * `timeScale` times faster than real time, with the functions' production defaults divided by the
 * same factor (test/chaos/scaled-settings.ts) and a Lambda context of the construct's timeout.
 *
 * The primary dies at t0 (connections refused, or blackholed: it accepts TCP and never answers);
 * an operator invokes failover at once and, when it fails naming a next command, runs that at
 * once, as many times as needed (at most MAX_INVOCATIONS). The clock stops when an invocation
 * answers with the secondary the one active primary and DNS on it, which the chained dns-switch
 * reports only once Route 53 said INSYNC. moto says INSYNC at the first GetChange: Route 53's own
 * propagation on AWS comes on top (README, "RTO budget on AWS").
 *
 * Real time spent on this machine (CPU, moto) counts `timeScale` times over on the simulated
 * clock, so a loaded machine reads slower, never faster.
 */
import { runOperation } from '../functions/dr-operations/handler';
import { switchDnsToPrimary } from '../functions/dns-switch/handler';
import type { NextCommand } from '../functions/shared/errors';
import { scaledEnv, scaledLambdaTimeoutMs } from '../test/chaos/scaled-settings';
import { createDrWorld, type AwsDoubles } from '../test/support/dr-harness';
import { lambdaContext } from '../test/support/lambda-invoke-endpoint';
import { captureStdout } from '../test/support/log-capture';
import { REALISTIC_TIMINGS } from '../test/vault-simulator';

const MAX_INVOCATIONS = 4;

export type DeathKind = 'down' | 'blackhole';

export interface RtoSample {
  /** Simulated ms from the primary's death to the answer that found DNS on the new primary (INSYNC). */
  readonly totalMs: number;
  /** Simulated ms from the death to the promote the secondary accepted. */
  readonly promoteStartedMs: number;
  /** Simulated ms from the death to the secondary's first moment as the active primary. */
  readonly activeMs: number;
  /** The invocations it took: failover, then the next commands its answers named. */
  readonly invocations: readonly string[];
}

let benchCounter = 0;

/** One death and the operator's invocations until DNS is on the new primary. */
export async function primaryDiesToInsync(aws: AwsDoubles, death: DeathKind, timeScale: number, seed: number): Promise<RtoSample> {
  const k = timeScale;
  const w = await createDrWorld(aws, { seed, timeScale: k, timings: REALISTIC_TIMINGS });
  const dnsFunction = `dns-switch-bench-${process.pid}-${++benchCounter}`;
  try {
    await w.storeDrToken({ ttl: '8h' });
    const dnsEnv = { ...scaledEnv(w.env.dnsSwitch, k, 'dnsSwitch'), LOG_LEVEL: 'info' };
    const opsEnv = { ...scaledEnv(w.env.operations, k, 'operations'), LOG_LEVEL: 'info', DNS_SWITCH_FUNCTION_NAME: dnsFunction };
    aws.lambda.register(dnsFunction, (event, context) => switchDnsToPrimary(event, dnsEnv, context), scaledLambdaTimeoutMs('dnsSwitch', k));
    // Let the secondary hear a few heartbeats first, as a pair that has been running would.
    await w.vault.sleep(3 * REALISTIC_TIMINGS.heartbeatIntervalMs);

    const t0 = w.vault.now();
    await w.vault.cluster('east').setFault(death);
    const invocations: string[] = [];
    let next: NextCommand = { function: 'dr-operations', event: { operation: 'failover' }, why: 'the operator fails over' };
    for (;;) {
      if (invocations.length === MAX_INVOCATIONS) throw new Error(`no convergence after ${MAX_INVOCATIONS} invocations: ${invocations.join(' | ')}`);
      const fn = next.function;
      const event = next.event;
      const timeoutMs = scaledLambdaTimeoutMs(fn === 'dns-switch' ? 'dnsSwitch' : 'operations', k);
      const startedAt = w.vault.now();
      const { result, error } = await captureStdout(
        (): Promise<{ readonly outcome: string; readonly next: NextCommand | null }> =>
          fn === 'dns-switch' ? switchDnsToPrimary(event, dnsEnv, lambdaContext(timeoutMs)) : runOperation(event, opsEnv, lambdaContext(timeoutMs)),
      );
      const took = Math.round(w.vault.now() - startedAt);
      if (error) {
        const e = error as Error & { details?: { next?: NextCommand | null } };
        if (!e.details?.next) throw new Error(`stopped without a next command: ${fn} ${JSON.stringify(event)}: ${e.message}`);
        invocations.push(`${fn} ${JSON.stringify(event)} failed after ${took} ms (${e.name}), naming ${JSON.stringify(e.details.next.event)}: ${e.details.next.why}`);
        next = e.details.next;
        continue;
      }
      if (result === undefined) throw new Error(`${fn} answered nothing`);
      const answer = result;
      invocations.push(`${fn} ${JSON.stringify(event)} ${answer.outcome} in ${took} ms`);
      const weights = await w.weights();
      if (w.vault.cluster('west').isAnsweringPrimary() && weights.west === 255 && weights.east === 0) break;
      if (!answer.next) throw new Error(`answered without DNS on west and without a next command: ${invocations.join(' | ')}`);
      next = answer.next;
    }
    const totalMs = Math.round(w.vault.now() - t0);
    const promote = w.vault.observer.events().find((e) => e.cluster === 'west' && e.kind === 'transition' && e.detail.startsWith('promote started'));
    const active = w.vault.observer.activePrimaryIntervals().find((i) => i.cluster === 'west');
    if (promote === undefined || active === undefined) throw new Error('west became the primary without a promote the observer saw');
    return { totalMs, promoteStartedMs: Math.round(promote.at - t0), activeMs: Math.round(active.from - t0), invocations };
  } finally {
    await w.stop();
  }
}

/**
 * dr-watchdog inside a chaos run, as deployed: its EventBridge schedule simulated on the scaled
 * clock (one run every `intervalMs` of simulated time, each started at its time whether or not the
 * one before has ended, never retried: the construct's schedule has no retries), the real handler
 * with its production settings (scaled-settings.ts) and the simulated clock as the clock its rule
 * reads, its pages through SNS on moto to an inbox, and its failover through the Lambda Invoke
 * endpoint to a dr-operations the run records like any other invocation (the oracle judges it).
 *
 * Beside the runs, what the oracle needs to time the whole path from its own observation: the
 * weights of the two records in Route 53 whenever they change (read around the functions, every
 * DNS_WATCH_MS real ms while the watchdog runs).
 */
import { runWatchdog, type WatchdogAnswer } from '../../functions/dr-watchdog/handler';
import type { Env } from '../../functions/shared/settings/variables';
import type { DrWorld } from '../support/dr-harness';
import { lambdaContext } from '../support/lambda-invoke-endpoint';
import { startPageInbox, type DeliveredPage } from '../support/page-inbox';
import { parseEmf, type EmfPoint } from '../support/watchdog-runs';
import type { LogTap } from './log-tap';
import { scaledEnv, scaledLambdaTimeoutMs } from './scaled-settings';
import type { WatchdogSpec } from './schedule';

/** Real ms between two reads of the weights: a quarter of a simulated second at the drill's scale. */
export const DNS_WATCH_MS = 25;

export interface WatchdogRunRecord {
  /** The scheduled time, simulated ms from the start of the run. */
  readonly scheduledAtMs: number;
  /** When it observed (its round's time, the time its decision is made at), simulated ms from the start. */
  readonly observedAtMs?: number;
  /** When the handler ended, simulated ms from the start. */
  readonly endedAtMs: number;
  readonly tookRealMs: number;
  /** Its Lambda timeout on the scaled clock, in real ms. */
  readonly timeoutMs: number;
  readonly answer?: WatchdogAnswer;
  readonly error?: { readonly name: string; readonly message: string };
  /** Its metric points (Embedded Metric Format), as CloudWatch would read them. */
  readonly metrics: readonly EmfPoint[];
}

export interface DnsChange {
  /** Simulated ms from the start of the run when the oracle saw the new weights. */
  readonly atMs: number;
  readonly weights: Readonly<Record<string, number>>;
}

export interface WatchdogReport {
  readonly spec: WatchdogSpec;
  readonly runs: readonly WatchdogRunRecord[];
  /** Pages delivered by SNS, oldest first. */
  readonly pages: readonly DeliveredPage[];
  /** The weights as first read, then every change, while the watchdog ran. */
  readonly dns: readonly DnsChange[];
}

export interface ScheduledWatchdog {
  /** Resolves when every scheduled run has ended (and the pages they sent have arrived). */
  done(): Promise<WatchdogReport>;
  /**
   * Ends it early (the chaos run failed before the schedule ended): no run starts after this, the
   * weights are no longer read and the inbox closes; a run in progress ends on its own.
   */
  abort(): Promise<void>;
}

export interface ScheduledWatchdogOptions {
  readonly spec: WatchdogSpec;
  readonly timeScale: number;
  readonly tap: LogTap;
  /** Simulated epoch ms of the run's start (times are reported from it). */
  readonly t0: number;
  /** The dr-operations function name the watchdog invokes (registered by the run). */
  readonly operationsFunctionName: string;
  /** The SNS topic's name (unique per run: runs may share moto). */
  readonly topicName: string;
  readonly motoEndpoint: string;
}

/**
 * How much slower than the run's clock the watchdog's Vault bounds run (its connect and request
 * timeouts, its deadline reserve). Each run opens 12 fresh TLS connections at once (3 probes of 2
 * clusters, 2 requests each) in the process that also runs the simulator: on a loaded 2-core
 * machine those handshakes alone take 200-400 real ms, so at the drill's scale (a 1 s connect bound
 * is 100 real ms) a healthy cluster would look unreachable, and one probe of the secondary that does
 * not answer makes its view unknown for the run (which restarts the window). At an eighth of the
 * scale the bounds are 800 and 2000 real ms at the drill's scale of 10; a dead primary then costs a
 * run up to 8 simulated s instead of 1, which the drill's time to detect includes (larger than in
 * production, never smaller).
 */
export const WATCHDOG_PROBE_SLOWDOWN = 8;

/** The watchdog's environment in a chaos run: the harness's, the mode, production settings on the scaled clock. */
export function scheduledWatchdogEnv(w: DrWorld, spec: WatchdogSpec, timeScale: number, operationsFunctionName: string, pageTopicArn: string): Env {
  return {
    ...scaledEnv(w.env.watchdog, timeScale / WATCHDOG_PROBE_SLOWDOWN, 'watchdog'),
    WATCHDOG_MODE: spec.mode,
    DR_OPERATIONS_FUNCTION_NAME: operationsFunctionName,
    WATCHDOG_PAGE_TOPIC_ARN: pageTopicArn,
  };
}

export async function startScheduledWatchdog(w: DrWorld, options: ScheduledWatchdogOptions): Promise<ScheduledWatchdog> {
  const { spec, timeScale: k, tap, t0 } = options;
  const inbox = await startPageInbox(options.motoEndpoint, options.topicName);
  const env = scheduledWatchdogEnv(w, spec, k, options.operationsFunctionName, inbox.topicArn);
  const timeoutMs = scaledLambdaTimeoutMs('watchdog', k);
  const since = (): number => Math.round(w.vault.now() - t0);
  let stopped = false;
  let closed: Promise<void> | undefined;

  const dns: DnsChange[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const weights = await w.weights().catch(() => undefined);
      const last = dns.at(-1)?.weights;
      if (weights !== undefined && (last === undefined || Object.keys({ ...weights, ...last }).some((c) => weights[c] !== last[c]))) dns.push({ atMs: since(), weights });
      await new Promise((r) => setTimeout(r, DNS_WATCH_MS));
    }
  })();

  const runOnce = async (scheduledAtMs: number): Promise<WatchdogRunRecord | undefined> => {
    const wait = t0 + scheduledAtMs - w.vault.now();
    if (wait > 0) await w.vault.sleep(wait);
    if (stopped) return undefined;
    const from = tap.mark();
    const started = Date.now();
    let answer: WatchdogAnswer | undefined;
    let error: WatchdogRunRecord['error'];
    try {
      answer = await runWatchdog({ command: 'observe' }, env, lambdaContext(timeoutMs), { now: () => w.vault.now() });
    } catch (err) {
      error = { name: (err as Error).name, message: (err as Error).message };
    }
    const tookRealMs = Date.now() - started;
    // Its own points: the EMF lines stamped with this run's observation time (other runs' lines may interleave).
    const at = answer?.round?.atMs;
    const metrics = at === undefined ? [] : parseEmf(tap.lines(from).filter((l) => l.startsWith('{"_aws"'))).filter((p) => p.timestamp === at);
    return {
      scheduledAtMs,
      ...(at === undefined ? {} : { observedAtMs: Math.round(at - t0) }),
      endedAtMs: since(),
      tookRealMs,
      timeoutMs,
      ...(answer ? { answer } : {}),
      ...(error ? { error } : {}),
      metrics,
    };
  };
  const runs = Promise.all(Array.from({ length: spec.runs }, (_, i) => runOnce(spec.firstAtMs + i * spec.intervalMs)));

  const close = (): Promise<void> => {
    stopped = true;
    watching = false;
    closed ??= watcher.then(() => inbox.stop());
    return closed;
  };
  return {
    abort: close,
    async done() {
      try {
        const records = (await runs).filter((r): r is WatchdogRunRecord => r !== undefined);
        // Every page a run says it sent must arrive: SNS on moto delivers to the inbox over HTTP.
        const sent = records.reduce((n, r) => n + pagesSent(r.answer), 0);
        await inbox.waitFor(sent, 5_000).catch(() => undefined);
        return { spec, runs: records, pages: inbox.pages(), dns: [...dns] };
      } finally {
        await close();
      }
    },
  };
}

/** Pages a run published: one for a hold that pages, two around a failover (before and after). */
function pagesSent(answer: WatchdogAnswer | undefined): number {
  if (answer?.page?.sent !== true) return 0;
  return answer.failover !== undefined ? 2 : 1;
}

/**
 * A client of a performance secondary that keeps reading, as an application near it does: one KV
 * read at a time from the secondary's client address (its own load balancer, never the high-level
 * name: its clients are pointed at it), each recorded with when it started and ended (simulated
 * ms) and whether the secondary served it. The value read was written on the primary before the
 * drill started and had reached the secondary: a read is served when it answers 200 with it.
 *
 * `readAvailability` turns the attempts into what the drill prints and checks: how many reads were
 * attempted and served, and the longest time without a served read, measured from the attempts
 * (the gap from the start to the first served read and from the last one to the end included).
 */
import { vaultRequest } from '../../test/vault-simulator';
import type { DrWorld } from '../../test/support/dr-harness';

export interface ReadAttempt {
  readonly n: number;
  /** Simulated epoch ms. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** served: 200 with the value written before the run; refused: any other answer; no-answer: none within the read timeout. */
  readonly outcome: 'served' | 'refused' | 'no-answer';
  readonly status?: number;
}

export interface PerformanceReaderOptions {
  /** The performance secondary read from. */
  readonly cluster: string;
  /** The KV path read (under secret/), written by `seedReadPath` before the run. */
  readonly path: string;
  /** Simulated ms between the end of one read and the start of the next. */
  readonly intervalMs: number;
  /** Real ms a read may take before it counts as unanswered. */
  readonly readTimeoutMs: number;
}

export interface PerformanceReader {
  attempts(): readonly ReadAttempt[];
  /** Simulated epoch ms the reader started and (once stopped) ended. */
  readonly startedAt: number;
  stoppedAt(): number | undefined;
  /** Stops after the read in flight; resolves when the loop has ended. */
  stop(): Promise<void>;
}

/** The value `seedReadPath` writes: what a served read must return. */
export const SEEDED_VALUE = 'readable-through-the-failover';

/**
 * Writes the value on the primary (root token) and waits until `cluster` serves it: the reader
 * then reads data its secondary really holds. Throws, naming the cluster, if it never arrives.
 */
export async function seedReadPath(w: DrWorld, primary: string, cluster: string, path: string, waitRealMs = 10_000): Promise<void> {
  const { caPem, rootToken } = w.vault;
  const written = await vaultRequest(w.vault.cluster(primary).clientAddress, caPem, { method: 'PUT', path: `secret/${path}`, token: rootToken, body: { value: SEEDED_VALUE } });
  if (written.status !== 204 && written.status !== 200) throw new Error(`performance reader: writing secret/${path} on ${primary} answered ${written.status}`);
  const until = Date.now() + waitRealMs;
  for (;;) {
    const read = await vaultRequest(w.vault.cluster(cluster).clientAddress, caPem, { path: `secret/${path}`, token: rootToken }).catch(() => undefined);
    if (read?.status === 200 && read.body?.data?.value === SEEDED_VALUE) return;
    if (Date.now() > until) throw new Error(`performance reader: secret/${path} written on ${primary} did not reach ${cluster} within ${waitRealMs} real ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function startPerformanceReader(w: DrWorld, options: PerformanceReaderOptions): PerformanceReader {
  const attempts: ReadAttempt[] = [];
  const startedAt = w.vault.now();
  let stoppedAt: number | undefined;
  let stopped = false;
  const address = w.vault.cluster(options.cluster).clientAddress;
  const loop = (async () => {
    let n = 0;
    while (!stopped) {
      n++;
      const started = w.vault.now();
      let outcome: ReadAttempt['outcome'];
      let status: number | undefined;
      try {
        const res = await vaultRequest(address, w.vault.caPem, { path: `secret/${options.path}`, token: w.vault.rootToken, timeoutMs: options.readTimeoutMs });
        status = res.status;
        outcome = res.status === 200 && res.body?.data?.value === SEEDED_VALUE ? 'served' : 'refused';
      } catch {
        outcome = 'no-answer';
      }
      attempts.push({ n, startedAt: started, endedAt: w.vault.now(), outcome, ...(status === undefined ? {} : { status }) });
      if (!stopped) await w.vault.sleep(options.intervalMs);
    }
    stoppedAt = w.vault.now();
  })();
  return {
    attempts: () => [...attempts],
    startedAt,
    stoppedAt: () => stoppedAt,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export interface ReadAvailability {
  readonly attempted: number;
  readonly served: number;
  readonly refused: number;
  readonly unanswered: number;
  /** The longest time without a served read, in simulated ms, and where it fell (simulated epoch ms). */
  readonly longestGap: { readonly ms: number; readonly from: number; readonly to: number };
}

/**
 * Counts `attempts` that started within [from, to] and measures the longest stretch of [from, to]
 * with no read served (a served read counts at its end, when the client has its answer).
 */
export function readAvailability(attempts: readonly ReadAttempt[], from: number, to: number): ReadAvailability {
  const inside = attempts.filter((a) => a.startedAt >= from && a.startedAt <= to);
  const servedAt = inside.filter((a) => a.outcome === 'served').map((a) => Math.min(a.endedAt, to)).sort((a, b) => a - b);
  const points = [from, ...servedAt, to];
  let longestGap = { ms: 0, from, to: from };
  for (let i = 1; i < points.length; i++) {
    const gap = (points[i] as number) - (points[i - 1] as number);
    if (gap > longestGap.ms) longestGap = { ms: gap, from: points[i - 1] as number, to: points[i] as number };
  }
  return {
    attempted: inside.length,
    served: servedAt.length,
    refused: inside.filter((a) => a.outcome === 'refused').length,
    unanswered: inside.filter((a) => a.outcome === 'no-answer').length,
    longestGap,
  };
}

/**
 * What clients see: an application that resolves the high-level name from the two weighted
 * records in Route 53 (moto), as a resolver would, and keeps writing through it.
 *
 * - Resolution: Route 53 answers a weighted name with one record chosen with probability
 *   weight / sum of weights, and when every weight is 0 with equal probability
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html). The
 *   choice is drawn from a seeded generator, so a run replays.
 * - Caching: the answer is kept for the record's TTL (30 s in the test zone) on the simulated
 *   clock, as a caching resolver and the client's own stub do; a DNS change reaches this client
 *   only when its cached answer expires.
 * - Writing: one KV write at a time to the resolved cluster's client address (the clients network),
 *   with the world's root token (clients use their own tokens in reality; which one does not matter
 *   to which cluster accepts the write). Each attempt is recorded: which cluster it went to, when,
 *   and whether it was accepted (204), refused (an HTTP error) or got no answer.
 */
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { vaultRequest } from '../vault-simulator';
import type { DrWorld } from '../support/dr-harness';

export interface ClientAttempt {
  readonly n: number;
  /** The cluster the name resolved to. */
  readonly cluster: string;
  /** Simulated epoch ms. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: 'accepted' | 'refused' | 'no-answer';
  readonly status?: number;
}

export interface Resolution {
  /** Simulated epoch ms. */
  readonly at: number;
  readonly cluster: string;
  readonly weights: Readonly<Record<string, number>>;
}

export interface ResolvingClient {
  attempts(): readonly ClientAttempt[];
  resolutions(): readonly Resolution[];
  /** Stops after the write in flight; resolves when the loop has ended. */
  stop(): Promise<void>;
}

/** A small seeded generator (mulberry32): the resolver's draws replay with the schedule's seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ResolvingClientOptions {
  readonly seed: number;
  /** Simulated ms between the end of one write and the start of the next. */
  readonly intervalMs: number;
  /** Real ms a write may take before it counts as unanswered. */
  readonly writeTimeoutMs: number;
}

export function startResolvingClient(w: DrWorld, options: ResolvingClientOptions): ResolvingClient {
  const random = seededRandom(options.seed);
  const attempts: ClientAttempt[] = [];
  const resolutions: Resolution[] = [];
  let cached: { cluster: string; until: number } | undefined;
  let stopped = false;

  const resolve = async (): Promise<string> => {
    const now = w.vault.now();
    if (cached !== undefined && now < cached.until) return cached.cluster;
    const out = await w.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: w.hostedZoneId, StartRecordName: w.recordName, StartRecordType: 'CNAME' }));
    const records = (out.ResourceRecordSets ?? []).filter((s) => s.SetIdentifier !== undefined && w.names.includes(s.SetIdentifier));
    const weights = Object.fromEntries(records.map((s) => [s.SetIdentifier as string, s.Weight ?? 0]));
    const total = records.reduce((sum, s) => sum + (s.Weight ?? 0), 0);
    let chosen = records[records.length - 1];
    if (total === 0) chosen = records[Math.floor(random() * records.length)];
    else {
      let draw = random() * total;
      for (const s of records) {
        draw -= s.Weight ?? 0;
        if (draw < 0) {
          chosen = s;
          break;
        }
      }
    }
    const cluster = chosen?.SetIdentifier as string;
    const ttlMs = (chosen?.TTL ?? 30) * 1000;
    cached = { cluster, until: w.vault.now() + ttlMs };
    resolutions.push({ at: w.vault.now(), cluster, weights });
    return cluster;
  };

  const loop = (async () => {
    let n = 0;
    while (!stopped) {
      n++;
      const cluster = await resolve();
      const startedAt = w.vault.now();
      let outcome: ClientAttempt['outcome'];
      let status: number | undefined;
      try {
        const res = await vaultRequest(w.vault.cluster(cluster).clientAddress, w.vault.caPem, {
          method: 'PUT',
          path: `secret/chaos/w${n}`,
          token: w.vault.rootToken,
          body: { n },
          timeoutMs: options.writeTimeoutMs,
        });
        status = res.status;
        outcome = res.status === 204 || res.status === 200 ? 'accepted' : 'refused';
      } catch {
        outcome = 'no-answer';
      }
      attempts.push({ n, cluster, startedAt, endedAt: w.vault.now(), outcome, ...(status === undefined ? {} : { status }) });
      if (!stopped) await w.vault.sleep(options.intervalMs);
    }
  })();

  return {
    attempts: () => [...attempts],
    resolutions: () => [...resolutions],
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

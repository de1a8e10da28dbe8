/**
 * Normalising and comparing two servers' answers. Values that differ on every run (request ids,
 * times, accessors, token strings, cluster identity) are replaced by the kind of value they are,
 * after checking they have that kind's shape; everything else (status codes, keys, types, messages,
 * warnings, policies, TTLs) is compared as is.
 */
import type { RawResponse } from './targets';

/** One answer, as recorded by a scenario. */
export interface Exchange {
  /** Names the request within its scenario, e.g. 'create against the batch role'. */
  readonly label: string;
  readonly request: string;
  readonly status: number;
  readonly body: unknown;
}

/** A place where the two servers' normalised answers differ. */
export interface Difference {
  readonly scenario: string;
  readonly label: string;
  /** 'status', or a JSON path into the body such as 'body.data.policies[0]'. */
  readonly at: string;
  /** undefined: the key is absent on that side. */
  readonly simulator: unknown;
  readonly openbao: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** Vault 1.10+ (hvs./hvb.) and the legacy forms OpenBao still issues (s./b.). */
const SERVICE_TOKEN = /^(?:hvs|s)\.[A-Za-z0-9_-]{24,}$/;
const BATCH_TOKEN = /^(?:hvb|b)\.[A-Za-z0-9_-]{40,}$/;
/** OpenBao's dev root token is ours (test/support/openbao.ts); the simulator's is a real one. */
const DEV_ROOT_TOKEN = /^root-[0-9a-f]{16}$/;

function tokenKind(value: string): string | undefined {
  if (BATCH_TOKEN.test(value)) return '<batch-token>';
  if (SERVICE_TOKEN.test(value) || DEV_ROOT_TOKEN.test(value)) return '<service-token>';
  return undefined;
}

/** What a volatile value becomes; a value without the expected shape is left for the diff to show. */
function normaliseLeaf(key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    if (key === 'request_id' && UUID.test(value)) return '<uuid>';
    if (key === 'cluster_id' && UUID.test(value)) return '<uuid>';
    if (key === 'nonce' && UUID.test(value)) return '<uuid>';
    if (key === 'cluster_name' && value !== '') return '<cluster-name>';
    if (key === 'version' && /^\d+\.\d+\.\d+/.test(value)) return '<version>';
    if ((key === 'accessor' || key === 'wrapped_accessor') && /^[A-Za-z0-9.]{20,}$/.test(value)) return '<accessor>';
    if (['issue_time', 'expire_time', 'modified', 'creation_time', 'build_date', 'commit_date'].includes(key) && RFC3339.test(value)) {
      return '<time>';
    }
    const kind = tokenKind(value);
    if (kind !== undefined) return kind;
    return value;
  }
  if (typeof value === 'number') {
    if (key === 'creation_time' || key === 'server_time_utc') return '<unix-seconds>';
    // A token's remaining TTL ticks while the test runs: compare it to the nearest ten seconds.
    if (key === 'ttl') return Math.round(value / 10) * 10;
  }
  return value;
}

export function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normalise(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => {
        // Keys that are themselves secrets (none today) or paths stay as they are.
        return [tokenKind(k) ?? k, normalise(v, k)];
      }),
    );
  }
  return normaliseLeaf(key, value);
}

export function record(label: string, request: string, response: RawResponse): Exchange {
  return { label, request, status: response.status, body: normalise(response.body) };
}

function walk(at: string, simulator: unknown, openbao: unknown, out: Array<{ at: string; simulator: unknown; openbao: unknown }>): void {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(simulator) && isObject(openbao)) {
    const keys = [...new Set([...Object.keys(simulator), ...Object.keys(openbao)])].sort();
    for (const key of keys) walk(`${at}.${key}`, simulator[key], openbao[key], out);
    return;
  }
  if (Array.isArray(simulator) && Array.isArray(openbao) && simulator.length === openbao.length) {
    simulator.forEach((item, i) => walk(`${at}[${i}]`, item, openbao[i], out));
    return;
  }
  if (JSON.stringify(simulator) !== JSON.stringify(openbao)) out.push({ at, simulator, openbao });
}

/** Every difference between two recordings of the same scenario. */
export function differences(scenario: string, simulator: readonly Exchange[], openbao: readonly Exchange[]): Difference[] {
  if (simulator.length !== openbao.length) {
    return [{ scenario, label: '(exchange count)', at: 'length', simulator: simulator.length, openbao: openbao.length }];
  }
  const out: Difference[] = [];
  simulator.forEach((sim, i) => {
    const bao = openbao[i] as Exchange;
    const found: Array<{ at: string; simulator: unknown; openbao: unknown }> = [];
    if (sim.status !== bao.status) found.push({ at: 'status', simulator: sim.status, openbao: bao.status });
    walk('body', sim.body, bao.body, found);
    for (const d of found) out.push({ scenario, label: sim.label, ...d });
  });
  return out;
}

export const describeDifference = (d: Difference): string =>
  `[${d.scenario}] ${d.label}: ${d.at}: simulator ${JSON.stringify(d.simulator)} / openbao ${JSON.stringify(d.openbao)}`;

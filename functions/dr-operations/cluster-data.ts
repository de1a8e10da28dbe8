/**
 * Whether a cluster holds data that enabling it as a DR secondary would erase ("This will
 * immediately clear all data in the secondary cluster!", replication-dr API, Enable DR Secondary).
 *
 * Vault has no "is this cluster empty" endpoint, so the check asks, with the operator's token for
 * that cluster, for everything an operator creates after `vault operator init`, each through its
 * documented list or read endpoint:
 * - secrets engines other than the three every cluster has (`cubbyhole/`, `identity/`, `sys/`:
 *   enabled by default, cannot be disabled); a KV mount counts only when it has keys (an empty one
 *   loses nothing), any other engine counts (sys/mounts; KV v1 LIST <mount>, KV v2 LIST <mount>/metadata);
 * - auth methods other than `token/` (sys/auth);
 * - ACL policies other than `default`, `root` and the ones the operator's own token carries
 *   (sys/policies/acl, auth/token/lookup-self);
 * - token roles (auth/token/roles) and namespaces (sys/namespaces, Enterprise).
 * A list Vault answers 404 is empty. A question the token may not ask is `unchecked`: the caller
 * treats it like data (it refuses unless forced), because what it cannot see it cannot vouch for.
 *
 * Pure evaluation (`evaluateClusterData`) is separate from the calls (`inspectClusterData`).
 */
import { VaultApiError, type VaultApi } from '../shared/vault-api';
import type { Secret } from '../shared/secret';

/** Mounts every cluster has from `vault operator init` on. */
export const BUILT_IN_MOUNTS: readonly string[] = ['cubbyhole/', 'identity/', 'sys/'];
export const BUILT_IN_AUTH: readonly string[] = ['token/'];
export const BUILT_IN_POLICIES: readonly string[] = ['default', 'root'];

export interface ClusterData {
  /** What the cluster holds, one line each (e.g. `secrets engine pki/ (pki)`). */
  readonly holds: readonly string[];
  /** What could not be checked, and why. */
  readonly unchecked: readonly string[];
  /** What was found and does not count (an empty KV mount), for the record. */
  readonly ignored: readonly string[];
}

/** One answer: the data, `undefined` for 404 (nothing there), or the reason it could not be asked. */
export type Asked<T> = { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly reason: string };

export interface MountInfo {
  readonly path: string;
  readonly type: string;
  /** KV's `options.version`, when given. */
  readonly version?: string;
  /** For KV mounts: the keys at its top level (undefined: none). */
  readonly keys?: Asked<readonly string[]>;
}

export interface DataAnswers {
  readonly mounts: Asked<readonly MountInfo[]>;
  readonly auth: Asked<readonly { readonly path: string; readonly type: string }[]>;
  readonly policies: Asked<readonly string[]>;
  readonly ownPolicies: readonly string[];
  readonly tokenRoles: Asked<readonly string[]>;
  readonly namespaces: Asked<readonly string[]>;
}

/** Pure: what the answers say the cluster holds. */
export function evaluateClusterData(answers: DataAnswers): ClusterData {
  const holds: string[] = [];
  const unchecked: string[] = [];
  const ignored: string[] = [];
  const each = <T>(what: string, asked: Asked<readonly T[]>, visit: (item: T) => void): void => {
    if (!asked.ok) unchecked.push(`${what}: ${asked.reason}`);
    else for (const item of asked.value ?? []) visit(item);
  };
  each('secrets engines (sys/mounts)', answers.mounts, (mount) => {
    if (BUILT_IN_MOUNTS.includes(mount.path)) return;
    if (mount.type !== 'kv') {
      holds.push(`secrets engine ${mount.path} (${mount.type})`);
      return;
    }
    const keys = mount.keys ?? { ok: true, value: undefined };
    if (!keys.ok) unchecked.push(`keys of KV mount ${mount.path}: ${keys.reason}`);
    else if ((keys.value ?? []).length > 0) holds.push(`KV mount ${mount.path} with ${keys.value?.length} key(s) at its top level`);
    else ignored.push(`empty KV mount ${mount.path}`);
  });
  each('auth methods (sys/auth)', answers.auth, (method) => {
    if (!BUILT_IN_AUTH.includes(method.path)) holds.push(`auth method ${method.path} (${method.type})`);
  });
  each('ACL policies (sys/policies/acl)', answers.policies, (policy) => {
    if (BUILT_IN_POLICIES.includes(policy)) return;
    if (answers.ownPolicies.includes(policy)) ignored.push(`policy ${policy} (carried by the token given for this check)`);
    else holds.push(`ACL policy ${policy}`);
  });
  each('token roles (auth/token/roles)', answers.tokenRoles, (role) => holds.push(`token role ${role}`));
  each('namespaces (sys/namespaces)', answers.namespaces, (ns) => holds.push(`namespace ${ns}`));
  return { holds, unchecked, ignored };
}

/** A 4xx answer is "could not be asked" (with Vault's words); no answer at all is thrown. */
async function ask<T>(fn: () => Promise<T | undefined>): Promise<Asked<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof VaultApiError && err.status < 500) return { ok: false, reason: `HTTP ${err.status}${err.errors.length ? ` ${err.errors.join('; ').replace(/\s+/g, ' ').trim()}` : ''}` };
    throw err;
  }
}

const keysOf = (data: Record<string, unknown> | undefined): string[] | undefined =>
  data === undefined ? undefined : Array.isArray(data.keys) ? data.keys.map(String) : [];

/** The cluster's mounts, auth methods, policies, token roles and namespaces, asked with `token`. */
export async function inspectClusterData(api: VaultApi, token: Secret): Promise<ClusterData> {
  const self = await ask(() => api.readData(token, 'auth/token/lookup-self'));
  const ownPolicies = self.ok && Array.isArray(self.value?.policies) ? (self.value.policies as unknown[]).map(String) : [];
  const mounts = await ask(async () => {
    const data = await api.readData(token, 'sys/mounts');
    if (data === undefined) return undefined;
    const list: MountInfo[] = [];
    for (const [path, raw] of Object.entries(data)) {
      if (!path.endsWith('/') || raw === null || typeof raw !== 'object') continue;
      const info = raw as { type?: unknown; options?: { version?: unknown } | null };
      const type = String(info.type ?? 'unknown');
      const version = info.options?.version === undefined ? undefined : String(info.options.version);
      if (type !== 'kv' || BUILT_IN_MOUNTS.includes(path)) {
        list.push({ path, type, ...(version === undefined ? {} : { version }) });
        continue;
      }
      const base = path.replace(/\/+$/, '');
      const keys = await ask(async () => keysOf(await api.readData(token, version === '2' ? `${base}/metadata` : base, { list: true })));
      list.push({ path, type, ...(version === undefined ? {} : { version }), keys });
    }
    return list;
  });
  const auth = await ask(async () => {
    const data = await api.readData(token, 'sys/auth');
    if (data === undefined) return undefined;
    return Object.entries(data)
      .filter(([path, raw]) => path.endsWith('/') && raw !== null && typeof raw === 'object')
      .map(([path, raw]) => ({ path, type: String((raw as { type?: unknown }).type ?? 'unknown') }));
  });
  const policies = await ask(async () => keysOf(await api.readData(token, 'sys/policies/acl', { list: true })));
  const tokenRoles = await ask(async () => keysOf(await api.readData(token, 'auth/token/roles', { list: true })));
  const namespaces = await ask(async () => keysOf(await api.readData(token, 'sys/namespaces', { list: true })));
  return evaluateClusterData({ mounts, auth, policies, ownPolicies, tokenRoles, namespaces });
}

/**
 * A KV version 1 secrets engine mounted at secret/: what a client writes to, so that the WAL index
 * advances and the observer can tell which writes each cluster holds. Answered by an active
 * primary (or a cluster with DR disabled) and by a performance secondary (reads from its own
 * storage, writes forwarded to its primary, cluster.ts); a DR secondary refuses it in the router
 * with 400 "path disabled in replication DR secondary mode". Bodies and codes follow Vault's KV v1 API:
 * write 204, read 200 with the data, missing 404, list 200 with keys, delete 204.
 */
import { ACL } from '../auth';
import { VaultError, badRequest, noContent, ok } from '../envelope';
import type { Route } from '../router';

export const KV_MOUNT = 'secret/';

function secretPath(path: string): string | undefined {
  if (path === 'secret') return '';
  return path.startsWith(KV_MOUNT) ? path.slice(KV_MOUNT.length) : undefined;
}

export const kvRoute: Route = {
  match: (path) => {
    const inner = secretPath(path);
    return inner === undefined ? undefined : { key: inner };
  },
  auth: () => ACL,
  operations: {
    update: ({ cluster, node, params, body, forwardedBy }) => {
      const key = params['key'] as string;
      if (key === '') throw badRequest('missing secret path: write to secret/<path>');
      if (Object.keys(body).length === 0) throw badRequest('no data provided');
      return { ...noContent(), clientWrite: cluster.applyClientWrite(key, body, node, forwardedBy?.name) };
    },
    // Served from the storage of the cluster that received it: a performance secondary reads locally.
    read: ({ cluster, node, state, params }) => {
      const key = params['key'] as string;
      const entry = state.kv.get(key);
      cluster.recordClientRead(key, entry?.writeId, node);
      if (entry === undefined) throw new VaultError(404);
      return ok({ data: { ...entry.data }, lease_duration: 2_764_800 });
    },
    list: ({ state, params }) => {
      const prefix = params['key'] === '' ? '' : `${params['key'] as string}/`;
      const keys = new Set<string>();
      for (const key of state.kv.keys()) {
        if (!key.startsWith(prefix)) continue;
        const rest = key.slice(prefix.length);
        const slash = rest.indexOf('/');
        keys.add(slash < 0 ? rest : rest.slice(0, slash + 1));
      }
      if (keys.size === 0) throw new VaultError(404);
      return ok({ data: { keys: [...keys].sort() } });
    },
    delete: ({ state, params }) => {
      state.kv.delete(params['key'] as string);
      return noContent();
    },
  },
};

/**
 * The two primary endpoints DR and performance replication answer alike: secondary-token (needs
 * sudo, api/sudo_paths.go) and revoke-secondary (the ACL only). Each kind mounts them under its
 * own prefix and passes the replication that serves them (README.md, "Who may call what" and
 * "Performance replication").
 */
import type { ActivationToken } from '../activation-tokens';
import { ACL, ACL_SUDO } from '../auth';
import type { ClusterCore } from '../cluster';
import { badRequest, ok } from '../envelope';
import { optionalDuration, optionalString } from '../params';
import { type Route, exact } from '../router';

const DEFAULT_ACTIVATION_TTL_SECONDS = 30 * 60;

/** What a replication kind offers these endpoints. */
export interface SecondaryRosterApi {
  issueSecondaryToken(primary: ClusterCore, request: { id: string; ttlSeconds: number; publicKey: string | undefined }): ActivationToken;
  revokeSecondary(primary: ClusterCore, id: string): void;
}

/**
 * Without secondary_public_key the activation token is response-wrapped (wrap_info.token, data
 * null); with it the token is data.token. Either way the token is single use and expires on the
 * simulated clock.
 */
export function secondaryTokenRoute(path: string, replicationOf: (cluster: ClusterCore) => SecondaryRosterApi): Route {
  return {
    match: exact(path),
    auth: () => ACL_SUDO,
    operations: {
      update: ({ cluster, body, path: requestPath }) => {
        const id = optionalString(body, 'id');
        if (id === undefined || id === '') throw badRequest('missing "id": a unique id for the secondary is required');
        const ttlSeconds = optionalDuration(body, 'ttl') || DEFAULT_ACTIVATION_TTL_SECONDS;
        const publicKey = optionalString(body, 'secondary_public_key') || undefined;
        const activation = replicationOf(cluster).issueSecondaryToken(cluster, { id, ttlSeconds, publicKey });
        if (publicKey !== undefined) return ok({ data: { token: activation.token } });
        return ok({
          wrap_info: {
            token: activation.token,
            accessor: `wrap_${id}`.slice(0, 24),
            ttl: ttlSeconds,
            creation_time: new Date(cluster.now()).toISOString(),
            creation_path: requestPath,
            wrapped_accessor: '',
          },
        });
      },
    },
  };
}

export function revokeSecondaryRoute(path: string, replicationOf: (cluster: ClusterCore) => SecondaryRosterApi): Route {
  return {
    match: exact(path),
    auth: () => ACL,
    operations: {
      update: ({ cluster, body }) => {
        const id = optionalString(body, 'id');
        if (id === undefined || id === '') throw badRequest('missing "id"');
        replicationOf(cluster).revokeSecondary(cluster, id);
        return ok({});
      },
    },
  };
}

/**
 * sys/replication/dr/primary/*: called on a DR primary (or a disabled cluster for enable) with an
 * X-Vault-Token. On a DR secondary these paths are already refused by the router's path filter.
 *
 * Only secondary-token needs sudo: it is the one DR path among Vault's sudo paths (api/sudo_paths.go,
 * "enterprise-only paths"; the API docs: "This endpoint requires 'sudo' capability"). enable,
 * demote, disable and revoke-secondary need the ACL only (README.md, "Who may call what").
 */
import { ACL, ACL_SUDO } from '../auth';
import { WARNINGS, badRequest, ok } from '../envelope';
import { optionalDuration, optionalString } from '../params';
import { type Route, exact } from '../router';

const PREFIX = 'sys/replication/dr/primary/';
const DEFAULT_ACTIVATION_TTL_SECONDS = 30 * 60;

export const primaryEnableRoute: Route = {
  match: exact(`${PREFIX}enable`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => {
      cluster.replication().enablePrimary(cluster);
      return ok({ warnings: [WARNINGS.primaryEnable] });
    },
  },
};

export const primaryDemoteRoute: Route = {
  match: exact(`${PREFIX}demote`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => {
      cluster.replication().demote(cluster);
      return ok({ warnings: [WARNINGS.demote] });
    },
  },
};

export const primaryDisableRoute: Route = {
  match: exact(`${PREFIX}disable`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => {
      cluster.replication().disablePrimary(cluster);
      return ok({ warnings: [WARNINGS.disable] });
    },
  },
};

/**
 * Without secondary_public_key the activation token is response-wrapped (wrap_info.token, data
 * null); with it the token is data.token. Either way the token is single use and expires on the
 * simulated clock.
 */
export const secondaryTokenRoute: Route = {
  match: exact(`${PREFIX}secondary-token`),
  auth: () => ACL_SUDO,
  operations: {
    update: ({ cluster, body, path }) => {
      const id = optionalString(body, 'id');
      if (id === undefined || id === '') throw badRequest('missing "id": a unique id for the secondary is required');
      const ttlSeconds = optionalDuration(body, 'ttl') || DEFAULT_ACTIVATION_TTL_SECONDS;
      const publicKey = optionalString(body, 'secondary_public_key') || undefined;
      const activation = cluster.replication().issueSecondaryToken(cluster, { id, ttlSeconds, publicKey });
      if (publicKey !== undefined) {
        return ok({ data: { token: activation.token } });
      }
      return ok({
        wrap_info: {
          token: activation.token,
          accessor: `wrap_${id}`.slice(0, 24),
          ttl: ttlSeconds,
          creation_time: new Date(cluster.now()).toISOString(),
          creation_path: path,
          wrapped_accessor: '',
        },
      });
    },
  },
};

export const revokeSecondaryRoute: Route = {
  match: exact(`${PREFIX}revoke-secondary`),
  auth: () => ACL,
  operations: {
    update: ({ cluster, body }) => {
      const id = optionalString(body, 'id');
      if (id === undefined || id === '') throw badRequest('missing "id"');
      cluster.replication().revokeSecondary(cluster, id);
      return ok({});
    },
  },
};

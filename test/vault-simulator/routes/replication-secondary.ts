/**
 * sys/replication/dr/secondary/*. On a DR secondary the operations authenticate with the body
 * parameter dr_operation_token (Vault's only way in there); on any other cluster promote,
 * update-primary and disable answer "this cluster is not a DR secondary" before any auth check,
 * and enable / generate-public-key use an ordinary X-Vault-Token.
 */
import { ACL, DR_OPERATION, NO_AUTH } from '../auth';
import { MESSAGES, WARNINGS, badRequest, ok } from '../envelope';
import type { ClusterCore } from '../cluster';
import { optionalBool, optionalList, optionalString } from '../params';
import { type Route, exact } from '../router';

const PREFIX = 'sys/replication/dr/secondary/';

const drOperationOnSecondary = (cluster: ClusterCore) => (cluster.drMode() === 'secondary' ? DR_OPERATION : NO_AUTH);

function requireSecondary(cluster: ClusterCore): void {
  if (cluster.drMode() !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
}

export const promoteRoute: Route = {
  match: exact(`${PREFIX}promote`),
  auth: drOperationOnSecondary,
  operations: {
    update: ({ cluster, body }) => {
      requireSecondary(cluster);
      cluster.replication().promote(cluster, optionalBool(body, 'force') ?? false);
      return ok({ warnings: [WARNINGS.promote] });
    },
  },
};

export const updatePrimaryRoute: Route = {
  match: exact(`${PREFIX}update-primary`),
  auth: drOperationOnSecondary,
  operations: {
    update: ({ cluster, body }) => {
      requireSecondary(cluster);
      const addrs = optionalList(body, 'update_primary_addrs');
      // primary_api_addr and ca_file are accepted and ignored: the simulator needs no address to reach a primary.
      optionalString(body, 'primary_api_addr');
      optionalString(body, 'ca_file');
      cluster.replication().updatePrimary(cluster, optionalString(body, 'token'), addrs !== undefined && addrs.length > 0);
      return ok({ warnings: [WARNINGS.updatePrimary] });
    },
  },
};

export const secondaryDisableRoute: Route = {
  match: exact(`${PREFIX}disable`),
  auth: drOperationOnSecondary,
  operations: {
    update: ({ cluster }) => {
      requireSecondary(cluster);
      cluster.replication().disableSecondary(cluster);
      return ok({ warnings: [WARNINGS.disable] });
    },
  },
};

/** No token on a DR secondary (it cannot check one before it has a primary); elsewhere an ACL check. */
export const generatePublicKeyRoute: Route = {
  match: exact(`${PREFIX}generate-public-key`),
  auth: (cluster) => (cluster.drMode() === 'secondary' ? NO_AUTH : ACL),
  operations: {
    update: ({ cluster }) => ok({ data: { secondary_public_key: cluster.replication().generatePublicKey(cluster) } }),
  },
};

export const secondaryEnableRoute: Route = {
  match: exact(`${PREFIX}enable`),
  // Not among Vault's sudo paths (api/sudo_paths.go): an ACL grant is enough.
  auth: (cluster) => (cluster.drMode() === 'secondary' ? NO_AUTH : ACL),
  operations: {
    update: ({ cluster, body }) => {
      optionalString(body, 'primary_api_addr');
      optionalString(body, 'ca_file');
      cluster.replication().enableSecondary(cluster, optionalString(body, 'token'));
      return ok({ warnings: [WARNINGS.secondaryEnable] });
    },
  },
};

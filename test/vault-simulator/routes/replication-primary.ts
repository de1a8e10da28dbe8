/**
 * sys/replication/dr/primary/*: called on a DR primary (or a disabled cluster for enable) with an
 * X-Vault-Token. On a DR secondary these paths are already refused by the router's path filter.
 *
 * Only secondary-token needs sudo: it is the one DR path among Vault's sudo paths (api/sudo_paths.go,
 * "enterprise-only paths"; the API docs: "This endpoint requires 'sudo' capability"). enable,
 * demote, disable and revoke-secondary need the ACL only (README.md, "Who may call what").
 */
import { ACL } from '../auth';
import { WARNINGS, ok } from '../envelope';
import { type Route, exact } from '../router';
import { revokeSecondaryRoute as revokeSecondaryRouteFor, secondaryTokenRoute as secondaryTokenRouteFor } from './secondary-roster';

const PREFIX = 'sys/replication/dr/primary/';

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

export const secondaryTokenRoute: Route = secondaryTokenRouteFor(`${PREFIX}secondary-token`, (cluster) => cluster.replication());

export const revokeSecondaryRoute: Route = revokeSecondaryRouteFor(`${PREFIX}revoke-secondary`, (cluster) => cluster.replication());

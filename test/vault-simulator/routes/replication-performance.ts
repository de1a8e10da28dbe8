/**
 * sys/replication/performance/{primary,secondary}/*: every one takes an ordinary X-Vault-Token
 * ("Performance replication operations use a normal Vault token. They do not need a DR operation
 * token", docs manage page); secondary-token also needs sudo (the API page, and api/sudo_paths.go).
 * On a DR secondary the router refuses them already ("path disabled in replication DR secondary
 * mode"): a DR secondary takes no part in performance replication.
 */
import { ACL } from '../auth';
import { WARNINGS, ok } from '../envelope';
import { optionalBool, optionalList, optionalString } from '../params';
import { type Route, exact } from '../router';
import { revokeSecondaryRoute, secondaryTokenRoute } from './secondary-roster';

const PREFIX = 'sys/replication/performance/';

export const performancePrimaryEnableRoute: Route = {
  match: exact(`${PREFIX}primary/enable`),
  auth: () => ACL,
  operations: {
    update: ({ cluster, body }) => {
      cluster.performance().enablePrimary(cluster, optionalString(body, 'primary_cluster_addr') ?? '');
      return ok({ warnings: [WARNINGS.primaryEnable] });
    },
  },
};

export const performancePrimaryDemoteRoute: Route = {
  match: exact(`${PREFIX}primary/demote`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => {
      cluster.performance().demote(cluster);
      return ok({ warnings: [WARNINGS.demote] });
    },
  },
};

export const performancePrimaryDisableRoute: Route = {
  match: exact(`${PREFIX}primary/disable`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => {
      cluster.performance().disable(cluster, 'primary');
      return ok({ warnings: [WARNINGS.disable] });
    },
  },
};

/** As DR's (routes/secondary-roster.ts): response-wrapped, or data.token with secondary_public_key. */
export const performanceSecondaryTokenRoute: Route = secondaryTokenRoute(`${PREFIX}primary/secondary-token`, (cluster) => cluster.performance());

export const performanceRevokeSecondaryRoute: Route = revokeSecondaryRoute(`${PREFIX}primary/revoke-secondary`, (cluster) => cluster.performance());

export const performanceGeneratePublicKeyRoute: Route = {
  match: exact(`${PREFIX}secondary/generate-public-key`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => ok({ data: { secondary_public_key: cluster.performance().generatePublicKey(cluster) } }),
  },
};

export const performanceSecondaryEnableRoute: Route = {
  match: exact(`${PREFIX}secondary/enable`),
  auth: () => ACL,
  operations: {
    update: ({ cluster, body }) => {
      // primary_api_addr, ca_file and ca_path are accepted and ignored: the simulator needs no address to reach a primary.
      for (const field of ['primary_api_addr', 'ca_file', 'ca_path']) optionalString(body, field);
      cluster.performance().enableSecondary(cluster, optionalString(body, 'token'));
      return ok({ warnings: [WARNINGS.secondaryEnable] });
    },
  },
};

export const performancePromoteRoute: Route = {
  match: exact(`${PREFIX}secondary/promote`),
  auth: () => ACL,
  operations: {
    update: ({ cluster, body }) => {
      cluster.performance().promote(cluster, optionalString(body, 'primary_cluster_addr') ?? '', optionalBool(body, 'force') ?? false);
      return ok({ warnings: [WARNINGS.promote] });
    },
  },
};

export const performanceSecondaryDisableRoute: Route = {
  match: exact(`${PREFIX}secondary/disable`),
  auth: () => ACL,
  operations: {
    update: ({ cluster }) => {
      cluster.performance().disable(cluster, 'secondary');
      return ok({ warnings: [WARNINGS.disable] });
    },
  },
};

export const performanceUpdatePrimaryRoute: Route = {
  match: exact(`${PREFIX}secondary/update-primary`),
  auth: () => ACL,
  operations: {
    update: ({ cluster, body }) => {
      for (const field of ['primary_api_addr', 'ca_file', 'ca_path']) optionalString(body, field);
      cluster.performance().updatePrimary(cluster, optionalString(body, 'token'), optionalList(body, 'update_primary_addrs'));
      return ok({ warnings: [WARNINGS.updatePrimary] });
    },
  },
};

/**
 * sys/replication/dr/secondary/generate-operation-token/{attempt,update} and
 * sys/replication/dr/secondary/operation-token/delete (see ../dr-operation-token.ts for sources).
 * Like generate-root they answer raw JSON, without the envelope. On a cluster that is not a DR
 * secondary they answer 400 "this cluster is not a DR secondary", as promote does.
 */
import { ACL, DR_OPERATION, NO_AUTH, authenticate } from '../auth';
import { MESSAGES, type SimResponse, badRequest, noContent } from '../envelope';
import type { ClusterCore } from '../cluster';
import { optionalString } from '../params';
import { type RequestContext, type Route, exact } from '../router';

const PREFIX = 'sys/replication/dr/secondary/';

function requireSecondary(cluster: ClusterCore): void {
  if (cluster.drMode() !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
}

const raw = (body: unknown): SimResponse => ({ status: 200, body });

function headerToken(ctx: RequestContext): string | undefined {
  const value = ctx.headers['x-vault-token'];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The routes declare no auth because the requirement is a setting of the world, read per request:
 * none (Vault 1.x, or 2.x with enable_unauthenticated_access), or an X-Vault-Token whose policies
 * grant the operation on the path (Vault 2.x).
 */
function checkGenerationAuth(ctx: RequestContext): void {
  if (ctx.cluster.drOperationTokens().auth === 'unauthenticated') return;
  authenticate(ACL, { state: ctx.state, cluster: ctx.cluster, path: ctx.path, operation: ctx.operation, headerToken: headerToken(ctx), body: ctx.body });
}

export const generateOperationTokenAttemptRoute: Route = {
  match: exact(`${PREFIX}generate-operation-token/attempt`),
  auth: () => NO_AUTH,
  operations: {
    read: (ctx) => {
      const { cluster } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(cluster);
      return raw(cluster.drOperationTokens().status(cluster));
    },
    update: (ctx) => {
      const { cluster, body } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(cluster);
      const otp = optionalString(body, 'otp');
      const pgpKey = optionalString(body, 'pgp_key');
      return raw(cluster.drOperationTokens().start(cluster, { ...(otp === undefined ? {} : { otp }), ...(pgpKey === undefined ? {} : { pgp_key: pgpKey }) }));
    },
    delete: (ctx) => {
      const { cluster } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(cluster);
      cluster.drOperationTokens().cancel(cluster);
      return noContent();
    },
  },
};

export const generateOperationTokenUpdateRoute: Route = {
  match: exact(`${PREFIX}generate-operation-token/update`),
  auth: () => NO_AUTH,
  operations: {
    update: async (ctx) => {
      const { cluster, body } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(cluster);
      const key = optionalString(body, 'key');
      const nonce = optionalString(body, 'nonce');
      return raw(await cluster.drOperationTokens().update(cluster, { ...(key === undefined ? {} : { key }), ...(nonce === undefined ? {} : { nonce }) }));
    },
  },
};

/** Revokes the DR operation token given in `dr_operation_token` (which also authorises the call). */
export const deleteOperationTokenRoute: Route = {
  match: exact(`${PREFIX}operation-token/delete`),
  auth: (cluster) => (cluster.drMode() === 'secondary' ? DR_OPERATION : NO_AUTH),
  operations: {
    update: ({ cluster, body }) => {
      requireSecondary(cluster);
      cluster.drOperationTokens().revoke(cluster, String(body['dr_operation_token']));
      return noContent();
    },
  },
};

/**
 * sys/replication/dr/secondary/generate-operation-token/{attempt,update} and
 * sys/replication/dr/secondary/operation-token/delete (see ../dr-operation-token.ts for sources).
 * Like generate-root they answer raw JSON, without the envelope. On a cluster that is not a DR
 * secondary they answer 400 "this cluster is not a DR secondary", as promote does.
 */
import { ACL, DR_OPERATION, NO_AUTH, authenticate } from '../auth';
import { drOperationTokens } from '../dr-operation-token';
import { MESSAGES, type SimResponse, badRequest, noContent } from '../envelope';
import type { ClusterNode } from '../node';
import { optionalString } from '../params';
import { type RequestContext, type Route, exact } from '../router';

const PREFIX = 'sys/replication/dr/secondary/';

function requireSecondary(node: ClusterNode): void {
  if (node.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
}

const raw = (body: unknown): SimResponse => ({ status: 200, body });

function headerToken(ctx: RequestContext): string | undefined {
  const value = ctx.headers['x-vault-token'];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The routes declare no auth because the requirement is a setting of the pair, read per request:
 * none (Vault 1.x, or 2.x with enable_unauthenticated_access), or an X-Vault-Token whose policies
 * grant the operation on the path (Vault 2.x).
 */
function checkGenerationAuth(ctx: RequestContext): void {
  if (drOperationTokens(ctx.state).auth === 'unauthenticated') return;
  authenticate(ACL, { state: ctx.state, node: ctx.node, path: ctx.path, operation: ctx.operation, headerToken: headerToken(ctx), body: ctx.body });
}

export const generateOperationTokenAttemptRoute: Route = {
  match: exact(`${PREFIX}generate-operation-token/attempt`),
  auth: () => NO_AUTH,
  operations: {
    read: (ctx) => {
      const { node, state } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(node);
      return raw(drOperationTokens(state).status(node));
    },
    update: (ctx) => {
      const { node, state, body } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(node);
      const otp = optionalString(body, 'otp');
      const pgpKey = optionalString(body, 'pgp_key');
      return raw(drOperationTokens(state).start(node, { ...(otp === undefined ? {} : { otp }), ...(pgpKey === undefined ? {} : { pgp_key: pgpKey }) }));
    },
    delete: (ctx) => {
      const { node, state } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(node);
      drOperationTokens(state).cancel(node);
      return noContent();
    },
  },
};

export const generateOperationTokenUpdateRoute: Route = {
  match: exact(`${PREFIX}generate-operation-token/update`),
  auth: () => NO_AUTH,
  operations: {
    update: async (ctx) => {
      const { node, state, body } = ctx;
      checkGenerationAuth(ctx);
      requireSecondary(node);
      const key = optionalString(body, 'key');
      const nonce = optionalString(body, 'nonce');
      return raw(await drOperationTokens(state).update(node, { ...(key === undefined ? {} : { key }), ...(nonce === undefined ? {} : { nonce }) }));
    },
  },
};

/** Revokes the DR operation token given in `dr_operation_token` (which also authorises the call). */
export const deleteOperationTokenRoute: Route = {
  match: exact(`${PREFIX}operation-token/delete`),
  auth: (node) => (node.mode === 'secondary' ? DR_OPERATION : NO_AUTH),
  operations: {
    update: ({ node, state, body }) => {
      requireSecondary(node);
      drOperationTokens(state).revoke(node, String(body['dr_operation_token']));
      return noContent();
    },
  },
};

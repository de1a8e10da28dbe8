/**
 * sys/policies/acl/*, the legacy sys/policy/*, sys/capabilities and sys/capabilities-self, and
 * sys/auth/*: the configuration configureDr (and the construct, through Terraform) writes, and the
 * ACL questions a client can ask. Handlers follow vault/logical_system.go (`handlePoliciesSet`,
 * `handlePoliciesRead`, `handlePoliciesList`, `handlePoliciesDelete`, `handleCapabilities`).
 * Policies need only the ACL: Vault lists no sys/policy path among its sudo paths. sys/auth needs
 * sudo ("auth/*" is one).
 */
import { ACL, ACL_SUDO } from '../auth';
import { VaultError, badRequest, envelope, noContent, ok, okWithDataOnTop } from '../envelope';
import { type Body, optionalList, optionalString } from '../params';
import { PolicyParseError } from '../policy';
import { DEFAULT_POLICY, ROOT_POLICY } from '../policy-store';
import { type RequestContext, type Route, exact, withParam } from '../router';
import type { TokenEntry } from '../token-store';

function writePolicy({ state, params, body }: RequestContext, legacy: boolean): ReturnType<typeof ok> {
  const name = (params['name'] as string).toLowerCase();
  if (name === ROOT_POLICY) throw badRequest(`cannot update "${ROOT_POLICY}" policy`);
  let text = optionalString(body, 'policy');
  const warnings: string[] = [];
  if (legacy && (text === undefined || text === '')) {
    // The legacy endpoint still takes the pre-0.9 field, with a warning (vault/logical_system.go).
    const rules = optionalString(body, 'rules');
    if (rules !== undefined && rules !== '') {
      text = rules;
      warnings.push("'rules' is deprecated, please use 'policy' instead");
    }
  }
  if (text === undefined || text.trim() === '') throw badRequest("'policy' parameter not supplied or empty");
  try {
    state.policies.write(name, text);
  } catch (error) {
    if (error instanceof PolicyParseError) throw badRequest(`failed to parse policy: ${error.message}`);
    throw error;
  }
  return warnings.length === 0 ? noContent() : ok({ warnings });
}

function deletePolicy({ state, params }: RequestContext): ReturnType<typeof noContent> {
  const name = (params['name'] as string).toLowerCase();
  if (name === DEFAULT_POLICY) throw badRequest('cannot delete default policy');
  if (name === ROOT_POLICY) throw badRequest(`cannot delete "${ROOT_POLICY}" policy`);
  state.policies.delete(name);
  return noContent();
}

function readPolicy({ state, params }: RequestContext): { name: string; text: string } {
  const name = (params['name'] as string).toLowerCase();
  const text = state.policies.read(name);
  if (text === undefined) throw new VaultError(404);
  return { name, text };
}

export const policyRoute: Route = {
  match: withParam('sys/policies/acl/', 'name'),
  auth: () => ACL,
  operations: {
    update: (ctx) => writePolicy(ctx, false),
    read: (ctx) => {
      const { name, text } = readPolicy(ctx);
      return ok({ data: { name, policy: text } });
    },
    delete: deletePolicy,
  },
};

export const policyListRoute: Route = {
  match: exact('sys/policies/acl'),
  auth: () => ACL,
  operations: {
    list: ({ state }) => ok({ data: { keys: state.policies.names() } }),
  },
};

/** sys/policy/<name>: the pre-0.9 API, still served; `rules` instead of `policy`, data also on top. */
export const legacyPolicyRoute: Route = {
  match: withParam('sys/policy/', 'name'),
  auth: () => ACL,
  operations: {
    update: (ctx) => writePolicy(ctx, true),
    read: (ctx) => {
      const { name, text } = readPolicy(ctx);
      return okWithDataOnTop({ data: { name, rules: text } });
    },
    delete: deletePolicy,
  },
};

export const legacyPolicyListRoute: Route = {
  match: exact('sys/policy'),
  auth: () => ACL,
  operations: {
    read: ({ state }) => {
      const names = state.policies.names();
      return okWithDataOnTop({ data: { keys: names, policies: names } });
    },
  },
};

function paths(body: Body): string[] {
  const list = optionalList(body, 'paths') ?? [];
  return list.length > 0 ? list : (optionalList(body, 'path') ?? []);
}

/** One entry per path, plus `capabilities` when there is exactly one ("for backwards compatibility"). */
function capabilitiesAnswer(ctx: RequestContext, subject: TokenEntry, asked: readonly string[]): ReturnType<typeof ok> {
  const data: Record<string, unknown> = {};
  for (const path of asked) data[path] = ctx.state.policies.capabilities(subject.policies, path);
  if (asked.length === 1) data['capabilities'] = data[asked[0] as string];
  return okWithDataOnTop({ data });
}

export const capabilitiesRoute: Route = {
  match: exact('sys/capabilities'),
  auth: () => ACL,
  operations: {
    update: (ctx) => {
      const token = optionalString(ctx.body, 'token') ?? '';
      // Go errors rather than error responses: a 500 and a 400 in go-multierror text.
      if (token === '') throw new VaultError(500, '1 error occurred:\n\t* no token found\n\n');
      const asked = paths(ctx.body);
      if (asked.length === 0) throw badRequest('paths must be supplied');
      const subject = ctx.state.tokens.lookup(token);
      if (subject === undefined) throw badRequest('1 error occurred:\n\t* invalid token\n\n');
      return capabilitiesAnswer(ctx, subject, asked);
    },
  },
};

export const capabilitiesSelfRoute: Route = {
  match: exact('sys/capabilities-self'),
  auth: () => ACL,
  operations: {
    update: (ctx) => {
      const asked = paths(ctx.body);
      if (asked.length === 0) throw badRequest('paths must be supplied');
      return capabilitiesAnswer(ctx, ctx.caller as TokenEntry, asked);
    },
  },
};

export const authMountRoute: Route = {
  match: withParam('sys/auth/', 'path'),
  auth: () => ACL_SUDO,
  operations: {
    update: ({ state, params, body }) => {
      const path = (params['path'] as string).replace(/\/+$/, '');
      const type = optionalString(body, 'type');
      if (type === undefined || type === '') throw badRequest('plugin not found in the catalog: ');
      if (state.authMounts.has(path)) throw badRequest(`path is already in use at ${path}/`);
      state.mountAuth(path, type, optionalString(body, 'description') ?? '');
      return noContent();
    },
    delete: ({ state, params }) => {
      const path = (params['path'] as string).replace(/\/+$/, '');
      if (path === 'token') throw badRequest('token credential backend cannot be disabled');
      state.authMounts.delete(path);
      return noContent();
    },
  },
};

/**
 * Listing auth methods needs the ACL only: among the sys/auth paths Vault requires sudo on
 * `sys/auth/{path}` (enable, disable) and its tune, not on the list (api/sudo_paths.go), and
 * OpenBao serves the list to a token with `read` on sys/auth alone.
 */
export const authListRoute: Route = {
  match: exact('sys/auth'),
  auth: () => ACL,
  operations: {
    read: ({ state }) => {
      const data = Object.fromEntries(
        [...state.authMounts.values()].map((mount) => [
          `${mount.path}/`,
          { type: mount.type, description: mount.description, accessor: mount.accessor, local: false, seal_wrap: false },
        ]),
      );
      return { status: 200, body: { ...data, ...envelope({ data }) } };
    },
  },
};

/**
 * sys/mounts (list): the secrets engines. Every cluster has cubbyhole/, identity/ and sys/ (enabled
 * by default and cannot be disabled: the cubbyhole and identity secrets engine pages); the
 * simulator also serves a KV version 1 engine at secret/ (routes/kv.ts), listed as Vault lists one.
 * Vault copies the map to the top level of the answer as well (http/handler.go, injectDataIntoTopRoutes).
 */
export const mountsListRoute: Route = {
  match: exact('sys/mounts'),
  auth: () => ACL,
  operations: {
    read: () =>
      okWithDataOnTop({
        data: {
          'cubbyhole/': { type: 'cubbyhole', description: 'per-token private secret storage', local: true, seal_wrap: false, options: null },
          'identity/': { type: 'identity', description: 'identity store', local: false, seal_wrap: false, options: null },
          'secret/': { type: 'kv', description: 'key/value secret storage', local: false, seal_wrap: false, options: { version: '1' } },
          'sys/': { type: 'system', description: 'system endpoints used for control, policy and debugging', local: false, seal_wrap: true, options: null },
        },
      }),
  },
};

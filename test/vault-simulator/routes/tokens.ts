/**
 * The token auth method: roles, creation (with and without a role), lookup, renew and revoke.
 * Role writes apply Vault's batch rules (a batch role must be orphan and not renewable); batch
 * tokens carry only the role's allowed_policies and cannot be renewed or revoked.
 */
import { ACL, ACL_SUDO, VALID_TOKEN } from '../auth';
import { VaultError, badRequest, noContent, ok } from '../envelope';
import { type Body, optionalBool, optionalDuration, optionalList, optionalString } from '../params';
import { ROOT_POLICY } from '../policy-store';
import { type RequestContext, type Route, exact, withParam } from '../router';
import type { TokenRole } from '../state';
import { SYSTEM_MAX_TTL_SECONDS, type TokenEntry, type TokenType } from '../token-store';

const TOKEN_TYPES = ['service', 'batch', 'default-service', 'default-batch', 'default'] as const;

function roleFromBody(name: string, body: Body, existing: TokenRole | undefined): TokenRole {
  const tokenType = optionalString(body, 'token_type') ?? existing?.token_type ?? 'default-service';
  if (!(TOKEN_TYPES as readonly string[]).includes(tokenType)) throw badRequest(`invalid 'token_type' value "${tokenType}"`);
  const role: TokenRole = {
    name,
    allowed_policies: optionalList(body, 'allowed_policies') ?? existing?.allowed_policies ?? [],
    disallowed_policies: optionalList(body, 'disallowed_policies') ?? existing?.disallowed_policies ?? [],
    orphan: optionalBool(body, 'orphan') ?? existing?.orphan ?? false,
    renewable: optionalBool(body, 'renewable') ?? existing?.renewable ?? true,
    token_type: (tokenType === 'default' ? 'default-service' : tokenType) as TokenRole['token_type'],
    token_ttl: optionalDuration(body, 'token_ttl') ?? existing?.token_ttl ?? 0,
    token_max_ttl: optionalDuration(body, 'token_max_ttl') ?? existing?.token_max_ttl ?? 0,
    token_explicit_max_ttl: optionalDuration(body, 'token_explicit_max_ttl') ?? existing?.token_explicit_max_ttl ?? 0,
    token_no_default_policy: optionalBool(body, 'token_no_default_policy') ?? existing?.token_no_default_policy ?? false,
    path_suffix: optionalString(body, 'path_suffix') ?? existing?.path_suffix ?? '',
  };
  if (role.token_type === 'batch') {
    if (!role.orphan) throw badRequest("'token_type' cannot be 'batch' when role is set to generate non-orphan tokens");
    if (role.renewable) throw badRequest("'token_type' cannot be 'batch' when role is set to generate renewable tokens");
  }
  return role;
}

function roleData(role: TokenRole): Record<string, unknown> {
  return { ...role, allowed_policies: [...role.allowed_policies], disallowed_policies: [...role.disallowed_policies] };
}

/** Seconds for a new token: the asked TTL, else the role's, capped by the role's max and explicit max. */
function ttlFor(body: Body, role: TokenRole | undefined): number {
  let ttl = optionalDuration(body, 'ttl') || role?.token_ttl || SYSTEM_MAX_TTL_SECONDS;
  for (const cap of [role?.token_max_ttl ?? 0, role?.token_explicit_max_ttl ?? 0]) {
    if (cap > 0) ttl = Math.min(ttl, cap);
  }
  return ttl;
}

function created(ctx: RequestContext, entry: TokenEntry): ReturnType<typeof ok> {
  return ok({ auth: ctx.state.tokens.authBlock(entry) });
}

function createWithRole(ctx: RequestContext): ReturnType<typeof ok> {
  const roleName = ctx.params['role'] as string;
  const role = ctx.state.tokenRoles.get(roleName);
  if (role === undefined) throw badRequest(`unknown role ${roleName}`);
  const asked = optionalList(ctx.body, 'policies');
  const type: TokenType = role.token_type === 'batch' || role.token_type === 'default-batch' ? 'batch' : 'service';
  let policies = asked !== undefined && asked.length > 0 ? asked : [...role.allowed_policies];
  const notAllowed = policies.filter((policy) => policy !== 'default' && !role.allowed_policies.includes(policy));
  if (role.allowed_policies.length > 0 && notAllowed.length > 0) {
    throw badRequest(`token policies (${JSON.stringify(policies)}) must be subset of the role's allowed policies (${JSON.stringify(role.allowed_policies)})`);
  }
  // Batch tokens get exactly the role's policies; service tokens also get "default" unless the role says not to.
  if (type === 'service' && !role.token_no_default_policy && !policies.includes('default')) policies = [...policies, 'default'];
  const entry = ctx.state.tokens.issue({
    type,
    policies,
    ttlSeconds: ttlFor(ctx.body, role),
    maxTtlSeconds: role.token_max_ttl,
    renewable: role.renewable,
    orphan: type === 'batch' ? true : role.orphan,
    meta: (ctx.body['meta'] as Record<string, string> | undefined) ?? {},
    displayName: `token-${roleName}`,
    path: `auth/token/create/${roleName}`,
  });
  return created(ctx, entry);
}

function createWithoutRole(ctx: RequestContext): ReturnType<typeof ok> {
  const caller = ctx.caller as TokenEntry;
  const isRoot = caller.policies.includes(ROOT_POLICY);
  const asked = optionalList(ctx.body, 'policies') ?? caller.policies.filter((policy) => policy !== 'default');
  if (!isRoot && asked.some((policy) => !caller.policies.includes(policy))) {
    throw badRequest('child policies must be subset of parent');
  }
  const typeName = optionalString(ctx.body, 'type') ?? 'service';
  if (typeName !== 'service' && typeName !== 'batch') throw badRequest(`invalid 'type' value "${typeName}"`);
  const noDefault = optionalBool(ctx.body, 'no_default_policy') ?? false;
  const policies = noDefault || asked.includes(ROOT_POLICY) || asked.includes('default') ? asked : [...asked, 'default'];
  const entry = ctx.state.tokens.issue({
    type: typeName,
    policies,
    ttlSeconds: ttlFor(ctx.body, undefined),
    maxTtlSeconds: optionalDuration(ctx.body, 'explicit_max_ttl') ?? 0,
    renewable: optionalBool(ctx.body, 'renewable') ?? true,
    orphan: optionalBool(ctx.body, 'no_parent') ?? false,
    meta: (ctx.body['meta'] as Record<string, string> | undefined) ?? {},
    displayName: optionalString(ctx.body, 'display_name') ?? 'token',
    path: 'auth/token/create',
  });
  return created(ctx, entry);
}

function lookupData(ctx: RequestContext, entry: TokenEntry): Record<string, unknown> {
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  return {
    accessor: entry.accessor,
    creation_time: seconds(entry.issuedAt),
    creation_ttl: entry.ttlSeconds,
    display_name: entry.displayName,
    entity_id: '',
    expire_time: entry.expiresAt === undefined ? null : new Date(entry.expiresAt).toISOString(),
    explicit_max_ttl: entry.maxTtlSeconds,
    id: entry.id,
    issue_time: new Date(entry.issuedAt).toISOString(),
    meta: Object.keys(entry.meta).length === 0 ? null : entry.meta,
    num_uses: 0,
    orphan: entry.orphan,
    path: entry.path,
    policies: entry.policies,
    renewable: entry.renewable,
    ttl: ctx.state.tokens.remainingSeconds(entry),
    type: entry.type,
  };
}

function targetToken(ctx: RequestContext): TokenEntry {
  const token = optionalString(ctx.body, 'token');
  if (token === undefined || token === '') throw badRequest('missing token');
  const entry = ctx.state.tokens.lookup(token);
  if (entry === undefined) throw badRequest('invalid token');
  return entry;
}

function renew(ctx: RequestContext, entry: TokenEntry): ReturnType<typeof ok> {
  if (entry.type === 'batch') throw badRequest('batch tokens cannot be renewed');
  if (!entry.renewable) throw badRequest('lease is not renewable');
  ctx.state.tokens.renew(entry, optionalDuration(ctx.body, 'increment'));
  return ok({ auth: ctx.state.tokens.authBlock(entry, ctx.state.tokens.remainingSeconds(entry)) });
}

function revoke(ctx: RequestContext, entry: TokenEntry): ReturnType<typeof noContent> {
  if (entry.type === 'batch') throw badRequest('batch tokens cannot be revoked');
  if (entry.policies.includes(ROOT_POLICY) && entry.id === ctx.state.root.id) {
    // Keeping the pair's root token alive keeps configureDr and createDrBatchToken usable.
    throw new VaultError(400, 'the simulator does not revoke the pair root token');
  }
  ctx.state.tokens.revoke(entry.id);
  return noContent();
}

export const tokenRoleRoute: Route = {
  match: withParam('auth/token/roles/', 'role'),
  auth: () => ACL,
  operations: {
    update: ({ state, params, body }) => {
      const name = params['role'] as string;
      state.tokenRoles.set(name, roleFromBody(name, body, state.tokenRoles.get(name)));
      return { status: 204 };
    },
    read: ({ state, params }) => {
      const role = state.tokenRoles.get(params['role'] as string);
      if (role === undefined) throw new VaultError(404);
      return ok({ data: roleData(role) });
    },
    delete: ({ state, params }) => {
      state.tokenRoles.delete(params['role'] as string);
      return noContent();
    },
  },
};

export const tokenRolesListRoute: Route = {
  match: exact('auth/token/roles'),
  auth: () => ACL,
  operations: {
    list: ({ state }) => {
      if (state.tokenRoles.size === 0) throw new VaultError(404);
      return ok({ data: { keys: [...state.tokenRoles.keys()].sort() } });
    },
  },
};

export const tokenCreateWithRoleRoute: Route = {
  match: withParam('auth/token/create/', 'role'),
  auth: () => ACL,
  operations: { update: createWithRole },
};

export const tokenCreateRoute: Route = {
  match: (path) => (path === 'auth/token/create' || path === 'auth/token/create-orphan' ? {} : undefined),
  auth: () => ACL_SUDO,
  operations: { update: createWithoutRole },
};

export const lookupSelfRoute: Route = {
  match: exact('auth/token/lookup-self'),
  auth: () => VALID_TOKEN,
  operations: {
    read: (ctx) => ok({ data: lookupData(ctx, ctx.caller as TokenEntry) }),
  },
};

export const lookupRoute: Route = {
  match: exact('auth/token/lookup'),
  auth: () => ACL,
  operations: { update: (ctx) => ok({ data: lookupData(ctx, targetToken(ctx)) }) },
};

export const renewSelfRoute: Route = {
  match: exact('auth/token/renew-self'),
  auth: () => VALID_TOKEN,
  operations: { update: (ctx) => renew(ctx, ctx.caller as TokenEntry) },
};

export const renewRoute: Route = {
  match: exact('auth/token/renew'),
  auth: () => ACL,
  operations: { update: (ctx) => renew(ctx, targetToken(ctx)) },
};

export const revokeSelfRoute: Route = {
  match: exact('auth/token/revoke-self'),
  auth: () => VALID_TOKEN,
  operations: { update: (ctx) => revoke(ctx, ctx.caller as TokenEntry) },
};

export const revokeRoute: Route = {
  match: exact('auth/token/revoke'),
  auth: () => ACL,
  operations: { update: (ctx) => revoke(ctx, targetToken(ctx)) },
};

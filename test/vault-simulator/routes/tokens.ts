/**
 * The token auth method: roles, creation (with and without a role), lookup, renew and revoke, as
 * vault/token_store.go answers them (`tokenStoreRoleCreateUpdate`, `tokenStoreRoleRead`,
 * `handleCreateCommon`, `handleLookup`, `handleRenew`, `handleRevokeTree`); messages are Vault's.
 *
 * Token roles take only the token fields Vault's role path declares (token_bound_cidrs,
 * token_explicit_max_ttl, token_period, token_type, token_no_default_policy, token_num_uses:
 * `tokenutil.AddTokenFieldsWithAllowList`): token_ttl and token_max_ttl are not role fields, so
 * Vault ignores them and so does the simulator.
 */
import { ACL, VALID_TOKEN } from '../auth';
import { VaultError, badRequest, goQuotedList, noContent, ok } from '../envelope';
import { type Body, goDuration, optionalBool, optionalList, optionalString } from '../params';
import { ROOT_POLICY, sanitizePolicies } from '../policy-store';
import { type RequestContext, type Route, exact, withParam } from '../router';
import type { TokenRole } from '../state';
import { SYSTEM_MAX_TTL_SECONDS, type TokenEntry, type TokenType } from '../token-store';

const ROLE_TOKEN_TYPES = ['service', 'batch', 'default-service', 'default-batch'] as const;
/** vault/token_store.go pathSuffixSanitize. */
const PATH_SUFFIX = /^\w[\w\-.]+\w$/;
/** vault/token_store.go displayNameSanitize. */
const DISPLAY_NAME_UNSAFE = /[^a-zA-Z0-9-]/g;

function roleFromBody(name: string, body: Body, existing: TokenRole | undefined): TokenRole {
  const tokenType = optionalString(body, 'token_type') ?? existing?.token_type ?? 'default-service';
  if (!(ROLE_TOKEN_TYPES as readonly string[]).includes(tokenType)) throw badRequest(`invalid 'token_type' value ${JSON.stringify(tokenType)}`);
  const allowed = optionalList(body, 'allowed_policies');
  const disallowed = optionalList(body, 'disallowed_policies');
  const explicitMaxTtl = goDuration(body, 'token_explicit_max_ttl') ?? goDuration(body, 'explicit_max_ttl');
  const role: TokenRole = {
    name,
    allowed_policies: allowed === undefined ? (existing?.allowed_policies ?? []) : sanitizePolicies(allowed, false),
    disallowed_policies: disallowed === undefined ? (existing?.disallowed_policies ?? []) : sanitizePolicies(disallowed, false),
    orphan: optionalBool(body, 'orphan') ?? existing?.orphan ?? false,
    renewable: optionalBool(body, 'renewable') ?? existing?.renewable ?? true,
    token_type: tokenType as TokenRole['token_type'],
    // Not role fields in Vault (see the file comment): kept at 0 whatever the request says.
    token_ttl: 0,
    token_max_ttl: 0,
    token_explicit_max_ttl: explicitMaxTtl ?? existing?.token_explicit_max_ttl ?? 0,
    token_no_default_policy: optionalBool(body, 'token_no_default_policy') ?? existing?.token_no_default_policy ?? false,
    path_suffix: optionalString(body, 'path_suffix') ?? existing?.path_suffix ?? '',
  };
  if (role.path_suffix !== '' && !PATH_SUFFIX.test(role.path_suffix)) {
    throw badRequest('given role path suffix contains invalid characters; must match \\w[\\w-.]+\\w');
  }
  if (role.token_type === 'batch') {
    if (!role.orphan) throw badRequest("'token_type' cannot be 'batch' when role is set to generate non-orphan tokens");
    if (role.renewable) throw badRequest("'token_type' cannot be 'batch' when role is set to generate renewable tokens");
    if (role.token_explicit_max_ttl !== 0) {
      throw badRequest("'token_type' cannot be 'batch' when role is set to generate tokens with an explicit max TTL");
    }
  }
  return role;
}

/** vault/token_store.go tokenStoreRoleRead: these keys, zeros included. */
function roleData(role: TokenRole): Record<string, unknown> {
  return {
    allowed_entity_aliases: null,
    allowed_policies: [...role.allowed_policies],
    allowed_policies_glob: [],
    disallowed_policies: [...role.disallowed_policies],
    disallowed_policies_glob: [],
    explicit_max_ttl: 0,
    name: role.name,
    orphan: role.orphan,
    path_suffix: role.path_suffix,
    period: 0,
    renewable: role.renewable,
    token_explicit_max_ttl: role.token_explicit_max_ttl,
    token_no_default_policy: role.token_no_default_policy,
    token_period: 0,
    token_type: role.token_type,
  };
}

interface CreateRequest {
  readonly policies: string[];
  readonly type: TokenType;
  readonly orphan: boolean;
  readonly renewable: boolean;
  readonly ttlSeconds: number;
  readonly explicitMaxTtlSeconds: number;
  readonly role: TokenRole | undefined;
  readonly path: string;
}

/**
 * Policies for the new token (vault/token_store.go handleCreateCommon): with a role that allows
 * policies, the asked ones (or the role's) must be among them; without, they must be the parent's
 * unless the caller has root or sudo; "default" is added unless switched off; a role's disallowed
 * policies refuse the request.
 */
function resolvePolicies(ctx: RequestContext, caller: TokenEntry, role: TokenRole | undefined, noDefault: boolean): string[] {
  const asked = optionalList(ctx.body, 'policies') ?? [];
  const addDefault = !noDefault && !(role?.token_no_default_policy ?? false) && !(role?.disallowed_policies.includes('default') ?? false);
  let policies = asked.length > 0 ? sanitizePolicies(asked, addDefault) : [];
  if (role !== undefined && role.allowed_policies.length > 0) {
    const allowed = sanitizePolicies(role.allowed_policies, addDefault);
    if (policies.length === 0) policies = allowed;
    else if (!policies.every((policy) => allowed.includes(policy))) {
      throw badRequest(
        `token policies (${goQuotedList(policies)}) must be subset of the role's allowed policies (${goQuotedList(allowed)}) or glob policies ([])`,
      );
    }
  } else {
    const isSudo = caller.policies.includes(ROOT_POLICY) || ctx.state.policies.allows(caller.policies, ctx.path, 'update', true);
    if (policies.length === 0) policies = sanitizePolicies(caller.policies, addDefault);
    else if (!isSudo && !policies.every((policy) => policy === 'default' || caller.policies.includes(policy))) {
      throw badRequest('child policies must be subset of parent');
    }
  }
  if (role !== undefined) {
    const denied = policies.find((policy) => role.disallowed_policies.includes(policy));
    if (denied !== undefined) throw badRequest(`token policy ${JSON.stringify(denied)} is disallowed by this role`);
  }
  return policies;
}

function create(ctx: RequestContext, request: CreateRequest): ReturnType<typeof ok> {
  const { policies } = request;
  const isRoot = policies.includes(ROOT_POLICY);
  // Root tokens may live for ever; everything else gets the system default, capped by explicit max.
  let ttl = request.ttlSeconds > 0 ? request.ttlSeconds : isRoot ? 0 : SYSTEM_MAX_TTL_SECONDS;
  if (request.explicitMaxTtlSeconds > 0 && (ttl === 0 || ttl > request.explicitMaxTtlSeconds)) ttl = request.explicitMaxTtlSeconds;
  const display = optionalString(ctx.body, 'display_name');
  const meta = ctx.body['meta'];
  const entry = ctx.state.tokens.issue({
    type: request.type,
    policies,
    ttlSeconds: ttl,
    maxTtlSeconds: request.explicitMaxTtlSeconds,
    renewable: request.renewable,
    orphan: request.orphan,
    meta: meta !== null && typeof meta === 'object' ? (meta as Record<string, string>) : {},
    displayName: display === undefined || display === '' ? 'token' : `token-${display}`.replace(DISPLAY_NAME_UNSAFE, '-').replace(/-+$/, ''),
    path: request.path,
    ...(request.role === undefined ? {} : { role: request.role.name }),
  });
  if (ttl === 0) entry.expiresAt = undefined;
  // Policies that do not exist are accepted, with a warning each (handleCreateCommon).
  const warnings = policies.filter((policy) => !ctx.state.policies.has(policy)).map((policy) => `Policy ${JSON.stringify(policy)} does not exist`);
  return ok({ auth: ctx.state.tokens.authBlock(entry, ttl), ...(warnings.length === 0 ? {} : { warnings }) });
}

function createWithRole(ctx: RequestContext): ReturnType<typeof ok> {
  const roleName = ctx.params['role'] as string;
  const role = ctx.state.tokenRoles.get(roleName);
  if (role === undefined) throw badRequest(`unknown role ${roleName}`);
  const type: TokenType = role.token_type === 'batch' || role.token_type === 'default-batch' ? 'batch' : 'service';
  const ttl = goDuration(ctx.body, 'ttl') ?? 0;
  const explicitMax = Math.min(...[goDuration(ctx.body, 'explicit_max_ttl') ?? 0, role.token_explicit_max_ttl].filter((v) => v > 0), Infinity);
  return create(ctx, {
    policies: resolvePolicies(ctx, ctx.caller as TokenEntry, role, optionalBool(ctx.body, 'no_default_policy') ?? false),
    type,
    orphan: role.orphan,
    renewable: role.renewable,
    ttlSeconds: ttl,
    explicitMaxTtlSeconds: explicitMax === Infinity ? 0 : explicitMax,
    role,
    // A role's path_suffix is appended to the token's path (for revoke-prefix).
    path: `auth/token/create/${roleName}${role.path_suffix === '' ? '' : `/${role.path_suffix}`}`,
  });
}

function createWithoutRole(ctx: RequestContext, orphanPath: boolean): ReturnType<typeof ok> {
  const caller = ctx.caller as TokenEntry;
  const typeName = optionalString(ctx.body, 'type') ?? 'service';
  if (typeName !== 'service' && typeName !== 'batch') throw badRequest("invalid 'token_type' value");
  const ttl = goDuration(ctx.body, 'ttl') ?? 0;
  const explicitMax = goDuration(ctx.body, 'explicit_max_ttl') ?? 0;
  const noParent = optionalBool(ctx.body, 'no_parent') ?? false;
  if (noParent && !orphanPath && !caller.policies.includes(ROOT_POLICY) && !ctx.state.policies.allows(caller.policies, ctx.path, 'update', true)) {
    throw badRequest('root or sudo privileges required to create orphan token');
  }
  return create(ctx, {
    policies: resolvePolicies(ctx, caller, undefined, optionalBool(ctx.body, 'no_default_policy') ?? false),
    type: typeName,
    orphan: orphanPath || noParent,
    renewable: optionalBool(ctx.body, 'renewable') ?? true,
    ttlSeconds: ttl,
    explicitMaxTtlSeconds: explicitMax,
    role: undefined,
    path: orphanPath ? 'auth/token/create-orphan' : 'auth/token/create',
  });
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
    ...(entry.role === '' ? {} : { role: entry.role }),
    ttl: ctx.state.tokens.remainingSeconds(entry),
    type: entry.type,
  };
}

/** The token named in the body, for renew and revoke ("missing token ID" when absent). */
function targetToken(ctx: RequestContext): TokenEntry {
  const token = optionalString(ctx.body, 'token');
  if (token === undefined || token === '') throw badRequest('missing token ID');
  const entry = ctx.state.tokens.lookup(token);
  if (entry === undefined) throw badRequest('invalid token');
  return entry;
}

function renew(ctx: RequestContext, entry: TokenEntry): ReturnType<typeof ok> {
  if (entry.type === 'batch') throw badRequest('batch tokens cannot be renewed');
  if (!entry.renewable) throw badRequest('lease is not renewable');
  ctx.state.tokens.renew(entry, goDuration(ctx.body, 'increment'));
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
      const name = (params['role'] as string).toLowerCase();
      state.tokenRoles.set(name, roleFromBody(name, body, state.tokenRoles.get(name)));
      return noContent();
    },
    read: ({ state, params }) => {
      const role = state.tokenRoles.get((params['role'] as string).toLowerCase());
      if (role === undefined) throw new VaultError(404);
      return ok({ data: roleData(role) });
    },
    delete: ({ state, params }) => {
      state.tokenRoles.delete((params['role'] as string).toLowerCase());
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

/** No sudo needed to reach it: Vault checks sudo inside, for orphans and policies beyond the parent's. */
export const tokenCreateRoute: Route = {
  match: (path) => (path === 'auth/token/create' || path === 'auth/token/create-orphan' ? {} : undefined),
  auth: () => ACL,
  operations: { update: (ctx) => createWithoutRole(ctx, ctx.path === 'auth/token/create-orphan') },
};

export const lookupSelfRoute: Route = {
  match: exact('auth/token/lookup-self'),
  auth: () => VALID_TOKEN,
  operations: {
    read: (ctx) => ok({ data: lookupData(ctx, ctx.caller as TokenEntry) }),
  },
};

/** Without a token in the body it looks up the caller; an unknown token is 403 "bad token". */
export const lookupRoute: Route = {
  match: exact('auth/token/lookup'),
  auth: () => ACL,
  operations: {
    update: (ctx) => {
      const token = optionalString(ctx.body, 'token');
      const entry = token === undefined || token === '' ? (ctx.caller as TokenEntry) : ctx.state.tokens.lookup(token);
      if (entry === undefined) throw new VaultError(403, 'bad token');
      return ok({ data: lookupData(ctx, entry) });
    },
  },
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

/**
 * Who may call a route: no token, any valid token, an X-Vault-Token whose policies grant the
 * request's capability on its path (and sudo where Vault requires it), or, on a DR secondary, a
 * `dr_operation_token` body parameter: a DR operation token generated from key shares on that
 * cluster (any DR secondary operation), or a token whose policies grant update on the exact path.
 *
 * The order of checks is Vault's (vault/request_handling.go `CheckToken`, then the router): the
 * token and its ACL first, then whether the backend has the path (404) or the operation (405).
 */
import { MESSAGES, VaultError, badRequest } from './envelope';
import type { ClusterCore } from './cluster';
import type { Operation } from './policy';
import type { SharedState } from './state';
import type { TokenEntry } from './token-store';

export type AuthRequirement =
  | { readonly kind: 'none' }
  | { readonly kind: 'valid-token' }
  | { readonly kind: 'token'; readonly sudo: boolean }
  | { readonly kind: 'dr-operation' };

export const NO_AUTH: AuthRequirement = { kind: 'none' };
export const VALID_TOKEN: AuthRequirement = { kind: 'valid-token' };
export const ACL: AuthRequirement = { kind: 'token', sudo: false };
export const ACL_SUDO: AuthRequirement = { kind: 'token', sudo: true };
export const DR_OPERATION: AuthRequirement = { kind: 'dr-operation' };

export interface AuthInput {
  /** The storage of the cluster the request reached (its tokens, policies and mounts). */
  readonly state: SharedState;
  /** The cluster the request reached: DR operation tokens are that cluster's own. */
  readonly cluster: ClusterCore;
  readonly path: string;
  readonly operation: Operation;
  readonly headerToken: string | undefined;
  readonly body: Readonly<Record<string, unknown>>;
}

function resolve(state: SharedState, token: string | undefined): TokenEntry {
  if (token === undefined || token === '') throw new VaultError(403, MESSAGES.missingToken);
  const entry = state.tokens.lookup(token);
  if (entry === undefined) throw new VaultError(403, MESSAGES.invalidToken);
  return entry;
}

/** The authenticated caller (undefined for unauthenticated routes); throws 400/403 otherwise. */
export function authenticate(requirement: AuthRequirement, input: AuthInput): TokenEntry | undefined {
  switch (requirement.kind) {
    case 'none':
      return undefined;
    case 'valid-token':
      return resolve(input.state, input.headerToken);
    case 'token': {
      const caller = resolve(input.state, input.headerToken);
      if (!input.state.policies.allows(caller.policies, input.path, input.operation, requirement.sudo)) {
        throw new VaultError(403, MESSAGES.permissionDenied);
      }
      return caller;
    }
    case 'dr-operation': {
      const raw = input.body['dr_operation_token'];
      if (raw === undefined || raw === null || raw === '') throw badRequest(MESSAGES.drTokenMissing);
      if (typeof raw !== 'string') throw badRequest('error converting input for field "dr_operation_token": expected a string');
      const generated = input.cluster.drOperationTokens().lookup(input.cluster, raw);
      if (generated !== undefined) return generated;
      const caller = resolve(input.state, raw);
      if (!input.state.policies.allows(caller.policies, input.path, 'update', false)) {
        throw new VaultError(403, MESSAGES.permissionDenied);
      }
      return caller;
    }
  }
}

/**
 * Path prefixes with a backend mounted: Vault answers an unknown path under one of them from the
 * backend ("unsupported path"), and an unknown path elsewhere from its router ("no handler for
 * route"). auth/<path>/ for every enabled auth method, token included.
 */
function isMounted(path: string, state: SharedState): boolean {
  if (['sys/', 'cubbyhole/', 'identity/'].some((prefix) => path.startsWith(prefix))) return true;
  return [...state.authMounts.keys()].some((mount) => path.startsWith(`auth/${mount}/`));
}

/**
 * The answer to a path no route serves, after the token check Vault makes first: 403 without a
 * valid token or without the capability, else 404 from the backend or from the router.
 */
export function unknownPath(input: AuthInput): VaultError {
  try {
    authenticate(ACL, input);
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  return isMounted(input.path, input.state)
    ? new VaultError(404, MESSAGES.unsupportedPath)
    : new VaultError(404, `no handler for route "${input.path}". route entry not found.`);
}

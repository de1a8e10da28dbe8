/**
 * Who may call a route: no token, any valid token, an X-Vault-Token whose policies grant the
 * request's capability on its path (and sudo where Vault requires it), or, on a DR secondary, a
 * `dr_operation_token` body parameter whose policies grant update on the exact path.
 */
import { MESSAGES, VaultError, badRequest } from './envelope';
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
  readonly state: SharedState;
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
      const caller = resolve(input.state, raw);
      if (!input.state.policies.allows(caller.policies, input.path, 'update', false)) {
        throw new VaultError(403, MESSAGES.permissionDenied);
      }
      return caller;
    }
  }
}

/**
 * Vault's response envelope and error bodies. Every status >= 400 is `{"errors": [...]}`.
 *
 * Where the reference leaves the exact text open, the simulator uses the messages below. All 403
 * answers contain "permission denied", in the shapes real Vault 1.x prints (go-multierror text):
 * - no token at all:                 ["permission denied"]
 * - a token the store does not know, or one past its TTL (simulated clock):
 *                                    ["2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"]
 * - a valid token whose policies lack the capability (or sudo):
 *                                    ["1 error occurred:\n\t* permission denied\n\n"]
 * Clients should test the status code (403), or `errors[0].includes('permission denied')`.
 */
import { randomUUID } from 'node:crypto';

export const MESSAGES = {
  missingToken: 'permission denied',
  invalidToken: '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n',
  permissionDenied: '1 error occurred:\n\t* permission denied\n\n',
  sealed: 'Vault is sealed',
  internal: 'internal error',
  pathDisabledOnSecondary: 'path disabled in replication DR secondary mode',
  standbyNoActive: 'local node not active but active cluster node not found',
  drTokenMissing: 'DR operation token was not provided',
  notDrSecondary: 'this cluster is not a DR secondary',
  notDrPrimary: 'this cluster is not a DR primary',
  promotionInProgress: 'replication promotion already in progress',
  /** A backend that has the path but not the operation (logical.ErrUnsupportedOperation, in go-multierror text). */
  unsupportedOperation: '1 error occurred:\n\t* unsupported operation\n\n',
  /** A mounted backend without the path (logical.ErrUnsupportedPath). */
  unsupportedPath: '1 error occurred:\n\t* unsupported path\n\n',
} as const;

/** Go's `%q` of a []string, which Vault's messages use: `["a" "b"]`. */
export const goQuotedList = (items: readonly string[]): string => `[${items.map((item) => JSON.stringify(item)).join(' ')}]`;

export const WARNINGS = {
  promote:
    'This cluster is being promoted to a replication primary. Vault will be unavailable for a brief period and will resume service shortly.',
  demote:
    'This cluster is being demoted to a replication secondary. Vault will be unavailable for a brief period and will resume service shortly.',
  primaryEnable:
    'This cluster is being enabled as a primary for replication. Vault will be unavailable for a brief period and will resume service shortly.',
  secondaryEnable:
    'This cluster is being enabled as a secondary for replication. Vault will be unavailable for a brief period and will resume service shortly.',
  disable:
    'This cluster is having replication disabled. Vault will be unavailable for a brief period and will resume service shortly.',
  updatePrimary:
    'This cluster is having its primary updated. Vault will be unavailable for a brief period and will resume service shortly.',
} as const;

/** Thrown by handlers and answered as `{"errors": messages}` with `status`. */
export class VaultError extends Error {
  readonly messages: readonly string[];

  constructor(
    readonly status: number,
    ...messages: string[]
  ) {
    super(messages.join('; '));
    this.name = 'VaultError';
    this.messages = messages;
  }
}

export const badRequest = (message: string): VaultError => new VaultError(400, message);

/** What a handler answers; `body` undefined means no body (204, HEAD). */
export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  /** Set by a client write (KV): its id, so that a dropped answer can be marked on it. */
  readonly clientWrite?: string;
}

export interface AuthBlock {
  readonly client_token: string;
  readonly accessor: string;
  readonly policies: readonly string[];
  readonly token_policies: readonly string[];
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly lease_duration: number;
  readonly renewable: boolean;
  readonly entity_id: string;
  readonly token_type: 'service' | 'batch';
  readonly orphan: boolean;
  readonly mfa_requirement: null;
  readonly num_uses: number;
}

export interface WrapInfo {
  readonly token: string;
  readonly accessor: string;
  readonly ttl: number;
  readonly creation_time: string;
  readonly creation_path: string;
  readonly wrapped_accessor: string;
}

export interface EnvelopeParts {
  readonly data?: unknown;
  readonly auth?: AuthBlock | null;
  readonly wrap_info?: WrapInfo | null;
  readonly warnings?: readonly string[] | null;
  readonly lease_duration?: number;
  readonly renewable?: boolean;
}

export function envelope(parts: EnvelopeParts): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: parts.renewable ?? false,
    lease_duration: parts.lease_duration ?? 0,
    data: parts.data ?? null,
    wrap_info: parts.wrap_info ?? null,
    warnings: parts.warnings ?? null,
    auth: parts.auth ?? null,
  };
}

export const ok = (parts: EnvelopeParts): SimResponse => ({ status: 200, body: envelope(parts) });

/**
 * For the paths whose `data` Vault's HTTP layer also copies to the top level of the answer, for
 * clients older than the envelope (http/handler.go injectDataIntoTopRoutes: sys/policy,
 * sys/capabilities*, sys/auth, sys/replication/status, ...).
 */
export const okWithDataOnTop = (parts: EnvelopeParts & { readonly data: Readonly<Record<string, unknown>> }): SimResponse => ({
  status: 200,
  body: { ...parts.data, ...envelope(parts) },
});

/** Vault answers writes that return nothing with 204 and no body. */
export const noContent = (): SimResponse => ({ status: 204 });

export const errorBody = (messages: readonly string[]): { errors: string[] } => ({ errors: [...messages] });

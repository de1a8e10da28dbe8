/**
 * Turns one HTTP request into a SimResponse, applying Vault's gates in Vault's order: sys/health
 * first (it answers in every state), then a cluster mid-transition (503, or 400 for a second
 * promote), then the DR-secondary path filter (400 even for root), then routing (404/405), the
 * body, authentication and the handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type AuthRequirement, authenticate, unknownPath } from './auth';
import { MESSAGES, type SimResponse, VaultError, errorBody } from './envelope';
import type { ClusterNode } from './node';
import type { Operation } from './policy';
import type { SharedState } from './state';
import type { TokenEntry } from './token-store';
import { type Body, parseJsonBody } from './params';

export interface RequestContext {
  readonly node: ClusterNode;
  readonly state: SharedState;
  /** Without /v1/ and without the query string. */
  readonly path: string;
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Body;
  /** The authenticated token, when the route needs one. */
  readonly caller: TokenEntry | undefined;
}

export type Handler = (ctx: RequestContext) => SimResponse | Promise<SimResponse>;

export interface Route {
  /** Captured parameters when the route serves `path`, else undefined. */
  match(path: string, state: SharedState): Readonly<Record<string, string>> | undefined;
  readonly operations: Partial<Record<Operation, Handler>>;
  /** May depend on the cluster's mode (secondary paths use dr_operation_token only on a secondary). */
  auth(node: ClusterNode, operation: Operation): AuthRequirement;
}

export const exact =
  (routePath: string) =>
  (path: string): Readonly<Record<string, string>> | undefined =>
    path === routePath ? {} : undefined;

/** `prefix` followed by one non-empty parameter that may itself contain slashes. */
export const withParam =
  (prefix: string, name: string) =>
  (path: string): Readonly<Record<string, string>> | undefined =>
    path.startsWith(prefix) && path.length > prefix.length ? { [name]: path.slice(prefix.length) } : undefined;

/** Paths a client may read without a token; they also answer on a DR secondary. */
export const STATUS_PATHS: ReadonlySet<string> = new Set([
  'sys/health',
  'sys/seal-status',
  'sys/leader',
  'sys/replication/status',
  'sys/replication/dr/status',
]);

const PROMOTE_PATH = 'sys/replication/dr/secondary/promote';

export interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface RouterDeps {
  readonly node: ClusterNode;
  readonly state: SharedState;
  readonly routes: readonly Route[];
  /** sys/health is answered outside the route table: it must work mid-transition. */
  readonly health: (node: ClusterNode, state: SharedState, query: URLSearchParams, head: boolean) => SimResponse;
}

function operationOf(method: string, query: URLSearchParams): Operation | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return query.get('list') === 'true' ? 'list' : 'read';
    case 'LIST':
      return 'list';
    case 'POST':
    case 'PUT':
      return 'update';
    case 'DELETE':
      return 'delete';
    default:
      return undefined;
  }
}

function headerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-vault-token'];
  if (Array.isArray(value)) return value[0];
  if (value !== undefined) return value;
  const bearer = headers.authorization;
  return bearer?.startsWith('Bearer ') ? bearer.slice('Bearer '.length) : undefined;
}

async function route(deps: RouterDeps, request: IncomingRequest): Promise<SimResponse> {
  const { node, state } = deps;
  const url = new URL(request.url, 'https://vault.invalid');
  if (!url.pathname.startsWith('/v1/')) throw new VaultError(404);
  const path = decodeURIComponent(url.pathname.slice('/v1/'.length)).replace(/\/+$/, '');
  const method = request.method.toUpperCase();
  const operation = operationOf(method, url.searchParams);
  if (path === 'sys/health') {
    if (method === 'GET' || method === 'HEAD') return deps.health(node, state, url.searchParams, method === 'HEAD');
    // http/sys_health.go: respondError(w, http.StatusMethodNotAllowed, nil)
    throw new VaultError(405);
  }
  if (operation === undefined || method === 'HEAD') throw new VaultError(405);

  if (node.transition !== undefined) {
    if (path === PROMOTE_PATH && node.transition.kind === 'promote') {
      throw new VaultError(400, MESSAGES.promotionInProgress);
    }
    throw new VaultError(503, MESSAGES.standbyNoActive);
  }
  if (node.mode === 'secondary' && !STATUS_PATHS.has(path) && !path.startsWith('sys/replication/dr/secondary/')) {
    throw new VaultError(400, MESSAGES.pathDisabledOnSecondary);
  }

  const body = operation === 'update' ? parseJsonBody(request.rawBody) : {};
  const authInput = { state, node, path, operation, headerToken: headerToken(request.headers), body };
  for (const candidate of deps.routes) {
    const params = candidate.match(path, state);
    if (params === undefined) continue;
    const requirement = candidate.auth(node, operation);
    const handler = candidate.operations[operation];
    if (handler === undefined) {
      // Vault checks the token and its ACL before the backend says it lacks the operation.
      if (requirement.kind === 'token' || requirement.kind === 'valid-token') authenticate(requirement, authInput);
      throw new VaultError(405, MESSAGES.unsupportedOperation);
    }
    const caller = authenticate(requirement, authInput);
    return handler({ node, state, path, operation, params, query: url.searchParams, headers: request.headers, body, caller });
  }
  throw unknownPath(authInput);
}

/** Never throws: VaultErrors become their status, anything else a 500 that names the bug. */
export async function dispatch(deps: RouterDeps, request: IncomingRequest): Promise<SimResponse> {
  try {
    return await route(deps, request);
  } catch (error) {
    if (error instanceof VaultError) return { status: error.status, body: errorBody(error.messages) };
    return { status: 500, body: errorBody([`internal error: ${(error as Error).message}`]) };
  }
}

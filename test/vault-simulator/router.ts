/**
 * Turns one HTTP request, on the node that handles it (the active node, or for the status paths
 * the node the load balancer picked), into a SimResponse, applying Vault's gates in Vault's order:
 * a cluster mid-transition (503, or 400 for a second promote), the DR-secondary path filter (400
 * even for root), the body, then the token and its ACL before routing says 404 or 405
 * (vault/request_handling.go checks the token before the router), then the handler. sys/health and
 * node faults are answered before this, in cluster.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type AuthInput, type AuthRequirement, authenticate, unknownPath } from './auth';
import type { ClusterCore } from './cluster';
import { MESSAGES, type SimResponse, VaultError, errorBody } from './envelope';
import type { VaultNode } from './node';
import type { Operation } from './policy';
import type { ClusterState, SharedState } from './state';
import type { TokenEntry } from './token-store';
import { type Body, parseJsonBody } from './params';

export interface RequestContext {
  /** The cluster the request is for. */
  readonly cluster: ClusterCore;
  /** The node handling it. */
  readonly node: VaultNode;
  /** The cluster's storage. */
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
  /**
   * Set when a performance secondary forwarded the request to this (primary) cluster: the
   * secondary checked the token and its ACL, the handler runs here.
   */
  readonly forwardedBy?: ClusterCore;
}

export type Handler = (ctx: RequestContext) => SimResponse | Promise<SimResponse>;

/**
 * Runs a route's handler once the gates and the token check passed on the cluster the request
 * reached; by default right there. A performance secondary passes one that runs it on its primary.
 */
export type HandlerRunner = (handler: Handler, ctx: RequestContext) => Promise<SimResponse>;

export interface Route {
  /** Captured parameters when the route serves `path`, else undefined. */
  match(path: string, state: ClusterState): Readonly<Record<string, string>> | undefined;
  readonly operations: Partial<Record<Operation, Handler>>;
  /** May depend on the cluster's mode (secondary paths use dr_operation_token only on a secondary). */
  auth(cluster: ClusterCore, operation: Operation): AuthRequirement;
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
  'sys/replication/performance/status',
]);

/** Answered by the node the request reached, never forwarded to the active node (http/handler.go). */
export const NODE_LOCAL_PATHS: ReadonlySet<string> = new Set(['sys/health', 'sys/seal-status', 'sys/leader']);

const PROMOTE_PATH = 'sys/replication/dr/secondary/promote';

export interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface ParsedRequest {
  readonly method: string;
  /** Without /v1/ and the query string, trailing slashes removed. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly operation: Operation | undefined;
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

/** Undefined when the URL is not under /v1/. */
export function parseRequest(method: string, rawUrl: string): ParsedRequest | undefined {
  const url = new URL(rawUrl, 'https://vault.invalid');
  if (!url.pathname.startsWith('/v1/')) return undefined;
  const path = decodeURIComponent(url.pathname.slice('/v1/'.length)).replace(/\/+$/, '');
  const upper = method.toUpperCase();
  return { method: upper, path, query: url.searchParams, operation: operationOf(upper, url.searchParams) };
}

function headerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-vault-token'];
  if (Array.isArray(value)) return value[0];
  if (value !== undefined) return value;
  const bearer = headers.authorization;
  return bearer?.startsWith('Bearer ') ? bearer.slice('Bearer '.length) : undefined;
}

async function route(
  cluster: ClusterCore,
  node: VaultNode,
  routes: readonly Route[],
  request: ParsedRequest,
  incoming: IncomingRequest,
  run: HandlerRunner | undefined,
): Promise<SimResponse> {
  const { path, operation, method } = request;
  if (operation === undefined || method === 'HEAD') throw new VaultError(405);

  const transition = cluster.transitionKind();
  if (transition !== undefined && !NODE_LOCAL_PATHS.has(path)) {
    if (path === PROMOTE_PATH && transition === 'promote') throw new VaultError(400, MESSAGES.promotionInProgress);
    throw new VaultError(503, MESSAGES.standbyNoActive);
  }
  if (cluster.drMode() === 'secondary' && !STATUS_PATHS.has(path) && !path.startsWith('sys/replication/dr/secondary/')) {
    throw new VaultError(400, MESSAGES.pathDisabledOnSecondary);
  }

  const state = cluster.state;
  const body = operation === 'update' ? parseJsonBody(incoming.rawBody) : {};
  // A LIST is authorized on the path with a trailing slash, as Vault builds it (http/logical.go,
  // buildLogicalRequestNoAuth: "if op == logical.ListOperation ... path += \"/\""); the ACL then
  // considers both forms (policy.ts, the LIST trailing-slash rule).
  const aclPath = operation === 'list' ? `${path}/` : path;
  const authInput: AuthInput = { state, cluster, path: aclPath, operation, headerToken: headerToken(incoming.headers), body };
  for (const candidate of routes) {
    const params = candidate.match(path, state);
    if (params === undefined) continue;
    const requirement = candidate.auth(cluster, operation);
    const handler = candidate.operations[operation];
    if (handler === undefined) {
      // Vault checks the token and its ACL before the backend says it lacks the operation.
      if (requirement.kind === 'token' || requirement.kind === 'valid-token') authenticate(requirement, authInput);
      throw new VaultError(405, MESSAGES.unsupportedOperation);
    }
    const caller = authenticate(requirement, authInput);
    const ctx: RequestContext = { cluster, node, state, path, operation, params, query: request.query, headers: incoming.headers, body, caller };
    return run === undefined ? handler(ctx) : run(handler, ctx);
  }
  throw unknownPath(authInput);
}

/** Never throws: VaultErrors become their status, anything else a 500 that names the bug. */
export async function dispatch(
  cluster: ClusterCore,
  node: VaultNode,
  routes: readonly Route[],
  request: ParsedRequest,
  incoming: IncomingRequest,
  run?: HandlerRunner,
): Promise<SimResponse> {
  try {
    return await route(cluster, node, routes, request, incoming, run);
  } catch (error) {
    return errorResponse(error);
  }
}

export function errorResponse(error: unknown): SimResponse {
  if (error instanceof VaultError) return { status: error.status, body: errorBody(error.messages) };
  return { status: 500, body: errorBody([`internal error: ${(error as Error).message}`]) };
}

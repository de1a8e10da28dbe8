/**
 * HTTPS transport to Vault with the bounds a failover depends on: a connect timeout (which covers
 * the TLS handshake, so a blackholed host that accepts TCP and never answers is given up on), a
 * total timeout per attempt, a bounded retry that never repeats a write that may have reached the
 * server, and the invocation's deadline over all of it. TLS verification is always on; the CA
 * bundle is the only TLS setting.
 */
import Agent from 'undici/lib/dispatcher/agent';
import request from 'undici/lib/api/api-request';
import { boundedConnector } from './bounded-connector';
import type { Deadline } from './deadline';
import { Secret } from './secret';
import type { HttpBounds } from './settings/common';

/** Whether a call may be sent again after a failed attempt. */
export type RetryPolicy =
  /** Reads, and writes whose repetition is harmless (a login issues one more short-lived token). */
  | 'idempotent'
  /** Writes that change replication state: repeated only when the first attempt never connected. */
  | 'unsent-only';

export interface VaultHttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path under /v1/, with its query string, e.g. `sys/health`. */
  readonly path: string;
  readonly token?: Secret;
  /** JSON body; Secrets inside are revealed only when the body is serialized for the wire. */
  readonly body?: Readonly<Record<string, unknown>>;
  readonly retry: RetryPolicy;
}

export interface VaultHttpResponse {
  readonly status: number;
  /** The parsed JSON body; undefined when the body was empty or not JSON. */
  readonly body: unknown;
}

/** No HTTP answer: refused, timed out, TLS failure. `sent` is false when no byte of the request left. */
export class VaultUnreachableError extends Error {
  override readonly name = 'VaultUnreachableError';
  constructor(
    readonly address: string,
    readonly reason: string,
    readonly sent: boolean,
  ) {
    super(`${address} did not answer: ${reason}`);
  }
}

// Errors raised before the request could have reached the server: safe to retry any request.
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'NOT_ATTEMPTED']);
// TLS verification failures are configuration errors, not transient: never retried.
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/;

function describe(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; name?: string; message?: string; cause?: { code?: unknown; name?: string; message?: string } };
  // The total-timeout abort is a DOMException whose numeric `code` says nothing: use its name.
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return { code: 'TimeoutError', message: 'timed out' };
  const undiciCode = typeof e.code === 'string' ? e.code : e.cause?.code;
  if (undiciCode === 'UND_ERR_HEADERS_TIMEOUT' || undiciCode === 'UND_ERR_BODY_TIMEOUT') return { code: 'TimeoutError', message: 'timed out' };
  const code = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.code === 'string' ? e.code : (e.name ?? 'ERROR');
  const message = e.cause?.message ?? e.message ?? String(err);
  return { code, message };
}

/** The JSON text of a (flat) body, with every Secret value revealed: only here, on the way to the wire. */
function wireBody(body: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(body).map(([key, value]) => [key, value instanceof Secret ? value.reveal() : value])));
}

export class VaultHttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly bounds: HttpBounds,
    private readonly caPem: string | undefined,
    private readonly deadline: Deadline,
  ) {
    this.agent = this.newAgent(4);
  }

  private newAgent(connections: number): Agent {
    return new Agent({
      connect: boundedConnector(this.bounds.connectTimeoutMs, this.caPem),
      // Each attempt's AbortSignal is the precise bound; undici's own coarse timers stay as a backstop.
      headersTimeout: this.bounds.requestTimeoutMs * 2,
      bodyTimeout: this.bounds.requestTimeoutMs * 2,
      connections,
    });
  }

  async send(address: string, req: VaultHttpRequest): Promise<VaultHttpResponse> {
    return this.sendWith(this.agent, address, req, this.bounds.maxAttempts);
  }

  /**
   * One attempt on a connection of its own. A cluster address is a load balancer that picks a node
   * per connection: a fresh connection is a fresh draw, so repeated probes reach different nodes.
   */
  async sendFresh(address: string, req: VaultHttpRequest): Promise<VaultHttpResponse> {
    const agent = this.newAgent(1);
    try {
      return await this.sendWith(agent, address, req, 1);
    } finally {
      await agent.destroy();
    }
  }

  private async sendWith(agent: Agent, address: string, req: VaultHttpRequest, maxAttempts: number): Promise<VaultHttpResponse> {
    let lastError: VaultUnreachableError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.deadline.expired()) {
        throw lastError ?? new VaultUnreachableError(address, "not attempted: the invocation's deadline has passed", false);
      }
      try {
        return await this.attempt(agent, address, req);
      } catch (err) {
        if (!(err instanceof VaultUnreachableError)) throw err;
        lastError = err;
        const retryable = req.retry === 'idempotent' || !err.sent;
        if (!retryable || TLS_FAILURE.test(err.reason)) break;
        if (attempt < maxAttempts) await this.deadline.sleep(50 * attempt);
      }
    }
    throw lastError ?? new VaultUnreachableError(address, 'no attempt made', false);
  }

  private async attempt(agent: Agent, address: string, req: VaultHttpRequest): Promise<VaultHttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.token !== undefined) headers['x-vault-token'] = req.token.reveal();
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.deadline.bound(this.bounds.requestTimeoutMs);
    try {
      const res = await request.call(agent, {
        origin: address,
        path: `/v1/${req.path}`,
        method: req.method,
        headers,
        body: req.body === undefined ? null : wireBody(req.body),
        signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      });
      const text = await res.body.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.statusCode, body };
    } catch (err) {
      const { code, message } = describe(err);
      const reason =
        code === 'TimeoutError'
          ? timeoutMs < this.bounds.requestTimeoutMs
            ? `no answer within ${timeoutMs} ms (what was left of the invocation)`
            : `no answer within ${timeoutMs} ms`
          : `${code}: ${message}`;
      throw new VaultUnreachableError(address, reason, !NOT_SENT.has(code));
    }
  }

  /** Drops every connection at once: a blackholed socket must not keep the invocation alive. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

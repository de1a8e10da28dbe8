/**
 * A small HTTPS client for the drill's checks, verifying the drill CA (never skipping TLS checks).
 * Tokens go in the X-Vault-Token header and unseal keys in bodies; neither is ever logged.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

export interface ApiAnswer {
  readonly status: number;
  readonly body: any;
}

export class VaultHttp {
  private readonly agent: Agent;

  constructor(caFile: string) {
    this.agent = new Agent({ connect: { ca: readFileSync(caFile, 'utf8'), timeout: 2000 }, keepAliveTimeout: 1000 });
  }

  async call(address: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers['x-vault-token'] = options.token;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`${address}/v1/${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      dispatcher: this.agent,
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    const text = await res.body.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.statusCode, body };
  }

  /** GET sys/health, or undefined while the node does not answer. */
  async health(address: string): Promise<ApiAnswer | undefined> {
    try {
      return await this.call(address, 'GET', 'sys/health?standbyok=true');
    } catch {
      return undefined;
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

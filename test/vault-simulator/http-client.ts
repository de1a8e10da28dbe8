/**
 * A small HTTPS JSON client for Vault's API, trusting only the given CA. configureDr uses it (the
 * simulator configures itself through its own API, like Terraform would), and so do the
 * simulator's tests. No connection reuse: a fault change must affect the very next request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface VaultHttpRequest {
  /** @default 'GET' */
  readonly method?: string;
  /** Without /v1/, e.g. 'sys/health'. May carry a query string. */
  readonly path: string;
  readonly token?: string;
  readonly body?: unknown;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export interface VaultHttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON, or undefined for an empty body. `any` because tests index freely into Vault's answers. */
  readonly body: any;
}

export function vaultRequest(address: string, caPem: string, request: VaultHttpRequest): Promise<VaultHttpResponse> {
  const url = new URL(`/v1/${request.path}`, address);
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string | number> = {};
  if (request.token !== undefined) headers['x-vault-token'] = request.token;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const timeoutMs = request.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: request.method ?? 'GET', headers, ca: caPem, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

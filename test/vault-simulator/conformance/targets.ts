/**
 * The two servers the conformance test talks to, behind one interface: a simulated cluster (HTTPS,
 * the pair's CA) and an OpenBao dev server (HTTP). Requests are raw so that a test can send what a
 * JSON client never would (a truncated body, HEAD, LIST, an unknown method).
 */
import http from 'node:http';
import https from 'node:https';
import type { OpenBaoServer } from '../../support/openbao';
import type { VaultPair } from '../types';

export interface RawRequest {
  readonly method: string;
  /** Without /v1/; may carry a query string. */
  readonly path: string;
  readonly token?: string;
  /** Sent as JSON unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string;
}

export interface RawResponse {
  readonly status: number;
  /** Parsed JSON; the text when it is not JSON; undefined when empty. */
  readonly body: unknown;
}

export interface Target {
  readonly name: 'simulator' | 'openbao';
  readonly rootToken: string;
  send(request: RawRequest): Promise<RawResponse>;
  /** Lets `ms` of token lifetime pass: the simulator's clock moves, OpenBao's is waited for. */
  elapse(ms: number): Promise<void>;
}

function send(base: URL, request: RawRequest, ca: string | undefined): Promise<RawResponse> {
  const url = new URL(`/v1/${request.path}`, base);
  const payload = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const headers: Record<string, string | number> = {};
  if (request.token !== undefined) headers['x-vault-token'] = request.token;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      { method: request.method, headers, agent: false, timeout: 5000, ...(ca === undefined ? {} : { ca }) },
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
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${request.method} ${request.path}: no answer within 5000 ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function simulatorTarget(pair: VaultPair, clusterIndex: 0 | 1): Target {
  const cluster = pair.clusters[clusterIndex];
  return {
    name: 'simulator',
    rootToken: pair.rootToken,
    send: (request) => send(new URL(cluster.address), request, pair.caPem),
    elapse: async (ms) => pair.advanceClock(ms),
  };
}

export function openBaoTarget(server: OpenBaoServer): Target {
  return {
    name: 'openbao',
    rootToken: server.rootToken,
    send: (request) => send(new URL(server.address), request, undefined),
    elapse: (ms) => new Promise((done) => setTimeout(done, ms)),
  };
}

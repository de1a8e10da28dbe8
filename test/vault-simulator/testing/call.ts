/** Test helpers: requests to a simulated cluster (functions or clients network), trusting the world's CA. */
import https from 'node:https';
import tls from 'node:tls';
import { type VaultHttpRequest, type VaultHttpResponse, vaultRequest } from '../http-client';
import type { SimulatedCluster, VaultWorld } from '../types';

/** On the functions network (`address`). Each call is a new connection, so the load balancer picks a node for it. */
export function call(world: VaultWorld, cluster: SimulatedCluster, request: VaultHttpRequest): Promise<VaultHttpResponse> {
  return vaultRequest(cluster.address, world.caPem, request);
}

/** As call(), but a new connection again while the load balancer gives one to a node that resets it. */
export async function callAnswered(world: VaultWorld, cluster: SimulatedCluster, request: VaultHttpRequest): Promise<VaultHttpResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(world, cluster, request);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ECONNRESET' || attempt >= 20) throw error;
    }
  }
}

/** On the clients network (`clientAddress`). */
export function callClient(world: VaultWorld, cluster: SimulatedCluster, request: VaultHttpRequest): Promise<VaultHttpResponse> {
  return vaultRequest(cluster.clientAddress, world.caPem, request);
}

/** A client write (KV v1 at secret/) through the clients network, with the root token. */
export function writeSecret(world: VaultWorld, cluster: SimulatedCluster, path: string, data: Record<string, unknown>): Promise<VaultHttpResponse> {
  return callClient(world, cluster, { method: 'POST', path: `secret/${path}`, token: world.rootToken, body: data });
}

/** Resolves once `predicate` holds, polling every 10 ms; rejects after `timeoutMs` real ms. */
export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What happened to one request: its status, or the error code when there was no answer. */
export async function outcome(promise: Promise<VaultHttpResponse>): Promise<number | string> {
  try {
    return (await promise).status;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  }
}

/** Whether a TLS handshake with `port` completes within `withinMs`. */
export function handshakeCompletes(world: VaultWorld, port: number, withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: world.caPem });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, withinMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** GET `path` on a keep-alive agent (the connection, and so the node, is reused). */
export function keepAliveGet(world: VaultWorld, address: string, path: string, agent: https.Agent, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${address}/v1/${path}`, { ca: world.caPem, agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/** Test helper: requests to a simulated cluster, trusting the pair's CA. */
import { type VaultHttpRequest, type VaultHttpResponse, vaultRequest } from '../http-client';
import type { SimulatedCluster, VaultPair } from '../types';

export function call(pair: VaultPair, cluster: SimulatedCluster, request: VaultHttpRequest): Promise<VaultHttpResponse> {
  return vaultRequest(cluster.address, pair.caPem, request);
}

/** Resolves once `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

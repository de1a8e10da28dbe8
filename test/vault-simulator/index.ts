/**
 * The Vault Enterprise simulator: clusters of nodes behind load balancers, each with its own
 * storage, DR replication between them, faults per node and per network, a scaled clock and an
 * observer, answering as docs/vault-api.md and README.md describe. See types.ts for the contract;
 * everything not exported here is internal.
 */
export { startVaultPair } from './pair';
export { startVaultWorld } from './world';
export { FAST_TIMINGS, PROJECT_HEALTH_CHECKS, REALISTIC_TIMINGS } from './settings';
export { VAULT_VERSION } from './routes/health';
export { SEED_ENV } from './rng';
export { createUntrustedCa } from './tls';
/** For test set-up that must reach a cluster without going through the code under test. */
export { vaultRequest } from './http-client';
export type * from './types';

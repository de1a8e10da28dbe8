/**
 * The Vault Enterprise simulator: two HTTPS clusters with DR replication, faults and AWS IAM
 * login, answering as docs/vault-api.md describes. See types.ts for the
 * contract; everything not exported here is internal.
 */
export { startVaultPair } from './pair';
export { createUntrustedCa } from './tls';
/** For test set-up that must reach a cluster without going through the code under test. */
export { vaultRequest } from './http-client';
export type * from './types';

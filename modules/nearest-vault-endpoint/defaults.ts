/** Defaults of NearestVaultEndpoint, in one place. */
export const NEAREST_VAULT_ENDPOINT_DEFAULTS = {
  // As the high-level name's: a client whose group changes follows within seconds.
  ttlSeconds: 10,
} as const;

/** CNAME: the records point at names (the weighted high-level name among them), whatever those point at. */
export const NEAREST_VAULT_ENDPOINT_RECORD_TYPE = 'CNAME';

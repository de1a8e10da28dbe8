/** Defaults of WeightedVaultEndpoint, in one place. */
export const WEIGHTED_VAULT_ENDPOINT_DEFAULTS = {
  // Low so that clients follow a failover within the DR target; Route 53 charges the same.
  ttlSeconds: 10,
} as const;

/** Record type of the two weighted records; the DNS switch is told the same (`DNS_RECORD_TYPE`). */
export const VAULT_ENDPOINT_RECORD_TYPE = 'CNAME';

/** Route 53's largest weight: the cluster that serves. */
export const SERVING_WEIGHT = 255;
/** The standby cluster gets no traffic until the DNS switch moves the weights. */
export const STANDBY_WEIGHT = 0;

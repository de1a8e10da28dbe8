import type { Construct } from 'constructs';
import * as rules from '../shared/rules';
import { checkClusterPair } from '../shared/vault-cluster-endpoint';
import { PropsValidation } from '../shared/validation';
import { WEIGHTED_VAULT_ENDPOINT_DEFAULTS } from './defaults';
import type { WeightedVaultEndpointProps } from './weighted-vault-endpoint';

/**
 * The most a client may cache the high-level name: clients follow a failover only once their cached
 * answer expires, and the DR target is a minute.
 */
export const MAX_ENDPOINT_TTL_SECONDS = 60;

/** Checks every prop of a WeightedVaultEndpoint; throws one PropsValidationError listing every problem. */
export function validateWeightedVaultEndpointProps(scope: Construct, props: WeightedVaultEndpointProps): void {
  const v = new PropsValidation(scope, 'WeightedVaultEndpoint');
  const addressOk = v.check('vaultAddress', props.vaultAddress, rules.httpsAddress);
  checkClusterPair(v, props.clusters, addressOk ? props.vaultAddress : undefined);
  const zoneOk = v.check('hostedZoneId', props.hostedZoneId, rules.hostedZoneId);
  v.check(
    'ttlSeconds',
    props.ttlSeconds ?? WEIGHTED_VAULT_ENDPOINT_DEFAULTS.ttlSeconds,
    rules.wholeNumber(0, MAX_ENDPOINT_TTL_SECONDS, 'seconds', 'clients follow a failover only when their cached answer expires, and the DR target is a minute'),
  );
  if (addressOk && zoneOk) {
    v.claimName(
      'weighted records',
      `${props.hostedZoneId} ${rules.hostOf(props.vaultAddress)}`,
      'vaultAddress',
      'two constructs cannot own the same weighted records; keep one WeightedVaultEndpoint per high-level name',
    );
  }
  v.throwIfInvalid();
}

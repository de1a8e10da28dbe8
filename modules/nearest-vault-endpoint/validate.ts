import type { Construct } from 'constructs';
import * as rules from '../shared/rules';
import { PropsValidation } from '../shared/validation';
import { MAX_ENDPOINT_TTL_SECONDS } from '../weighted-vault-endpoint/validate';
import { NEAREST_VAULT_ENDPOINT_DEFAULTS } from './defaults';
import type { NearestVaultEndpointProps } from './nearest-vault-endpoint';

/** Checks every prop of a NearestVaultEndpoint; throws one PropsValidationError listing every problem. */
export function validateNearestVaultEndpointProps(scope: Construct, props: NearestVaultEndpointProps): void {
  const v = new PropsValidation(scope, 'NearestVaultEndpoint');
  const addressOk = v.check('vaultAddress', props.vaultAddress, rules.httpsAddress);
  const zoneOk = v.check('hostedZoneId', props.hostedZoneId, rules.hostedZoneId);
  v.check('ttlSeconds', props.ttlSeconds ?? NEAREST_VAULT_ENDPOINT_DEFAULTS.ttlSeconds, rules.wholeNumber(0, MAX_ENDPOINT_TTL_SECONDS, 'seconds', 'a client follows a change of its group only when its cached answer expires'));
  const targets = props.targets ?? [];
  if (!Array.isArray(targets) || targets.length < 2) {
    v.report('targets', 'must list at least two serving groups (the primary pair and a performance secondary): with one, latency routing chooses nothing; use that group\'s own name');
    v.throwIfInvalid();
    return;
  }
  const seen = { name: new Map<string, number>(), region: new Map<string, number>(), host: new Map<string, number>() };
  targets.forEach((target, i) => {
    const nameOk = v.check(`targets[${i}].name`, target.name, rules.clusterName);
    const regionOk = v.check(`targets[${i}].region`, target.region, rules.awsRegion);
    const hostOk = v.check(`targets[${i}].address`, target.address, rules.httpsAddress);
    const duplicate = (kind: keyof typeof seen, value: string, prop: string, why: string) => {
      const first = seen[kind].get(value);
      if (first !== undefined) v.report(`targets[${i}].${prop}`, `"${value}" is also targets[${first}]'s: ${why}`);
      else seen[kind].set(value, i);
    };
    if (nameOk) duplicate('name', target.name, 'name', 'each record needs a set identifier of its own');
    if (regionOk) {
      duplicate('region', target.region, 'region', 'one record per region, or the clients of that region would be split between two groups at random');
    }
    if (hostOk) {
      const host = rules.hostOf(target.address);
      duplicate('host', host, 'address', 'each record points at another group');
      if (addressOk && host === rules.hostOf(props.vaultAddress)) {
        v.report(`targets[${i}].address`, `is the nearest name itself (${host}): point at the group's own name`);
      }
    }
  });
  if (addressOk && zoneOk) {
    v.claimName('latency records', `${props.hostedZoneId} ${rules.hostOf(props.vaultAddress)}`, 'vaultAddress', 'two constructs cannot own the same latency records; keep one NearestVaultEndpoint per name');
  }
  v.throwIfInvalid();
}

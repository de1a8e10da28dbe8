import type { IValidation } from 'constructs';
import type { Construct } from 'constructs';
import { TerraformStack } from '../internal/cdktf';
import { hostOf } from '../shared/rules';
import type { VaultClusterPair } from '../shared/vault-cluster-endpoint';
import { WeightedVaultEndpoint } from '../weighted-vault-endpoint/weighted-vault-endpoint';

/** What DrAutomation tells the DNS switch: the record it moves and the clusters it moves it between. */
export interface DnsSwitchTarget {
  readonly recordName: string;
  readonly hostedZoneId: string;
  readonly clusters: VaultClusterPair;
}

/**
 * A synth-time check (the other construct may be created after this one) that the DR automation
 * and the stack's WeightedVaultEndpoint describe the same records: the same high-level name, the
 * same hosted zone, and the same two clusters (names = set identifiers, and their addresses). When
 * they differ, the DNS switch looks for records that do not exist and the first failover fails at
 * its last step. A stack without a WeightedVaultEndpoint (the records are managed elsewhere) is not
 * checked. cdktf reports each problem as `[<construct path>] <problem>` and stops the synth.
 */
export function agreesWithWeightedEndpoint(automation: Construct, target: DnsSwitchTarget): IValidation {
  return {
    validate: () => {
      const endpoints = TerraformStack.of(automation)
        .node.findAll()
        .filter((c): c is WeightedVaultEndpoint => c instanceof WeightedVaultEndpoint);
      if (endpoints.length === 0) return [];
      const endpoint = endpoints.find((e) => e.recordName === target.recordName);
      if (endpoint === undefined) {
        const served = endpoints.map((e) => `${e.recordName} (${e.node.path})`).join(', ');
        return [
          `DrAutomation prop "vaultAddress": names ${target.recordName}, but the WeightedVaultEndpoint of this stack serves ${served}: the DNS switch would look for records that do not exist; give both the same vaultAddress`,
        ];
      }
      const problems: string[] = [];
      if (endpoint.hostedZoneId !== target.hostedZoneId) {
        problems.push(
          `DrAutomation prop "hostedZoneId": is "${target.hostedZoneId}", but WeightedVaultEndpoint ${endpoint.node.path} keeps the records of ${target.recordName} in "${endpoint.hostedZoneId}": give both the same hosted zone`,
        );
      }
      for (const role of ['primary', 'dr'] as const) {
        const mine = target.clusters[role];
        const theirs = endpoint.clusters[role];
        if (mine.name !== theirs.name) {
          problems.push(
            `DrAutomation prop "clusters.${role}.name": is "${mine.name}", but WeightedVaultEndpoint ${endpoint.node.path} names its ${role} record "${theirs.name}" (the set identifier the DNS switch looks for): give both the same clusters`,
          );
        } else if (hostOf(mine.address) !== hostOf(theirs.address)) {
          problems.push(
            `DrAutomation prop "clusters.${role}.address": is ${mine.address}, but WeightedVaultEndpoint ${endpoint.node.path} points the record "${theirs.name}" at ${hostOf(theirs.address)}: give both the same clusters`,
          );
        }
      }
      return problems;
    },
  };
}

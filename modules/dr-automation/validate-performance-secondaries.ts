import * as valibot from 'valibot';
import { performanceSecondariesProblems, performanceSecondariesRule, type ClusterRef } from '../../functions/shared/settings/clusters';
import { issuesOf } from '../../functions/shared/settings/variables';
import * as rules from '../shared/rules';
import type { PropsValidation } from '../shared/validation';
import type { VaultClusterPair } from '../shared/vault-cluster-endpoint';

const PROP = 'performanceSecondaries';
const FIELDS = ['name', 'address', 'clusterAddress'] as const;

/** An entry as the functions read it: `region` (a VaultCluster endpoint's) is not part of their contract. */
function withoutRegion(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const { region: _region, ...rest } = entry as Record<string, unknown>;
  return rest;
}

/**
 * Checks `performanceSecondaries` with dr-operations' own rule for `VAULT_PERFORMANCE_SECONDARIES`
 * (functions/shared/settings/clusters.ts: the shape, each name and address, no two alike, none a
 * DR cluster's), so that what the construct writes is what the function accepts at start-up, and
 * the addresses with the rule the construct applies to `clusters` (by DNS name, not the high-level
 * host). Records each problem under `performanceSecondaries[i].<field>`; returns the list as the
 * function will read it ([] when there are problems, or none were given).
 */
export function checkPerformanceSecondaries(
  v: PropsValidation,
  secondaries: unknown,
  pair: VaultClusterPair | undefined,
  vaultAddress: string | undefined,
): readonly ClusterRef[] {
  if (secondaries === undefined) return [];
  // A Terraform reference is unknown at synth: it could be neither checked nor compared here.
  if (Array.isArray(secondaries)) {
    secondaries.forEach((entry: unknown, i) => {
      for (const field of FIELDS) {
        const value = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[field] : undefined;
        if (value !== undefined && !rules.known(value)) {
          v.report(`${PROP}[${i}].${field}`, 'must be a plain string, not a Terraform reference: it is compared with the clusters\' at synth (give the VaultCluster\'s `endpoint`)');
        }
      }
    });
    if (v.failed(PROP)) return [];
  }

  const entries = Array.isArray(secondaries) ? secondaries.map(withoutRegion) : secondaries;
  const parsed = valibot.safeParse(performanceSecondariesRule, JSON.stringify(entries));
  if (!parsed.success) {
    for (const issue of issuesOf(PROP, parsed.issues)) v.report(issue.field, issue.problem);
    return [];
  }
  const list = parsed.output;

  list.forEach((secondary, i) => {
    const at = `${PROP}[${i}]`;
    if (v.check(`${at}.address`, (secondaries as { address: string }[])[i]!.address, rules.httpsAddress) && vaultAddress !== undefined) {
      if (rules.hostOf(secondary.address) === rules.hostOf(vaultAddress)) {
        v.report(`${at}.address`, `names the high-level host ${rules.hostOf(vaultAddress)} (vaultAddress): give the performance secondary's own address (VaultCluster.address)`);
      }
    }
    v.optional(`${at}.clusterAddress`, (secondaries as { clusterAddress?: string }[])[i]!.clusterAddress, rules.httpsAddress);
  });

  if (pair?.primary !== undefined && pair.dr !== undefined && !v.failed('clusters')) {
    const origin = (address: string) => new URL(address).origin;
    const pairRefs = [pair.primary, pair.dr].map((c) => ({ name: c.name, address: origin(c.address) }));
    for (const { field, problem } of performanceSecondariesProblems(pairRefs, list, PROP)) v.report(field, problem);
  }
  return v.failed(PROP) ? [] : list;
}

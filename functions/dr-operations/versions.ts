/**
 * The Vault version rule for replication: HashiCorp's DR API says "It is not safe to replicate from
 * a newer version of Vault to an older version", and its upgrade guide for replicated deployments
 * upgrades the secondaries first, then the primary in place. So an operation must never make a
 * cluster the primary of a cluster running an older version. The versions are what sys/health
 * reported (the answering node's); a version that is missing or not `major.minor.patch` is not
 * judged (the check does not invent a refusal).
 */
import type { ClusterView } from '../shared/cluster-probe';

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)/;

/** <0, 0, >0 as a is older than, the same as, newer than b; undefined when either is not a version. */
export function compareVaultVersions(a: string | undefined, b: string | undefined): number | undefined {
  const x = a === undefined ? null : VERSION.exec(a);
  const y = b === undefined ? null : VERSION.exec(b);
  if (x === null || y === null) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Why making `primary` the primary of `secondary` is not safe, or undefined when it is (or the
 * versions are unknown): `primary` runs a newer version than `secondary`.
 */
export function newerOverOlder(primary: ClusterView, secondary: ClusterView): string | undefined {
  const order = compareVaultVersions(primary.version, secondary.version);
  if (order === undefined || order <= 0) return undefined;
  return (
    `${primary.name} runs Vault ${primary.version}, newer than ${secondary.name}'s ${secondary.version}, and replicating from a newer ` +
    'version to an older one is not safe (HashiCorp, promote DR secondary)'
  );
}

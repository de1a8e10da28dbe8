/**
 * The two clusters (`VAULT_CLUSTERS`) and the one rule for a cluster name, used by the construct at
 * synth and by every function at run time.
 */
import * as v from 'valibot';
import { jsonRule, type RawRule } from './variables';

/**
 * A cluster name is the Route 53 set identifier of its weighted record (1 to 128 characters) and
 * appears in answers, logs and Vault secondary ids: letters, digits, "-" and "_", starting with a
 * letter or digit.
 */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const CLUSTER_NAME_RULE_TEXT = '1 to 128 letters, digits, "-" or "_", starting with a letter or digit (it is the Route 53 set identifier)';

/** Why `name` is not a valid cluster name, or undefined when it is. */
export function clusterNameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && CLUSTER_NAME_PATTERN.test(name) ? undefined : `must be ${CLUSTER_NAME_RULE_TEXT}, got ${JSON.stringify(name)}`;
}

export interface ClusterRef {
  /** Stable label; also the Route 53 set identifier of the cluster's weighted record. */
  readonly name: string;
  /** The cluster's own HTTPS origin, e.g. `https://vault-dev-use1.example.com:8200`. */
  readonly address: string;
  /**
   * The cluster port (8201) address secondaries replicate from. Given to Vault as
   * `primary_cluster_addr` when this cluster is promoted, so that secondaries reach it through its
   * load balancer rather than a node's own address. Optional: without it Vault advertises its
   * nodes' cluster_addr.
   */
  readonly clusterAddress?: string;
}

const httpsOrigin = (what: string) =>
  v.pipe(
    v.string(`must be an https:// URL string (${what})`),
    v.check((raw) => URL.canParse(raw) && new URL(raw).protocol === 'https:', (issue) => `must be an https:// URL (${what}; TLS is always on), got ${JSON.stringify(issue.input)}`),
    v.transform((raw) => new URL(raw).origin),
  );

const clusterSchema = v.strictObject(
  {
    name: v.pipe(v.unknown(), v.check((n) => clusterNameProblem(n) === undefined, (issue) => clusterNameProblem(issue.input) as string), v.transform((n) => n as string)),
    address: httpsOrigin('the cluster\'s own API address, e.g. https://vault-use1.example.com:8200'),
    clusterAddress: v.optional(httpsOrigin('the cluster port through its load balancer, e.g. https://vault-use1.example.com:8201')),
  },
  (issue) =>
    issue.expected === 'never'
      ? `is not a known field of a cluster; the fields are name, address, clusterAddress`
      : issue.expected?.startsWith('"')
        ? 'is required'
        : 'must be an object {"name": ..., "address": "https://...", "clusterAddress"?: "https://...:8201"}',
);

const EXAMPLE = '[{"name":"east","address":"https://..."},{"name":"west","address":"https://..."}]';

const TWO = `must be a JSON array of exactly two clusters (the primary and the DR secondary, in any order): ${EXAMPLE}`;

const pairSchema = v.pipe(
  v.array(v.unknown(), TWO),
  v.length(2, TWO),
  v.strictTuple([clusterSchema, clusterSchema], TWO),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const [a, b] = dataset.value;
    if (a.name === b.name) {
      addIssue({ message: `must differ from the first cluster's name (both are ${JSON.stringify(a.name)})`, path: [{ type: 'array', origin: 'value', input: dataset.value, key: 1, value: b }, { type: 'object', origin: 'value', input: b, key: 'name', value: b.name }] });
    }
    if (a.address === b.address) {
      addIssue({ message: 'must differ from the first cluster\'s address', path: [{ type: 'array', origin: 'value', input: dataset.value, key: 1, value: b }, { type: 'object', origin: 'value', input: b, key: 'address', value: b.address }] });
    }
  }),
  v.transform((pair) => pair.map((c): ClusterRef => ({ name: c.name, address: c.address, ...(c.clusterAddress === undefined ? {} : { clusterAddress: c.clusterAddress }) })) as unknown as readonly [ClusterRef, ClusterRef]),
);

export const clustersRule: RawRule<readonly [ClusterRef, ClusterRef]> = jsonRule(pairSchema, EXAMPLE);

/** The `VAULT_CLUSTERS` value for two clusters (what the construct writes). */
export function clustersValue(clusters: readonly [ClusterRef, ClusterRef]): string {
  return JSON.stringify(clusters.map((c) => ({ name: c.name, address: c.address, ...(c.clusterAddress === undefined ? {} : { clusterAddress: c.clusterAddress }) })));
}

const PERFORMANCE_EXAMPLE = '[{"name":"south","address":"https://vault-south.example.com:8200"}]';

const PERFORMANCE_LIST = `must be a JSON array of the performance secondaries of the primary (each {"name", "address", "clusterAddress"?}; [] for none): ${PERFORMANCE_EXAMPLE}`;

const performanceListSchema = v.pipe(
  v.array(clusterSchema, PERFORMANCE_LIST),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const list = dataset.value;
    list.forEach((c, i) => {
      const at = (key: 'name' | 'address'): [v.IssuePathItem, v.IssuePathItem] => [
        { type: 'array' as const, origin: 'value' as const, input: list, key: i, value: c },
        { type: 'object' as const, origin: 'value' as const, input: c, key, value: c[key] },
      ];
      const sameName = list.findIndex((o) => o.name === c.name);
      if (sameName < i) addIssue({ message: `must differ from the name of performance secondary ${sameName} (both are ${JSON.stringify(c.name)})`, path: at('name') });
      const sameAddress = list.findIndex((o) => o.address === c.address);
      if (sameAddress < i) addIssue({ message: `must differ from the address of performance secondary ${sameAddress}`, path: at('address') });
    });
  }),
  v.transform((list) => list.map((c): ClusterRef => ({ name: c.name, address: c.address, ...(c.clusterAddress === undefined ? {} : { clusterAddress: c.clusterAddress }) }))),
);

/** `VAULT_PERFORMANCE_SECONDARIES`: the performance secondaries of the primary, each a cluster like those of `VAULT_CLUSTERS`. */
export const performanceSecondariesRule: RawRule<readonly ClusterRef[]> = jsonRule(performanceListSchema, PERFORMANCE_EXAMPLE);

/**
 * Why the performance secondaries cannot stand beside `pair`, each with its field: a performance
 * secondary is a third cluster, so its name (a Route 53 set identifier, a key in answers) and its
 * address must be neither DR cluster's. [] when they can.
 */
export function performanceSecondariesProblems(pair: readonly ClusterRef[], secondaries: readonly ClusterRef[], root = 'VAULT_PERFORMANCE_SECONDARIES'): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  secondaries.forEach((s, i) => {
    const sameName = pair.find((c) => c.name === s.name);
    if (sameName) problems.push({ field: `${root}[${i}].name`, problem: `must differ from the names of the DR clusters (VAULT_CLUSTERS): ${JSON.stringify(s.name)} is one of them` });
    const sameAddress = pair.find((c) => c.address === s.address);
    if (sameAddress) problems.push({ field: `${root}[${i}].address`, problem: `must differ from the DR clusters' addresses (VAULT_CLUSTERS): it is ${sameAddress.name}'s` });
  });
  return problems;
}

/** The `VAULT_PERFORMANCE_SECONDARIES` value (what the construct writes). */
export function performanceSecondariesValue(secondaries: readonly ClusterRef[]): string {
  return JSON.stringify(secondaries.map((c) => ({ name: c.name, address: c.address, ...(c.clusterAddress === undefined ? {} : { clusterAddress: c.clusterAddress }) })));
}

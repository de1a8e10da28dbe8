/** The Vault settings every function shares: the two clusters, the CA bundle and the network bounds. */
import { readFileSync } from 'node:fs';
import { InputError } from './errors';
import { type Env, httpsUrl, optionalInteger, optionalString, requiredString } from './env';

export interface ClusterRef {
  /** Stable label; also the Route 53 set identifier of the cluster's weighted record. */
  readonly name: string;
  /** The cluster's own HTTPS origin, e.g. `https://vault-dev-use1.example.com:8200`. */
  readonly address: string;
  /**
   * The cluster port (8201) address secondaries replicate from, e.g. `https://vault-dev-use1.example.com:8201`.
   * Given to Vault as `primary_cluster_addr` when this cluster is promoted, so that secondaries
   * reach it through its load balancer rather than a node's own address. Optional: without it
   * Vault advertises its nodes' cluster_addr.
   */
  readonly clusterAddress?: string;
}

export interface HttpBounds {
  /** TCP + TLS connect timeout per attempt. */
  readonly connectTimeoutMs: number;
  /** Total time for one attempt: connect, headers and body. */
  readonly requestTimeoutMs: number;
  /** Attempts for calls that are safe to repeat. */
  readonly maxAttempts: number;
}

export interface VaultSettings {
  readonly clusters: readonly [ClusterRef, ClusterRef];
  /** PEM bundle trusted for the Vault listeners; undefined means Node's default trust store. */
  readonly caPem: string | undefined;
  readonly http: HttpBounds;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function parseClusters(raw: string): readonly [ClusterRef, ClusterRef] {
  const field = 'VAULT_CLUSTERS';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError(field, 'must be JSON: [{"name":"east","address":"https://..."},{"name":"west","address":"https://..."}]');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) {
    throw new InputError(field, 'must be a JSON array of exactly two clusters (the primary and the DR secondary, in any order)');
  }
  const clusters = parsed.map((entry: unknown, i): ClusterRef => {
    const item = entry as { name?: unknown; address?: unknown; clusterAddress?: unknown } | null;
    if (typeof item?.name !== 'string' || !NAME.test(item.name)) {
      throw new InputError(`${field}[${i}].name`, 'must be a label of letters, digits, ".", "_" or "-" (it is the Route 53 set identifier)');
    }
    if (typeof item.address !== 'string') throw new InputError(`${field}[${i}].address`, 'must be an https:// URL string');
    const ref = { name: item.name, address: httpsUrl(`${field}[${i}].address`, item.address) };
    if (item.clusterAddress === undefined) return ref;
    if (typeof item.clusterAddress !== 'string') throw new InputError(`${field}[${i}].clusterAddress`, 'must be an https:// URL string (the :8201 address)');
    return { ...ref, clusterAddress: httpsUrl(`${field}[${i}].clusterAddress`, item.clusterAddress) };
  });
  const [a, b] = clusters as [ClusterRef, ClusterRef];
  if (a.name === b.name) throw new InputError(`${field}[1].name`, `must differ from ${field}[0].name (both are ${JSON.stringify(a.name)})`);
  if (a.address === b.address) throw new InputError(`${field}[1].address`, `must differ from ${field}[0].address`);
  return [a, b];
}

export function readHttpBounds(env: Env): HttpBounds {
  return {
    connectTimeoutMs: optionalInteger(env, 'VAULT_CONNECT_TIMEOUT_MS', 1000, { min: 50, max: 60_000 }),
    requestTimeoutMs: optionalInteger(env, 'VAULT_REQUEST_TIMEOUT_MS', 2500, { min: 50, max: 120_000 }),
    maxAttempts: optionalInteger(env, 'VAULT_MAX_ATTEMPTS', 2, { min: 1, max: 5 }),
  };
}

const caCache = new Map<string, string>();

function readCaFile(path: string): string {
  const cached = caCache.get(path);
  if (cached !== undefined) return cached;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('VAULT_CA_FILE', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); point it at the PEM bundle of the CA that signs the Vault listeners`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InputError('VAULT_CA_FILE', `${path} holds no PEM certificate`);
  }
  caCache.set(path, pem);
  return pem;
}

export function readVaultSettings(env: Env): VaultSettings {
  const caFile = optionalString(env, 'VAULT_CA_FILE');
  return {
    clusters: parseClusters(requiredString(env, 'VAULT_CLUSTERS')),
    caPem: caFile === undefined ? undefined : readCaFile(caFile),
    http: readHttpBounds(env),
  };
}

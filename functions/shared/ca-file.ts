/** The CA bundle that signs the Vault listeners, read once per process. */
import { readFileSync } from 'node:fs';
import { InputError } from './errors';

const cache = new Map<string, string>();

/** PEM text of `path`, or undefined (Node's trust store) when no path is configured. */
export function readCaFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('VAULT_CA_FILE', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); point it at the PEM bundle of the CA that signs the Vault listeners`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new InputError('VAULT_CA_FILE', `${path} holds no PEM certificate; point it at the PEM bundle of the CA that signs the Vault listeners`);
  cache.set(path, pem);
  return pem;
}

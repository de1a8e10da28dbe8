/**
 * The would-be secondary's token for bootstrap, read where it does not show: a file (`-` for
 * standard input) or the environment variable VAULT_DR_SECONDARY_TOKEN, never a flag's value
 * (which shell history and process listings keep). It is never printed or logged by vault-dr.
 */
import { readFileSync } from 'node:fs';
import { FlagError } from './target';

export const SECONDARY_TOKEN_ENV = 'VAULT_DR_SECONDARY_TOKEN';

export async function readSecondaryToken(file: string | undefined, env: Readonly<Record<string, string | undefined>>, stdin: NodeJS.ReadableStream): Promise<string | undefined> {
  let raw: string | undefined;
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    raw = Buffer.concat(chunks).toString('utf8');
  } else if (file !== undefined) {
    try {
      raw = readFileSync(file, 'utf8');
    } catch (err) {
      throw new FlagError(`--secondary-token-file: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    raw = env[SECONDARY_TOKEN_ENV];
  }
  if (raw === undefined) return undefined;
  const token = raw.trim();
  if (token === '' || /\s/.test(token)) {
    throw new FlagError(`${file !== undefined ? '--secondary-token-file' : SECONDARY_TOKEN_ENV}: must hold one Vault token (its value is not shown)`);
  }
  return token;
}

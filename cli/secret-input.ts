/**
 * Credentials vault-dr passes to a function (the would-be secondary's token for bootstrap, a
 * break-glass DR operation token for failover, switchover and link), from where they do not show: a file (`-` for
 * standard input) or an environment variable, never a flag's value (which shell history and process
 * listings keep). vault-dr never prints or logs them: next commands show the file flag instead
 * (next-command.ts), and only the function's answer is printed, never the event.
 */
import { readFileSync } from 'node:fs';
import { FlagError } from './target';

export const SECONDARY_TOKEN_ENV = 'VAULT_DR_SECONDARY_TOKEN';
export const OPERATION_TOKEN_ENV = 'VAULT_DR_OPERATION_TOKEN';

export interface SecretSource {
  /** The flag that names the file, for messages: `--secondary-token-file`. */
  readonly fileFlag: string;
  /** The environment variable read when no file is given. */
  readonly envVar: string;
}

export async function readSecret(
  source: SecretSource,
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  stdin: NodeJS.ReadableStream,
): Promise<string | undefined> {
  let raw: string | undefined;
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    raw = Buffer.concat(chunks).toString('utf8');
  } else if (file !== undefined) {
    try {
      raw = readFileSync(file, 'utf8');
    } catch (err) {
      throw new FlagError(`${source.fileFlag}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    raw = env[source.envVar];
  }
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '' || /\s/.test(value)) {
    throw new FlagError(`${file !== undefined ? source.fileFlag : source.envVar}: must hold one token (its value is not shown)`);
  }
  return value;
}

/** bootstrap's `secondaryToken`: `--secondary-token-file` or VAULT_DR_SECONDARY_TOKEN. */
export function readSecondaryToken(file: string | undefined, env: Readonly<Record<string, string | undefined>>, stdin: NodeJS.ReadableStream): Promise<string | undefined> {
  return readSecret({ fileFlag: '--secondary-token-file', envVar: SECONDARY_TOKEN_ENV }, file, env, stdin);
}

/**
 * failover, switchover and link's `drOperationToken` (break glass, runbook 5.1): `--dr-operation-token-file`
 * or VAULT_DR_OPERATION_TOKEN. The flag's name is the one a next command shows for that field.
 */
export function readOperationToken(file: string | undefined, env: Readonly<Record<string, string | undefined>>, stdin: NodeJS.ReadableStream): Promise<string | undefined> {
  return readSecret({ fileFlag: '--dr-operation-token-file', envVar: OPERATION_TOKEN_ENV }, file, env, stdin);
}

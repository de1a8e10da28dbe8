/**
 * Starts moto's server mode on 127.0.0.1 for a test file: Route 53, Secrets Manager and STS answer
 * over real HTTP, so the functions' AWS SDK calls are exercised end to end (signing, XML/JSON
 * protocols, retries), not mocked in-process.
 *
 * The binary comes from `make install` (pinned in the Makefile); MOTO_SERVER overrides its path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './ports';

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Forgets every resource (POST /moto-api/reset), for isolation between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

function motoBinary(): string {
  const candidate = process.env.MOTO_SERVER ?? join(REPO_ROOT, '.tools', 'moto', 'bin', 'moto_server');
  if (!existsSync(candidate)) {
    throw new Error(
      `moto_server not found at ${candidate}: run \`make install\` (it installs moto at the pinned version) or set MOTO_SERVER`,
    );
  }
  return candidate;
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(500) });
      if (res.ok) {
        await res.arrayBuffer();
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${deadlineMs} ms`);
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(motoBinary(), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilAnswering(endpoint, child, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await res.arrayBuffer();
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

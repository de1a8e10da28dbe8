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

/**
 * freePort() closes the port it found before moto binds it, so on a busy machine another process
 * (a second moto, a test's server) can take it in between: moto then exits "Address already in
 * use". An attempt whose moto exited before answering is retried on a new port; a moto that does
 * not answer in time is not.
 */
const BIND_ATTEMPTS = 5;

export async function startMoto(): Promise<MotoServer> {
  for (let attempt = 1; ; attempt++) {
    const started = await startMotoOnce();
    if (started.kind === 'started') return started.server;
    if (!started.portTaken || attempt === BIND_ATTEMPTS) throw started.error;
  }
}

async function startMotoOnce(): Promise<{ kind: 'started'; server: MotoServer } | { kind: 'failed'; error: Error; portTaken: boolean }> {
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
    // Whoever answered, it was not this moto if this one has exited (it lost the port).
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
  } catch (err) {
    child.kill('SIGKILL');
    // Its stderr ("Address already in use") may still be in flight when the exit is seen, so an
    // exit before answering counts as a lost port; a moto that cannot start at all fails every attempt.
    return { kind: 'failed', error: new Error(`${(err as Error).message}\n${stderr}`), portTaken: child.exitCode !== null };
  }
  return { kind: 'started', server: motoServer(endpoint, child) };
}

function motoServer(endpoint: string, child: ChildProcess): MotoServer {
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

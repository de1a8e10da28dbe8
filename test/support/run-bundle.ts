/**
 * Runs a function bundle the way Lambda's Node runtime does: a fresh `node` process that requires
 * the bundle and calls its exported `handler` with the event and a context (remaining time,
 * request id), configuration in the environment; a thrown error is reported by name and message
 * only, as the runtime reports it.
 */
import { spawn } from 'node:child_process';

export interface BundleRun {
  readonly answer?: unknown;
  readonly error?: { name: string; message: string };
  /** The function's own stdout lines (its JSON logs). */
  readonly logLines: string[];
}

const MARK = '@@bundle-result@@';
const RUNNER = `
const { handler } = require(process.argv[1]);
const end = Date.now() + Number(process.argv[3]);
const context = { awsRequestId: 'bundle-run', getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
handler(JSON.parse(process.argv[2]), context).then(
  (answer) => process.stdout.write('\\n${MARK}' + JSON.stringify({ answer })),
  (err) => { process.stdout.write('\\n${MARK}' + JSON.stringify({ error: { name: err.name, message: err.message } })); process.exitCode = 1; },
);`;

/** `timeoutMs`: the Lambda timeout the context counts down from. */
export function runBundle(file: string, event: unknown, env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<BundleRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['-e', RUNNER, file, JSON.stringify(event ?? {}), String(timeoutMs)], {
      env: { ...process.env, ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const at = out.lastIndexOf(MARK);
      if (at < 0) return reject(new Error(`bundle ${file} printed no result; stderr: ${err.slice(-2000)}`));
      const result = JSON.parse(out.slice(at + MARK.length)) as { answer?: unknown; error?: { name: string; message: string } };
      resolveRun({ ...result, logLines: out.slice(0, at).split('\n').filter(Boolean) });
    });
  });
}

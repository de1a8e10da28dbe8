/**
 * Synthesis only loads prepared releases: it runs no git, no npm and no bundler. Preparing them is
 * `make releases` (scripts/release/prepare.ts), which `make synth` and `make test` run first.
 *
 * The synth entry (environments/main.ts) runs with a PATH that holds only `node` and stand-ins for
 * git, npm, npx, tar, esbuild, tsx and tsc that record any call and fail; in-process, every
 * child_process function is replaced by one that records the call and throws. Needs this checkout's
 * pinned releases prepared (`make releases`) and its function bundles built (`make build`).
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, selectEnvironments } from '../../environments/app';
import { git } from '../../scripts/release/record';

const execFileAsync = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const TSX_CLI = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** Commands a synthesis must not start: source control, package managers, the bundler, compilers. */
const FORBIDDEN = ['git', 'npm', 'npx', 'tar', 'esbuild', 'tsx', 'tsc', 'yarn', 'pnpm'];
/** What a synthesis needs from a checkout (synth-determinism.test.ts copies the same). */
const CHECKOUT_PARTS = ['package.json', 'package-lock.json', 'cdktf.json', 'tsconfig.json', 'releases.json', 'modules', 'functions', 'stacks', 'environments', join('dist', 'functions')];
/** child_process functions that start a process. */
const SPAWNERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let workspace: string;
let bin: string;
let toolLog: string;

async function runWithoutTools(args: string[], cwd: string, outdir: string): Promise<Result> {
  writeFileSync(toolLog, '');
  const env: NodeJS.ProcessEnv = { HOME: workspace, PATH: bin, TOOL_LOG: toolLog, CDKTF_OUTDIR: outdir };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [TSX_CLI, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const toolCalls = () => readFileSync(toolLog, 'utf8').trim();

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'vault-dr-no-tools-'));
  bin = join(workspace, 'bin');
  toolLog = join(workspace, 'tools.log');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const tool of FORBIDDEN) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "$TOOL_LOG"\nexit 127\n`);
    chmodSync(join(bin, tool), 0o755);
  }
});

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('the synth entry, with git, npm and the bundler out of reach', () => {
  it('synthesizes every environment, stage and prod from their prepared releases, starting no tool', async () => {
    const outdir = join(workspace, 'out-all');
    const result = await runWithoutTools(['environments/main.ts', 'all'], REPO_ROOT, outdir);
    if (result.code !== 0) throw new Error(`synth failed (${result.code}); if a release is not prepared, run \`make releases\`:\n${result.stderr}`);
    expect(toolCalls()).toBe('');
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['vault-dr-dev', 'vault-dr-prod', 'vault-dr-stage']);
  }, 120_000);

  it('stops on a checkout whose pinned releases are not prepared, naming make releases, and prepares nothing', async () => {
    const checkout = join(workspace, 'unprepared');
    for (const part of CHECKOUT_PARTS) cpSync(join(REPO_ROOT, part), join(checkout, part), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const result = await runWithoutTools(['environments/main.ts', 'stage'], checkout, join(workspace, 'out-unprepared'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Environment "stage" pins release "\d+\.\d+\.\d+" \(environments\/pins\.json\), commit [0-9a-f]{12}, which is not prepared in \.releases\/ \(it is not prepared yet\)\. Run `make releases` first/);
    expect(toolCalls()).toBe('');
    expect(existsSync(join(checkout, '.releases'))).toBe(false);
  }, 60_000);

  it('would see a tool being started: make releases, which does run git, is caught', async () => {
    const result = await runWithoutTools(['scripts/release/prepare.ts'], REPO_ROOT, join(workspace, 'out-control'));
    expect(result.code).not.toBe(0);
    expect(toolCalls()).toMatch(/^git /m);
  }, 60_000);
});

describe('the app, in this process', () => {
  // The module object itself (an ES import would give this file a copy of its bindings).
  const childProcess = require('node:child_process') as Record<(typeof SPAWNERS)[number], (...args: unknown[]) => unknown>;
  let calls: string[];

  beforeEach(() => {
    calls = [];
    for (const name of SPAWNERS) {
      jest.spyOn(childProcess, name).mockImplementation((command: unknown) => {
        calls.push(`${name} ${String(command)}`);
        throw new Error(`synthesis must not start a process (${name} ${String(command)})`);
      });
    }
  });

  afterEach(() => jest.restoreAllMocks());

  it('builds and synthesizes every environment without starting a process', () => {
    const app = buildApp(selectEnvironments('all'), { outdir: join(workspace, 'in-process') });
    app.synth();
    expect(calls).toEqual([]);
    expect(readdirSync(join(workspace, 'in-process', 'stacks')).sort()).toEqual(['vault-dr-dev', 'vault-dr-prod', 'vault-dr-stage']);
  }, 120_000);

  it('would see a process being started by this repository\'s code', () => {
    expect(() => git(REPO_ROOT, ['--version'])).toThrow('synthesis must not start a process (spawnSync git)');
    expect(calls).toEqual(['spawnSync git']);
  });
});

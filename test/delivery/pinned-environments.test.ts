/**
 * Pinned environments, end to end, in a temporary repository made from this checkout: release 0.1.0,
 * pin stage and prod to it (environments/pins.json), prepare it (`make releases`), change a
 * construct on main, and dev's output changes while stage's and prod's do not; release 0.2.0 and pin
 * prod to it, and prod's output changes. Synthesis stops, naming `make releases`, while a pinned
 * release is not prepared. A stage value that main's props take but its release's do not is refused
 * by the type check. Then: a clone of main without tags synthesizes prod the same, a shallow one and
 * a pin naming no release fail with a message that says what to do.
 *
 * To stay fast, the repository links this checkout's node_modules (the releases link it in turn,
 * their lock files being this one's) and reuses its function bundles for dev.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { TerraformStack } from '../../modules/internal/cdktf';

const execFileAsync = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
/** What a synthesis and a release need from a checkout. */
const SEED = ['package.json', 'package-lock.json', 'tsconfig.json', 'cdktf.json', 'modules', 'stacks', 'functions', 'environments', 'scripts'];
const ENVIRONMENTS = ['dev', 'stage', 'prod'];
/** The construct change made on main after 0.1.0: the weighted records' TTL. */
const CONSTRUCT_FILE = join('modules', 'weighted-vault-endpoint', 'defaults.ts');
const TTL_DEFAULT = /ttlSeconds: (\d+),/;
const CHANGED_TTL = 37;

type Files = Map<string, Buffer>;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let workspace: string;
let repo: string;
let env: NodeJS.ProcessEnv;

async function run(command: string, args: string[], cwd: string): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function ok(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

const git = (cwd: string, ...args: string[]) => ok('git', args, cwd);

/** Every file of each synthesized stack (cdk.tf.json and assets), by stack name. */
function stacksUnder(outdir: string): Record<string, Files> {
  const stacks: Record<string, Files> = {};
  for (const name of readdirSync(join(outdir, 'stacks'))) {
    const root = join(outdir, 'stacks', name);
    const files: Files = new Map();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files.set(relative(root, path), readFileSync(path));
      }
    };
    walk(root);
    stacks[name.replace(/^vault-dr-/, '')] = files;
  }
  return stacks;
}

let synths = 0;

async function synthInto(checkout: string, selection: string): Promise<Record<string, Files>> {
  const outdir = join(workspace, `out-${++synths}`);
  const previous = env.CDKTF_OUTDIR;
  env = { ...env, CDKTF_OUTDIR: outdir };
  try {
    await ok(TSX, ['environments/main.ts', selection], checkout);
  } finally {
    env = { ...env, CDKTF_OUTDIR: previous };
  }
  return stacksUnder(outdir);
}

async function synthFailure(checkout: string, selection: string): Promise<Result> {
  env = { ...env, CDKTF_OUTDIR: join(workspace, `out-${++synths}`) };
  return run(TSX, ['environments/main.ts', selection], checkout);
}

function recordTtls(stack: Files): number[] {
  const doc = JSON.parse(stack.get('cdk.tf.json')!.toString('utf8'));
  // The weighted records of the high-level name (prod's nearest-name latency records have a TTL of their own).
  return Object.values(doc.resource.aws_route53_record as Record<string, { ttl?: number; weighted_routing_policy?: unknown }>)
    .filter((record) => record.weighted_routing_policy !== undefined)
    .map((record) => record.ttl!);
}

function expectSameFiles(actual: Files, expected: Files): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  const differing = [...expected.keys()].filter((file) => !actual.get(file)!.equals(expected.get(file)!));
  expect(differing).toEqual([]);
}

function expectDifferentFiles(actual: Files, expected: Files): void {
  expect(actual.get('cdk.tf.json')!.equals(expected.get('cdk.tf.json')!)).toBe(false);
}

/** A checkout of the repository: its node_modules and dev's function bundles come from this one. */
function prepareCheckout(checkout: string): void {
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  cpSync(join(REPO_ROOT, 'dist', 'functions'), join(checkout, 'dist', 'functions'), { recursive: true });
}

async function pin(environment: string, version: string): Promise<void> {
  await ok(TSX, ['scripts/release/pin.ts', environment, version], repo);
  await git(repo, 'commit', '--quiet', '--allow-empty', '-am', `Pin ${environment} to ${version}`);
}

/** `make releases` in a checkout. */
const prepare = (checkout: string) => ok(TSX, ['scripts/release/prepare.ts'], checkout);

const pins = (checkout: string) => JSON.parse(readFileSync(join(checkout, 'environments', 'pins.json'), 'utf8')) as Record<string, string>;

function setPin(checkout: string, environment: string, version: string): void {
  writeFileSync(join(checkout, 'environments', 'pins.json'), `${JSON.stringify({ ...pins(checkout), [environment]: version }, null, 2)}\n`);
}

/** The type check of `make typecheck`, on the environments and what they import. */
async function typecheckEnvironments(checkout: string): Promise<Result> {
  writeFileSync(join(checkout, 'tsconfig.environments.json'), JSON.stringify({ extends: './tsconfig.json', include: [], files: ['environments/app.ts'] }));
  return run(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.environments.json'], checkout);
}

/** Inserts a line after the first occurrence of `anchor` in a file of the checkout. */
function insertAfter(checkout: string, file: string, anchor: string, line: string): void {
  const path = join(checkout, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(anchor)) throw new Error(`${file} no longer contains ${JSON.stringify(anchor)}: change this test`);
  writeFileSync(path, text.replace(anchor, `${anchor}${line}`));
}

describe('pinned environments', () => {
  const outputs: Record<string, Record<string, Files>> = {};
  const commits: Record<string, string> = {};

  beforeAll(async () => {
    for (const fn of ['dr-token-generator', 'dr-operations', 'dns-switch']) {
      if (!existsSync(join(REPO_ROOT, 'dist', 'functions', fn, 'index.js'))) throw new Error('no function bundles: run `make build` first');
    }
    workspace = mkdtempSync(join(tmpdir(), 'vault-dr-pins-'));
    writeFileSync(join(workspace, 'gitconfig'), '');
    env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: join(workspace, 'gitconfig'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Release Test',
      GIT_AUTHOR_EMAIL: 'release-test@example.invalid',
      GIT_COMMITTER_NAME: 'Release Test',
      GIT_COMMITTER_EMAIL: 'release-test@example.invalid',
    };
    for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'CDKTF_OUTDIR']) delete env[name];

    repo = join(workspace, 'repo');
    for (const part of SEED) cpSync(join(REPO_ROOT, part), join(repo, part), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ ...manifest, version: '0.0.0' }, null, 2)}\n`);
    writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n### Added\n- The constructs.\n');
    writeFileSync(join(repo, 'releases.json'), '{}\n');
    writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist/\ncdktf.out/\n.releases/\ntsconfig.environments.json\n');
    prepareCheckout(repo);
    await git(repo, 'init', '--quiet', '--initial-branch=main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '--quiet', '-m', 'Constructs, stacks, environments');
  }, 60_000);

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('fails make releases and the synthesis of an environment pinned to a version that is not released, naming the pin and the fix', async () => {
    for (const result of [await run(TSX, ['scripts/release/prepare.ts'], repo), await synthFailure(repo, 'stage')]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Environment "stage" pins release "');
      expect(result.stderr).toContain('(environments/pins.json), which is not a release: releases.json records no release yet');
      expect(result.stderr).toContain('make release VERSION=');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);

  it('releases 0.1.0: release commit, record and tag', async () => {
    const out = await ok(TSX, ['scripts/release/release.ts', '0.1.0', '--date', '2026-01-02'], repo);
    expect(out).toContain('Released 0.1.0');
    commits['0.1.0'] = await git(repo, 'rev-parse', 'v0.1.0^{commit}');
    expect(JSON.parse(readFileSync(join(repo, 'releases.json'), 'utf8'))).toEqual({ '0.1.0': commits['0.1.0'] });
    expect(await git(repo, 'log', '-1', '--format=%s', commits['0.1.0'])).toBe('Release 0.1.0');
    expect(await git(repo, 'log', '-1', '--format=%s')).toBe(`Record release 0.1.0 (${commits['0.1.0'].slice(0, 12)})`);
    expect(JSON.parse(await git(repo, 'show', `${commits['0.1.0']}:package.json`)).version).toBe('0.1.0');
    expect(await git(repo, 'show', `${commits['0.1.0']}:CHANGELOG.md`)).toContain('## [Unreleased]\n\n## [0.1.0] - 2026-01-02\n\n### Added\n- The constructs.');
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  }, 60_000);

  it('refuses to release a version that is not newer than the last one', async () => {
    const result = await run(TSX, ['scripts/release/release.ts', '0.0.9'], repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('0.0.9 is not newer than the released 0.1.0');
  }, 30_000);

  it('stops the synthesis of a pinned release that make releases has not prepared, naming it', async () => {
    await pin('stage', '0.1.0');
    await pin('prod', '0.1.0');
    expect(pins(repo)).toEqual({ stage: '0.1.0', prod: '0.1.0' });
    const result = await synthFailure(repo, 'prod');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Environment "prod" pins release "0.1.0" (environments/pins.json), commit ${commits['0.1.0']!.slice(0, 12)}, which is not prepared in .releases/ (it is not prepared yet). Run \`make releases\` first`,
    );
    expect(existsSync(join(repo, '.releases', `0.1.0-${commits['0.1.0']}`))).toBe(false); // nothing was prepared by the synthesis
  }, 60_000);

  it('builds stage and prod from the release make releases prepared, and dev from main', async () => {
    const prepared = await prepare(repo);
    expect(prepared).toContain(`stage  release 0.1.0 (${commits['0.1.0']!.slice(0, 12)}), prepared`);
    expect(prepared).toContain(`prod   release 0.1.0 (${commits['0.1.0']!.slice(0, 12)}), ready`);
    outputs.first = await synthInto(repo, 'all');
    expect(Object.keys(outputs.first).sort()).toEqual([...ENVIRONMENTS].sort());
    const materialized = join(repo, '.releases', `0.1.0-${commits['0.1.0']}`);
    expect(existsSync(join(materialized, 'stacks', 'vault-dr-stack.ts'))).toBe(true);
    expect(existsSync(join(materialized, 'dist', 'functions', 'dr-operations', 'index.js'))).toBe(true);
    expect(existsSync(join(materialized, 'types', 'stacks', 'vault-dr-stack-props.d.ts'))).toBe(true);
    // Same dependencies as the checkout (the release's own version aside): linked, not installed.
    expect(lstatSync(join(materialized, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(repo, '.releases', 'pinned', 'stage.d.ts'), 'utf8')).toContain(`from '../0.1.0-${commits['0.1.0']}/types/stacks/vault-dr-stack-props'`);
    expect(readFileSync(join(repo, '.releases', 'pinned', 'dev.d.ts'), 'utf8')).toContain("from '../../stacks/vault-dr-stack-props'");
    expect(await prepare(repo)).toContain(`stage  release 0.1.0 (${commits['0.1.0']!.slice(0, 12)}), ready`);
  }, 180_000);

  it('type-checks stage against its release\'s props: a value main takes and 0.1.0 does not is refused', async () => {
    // Main grows a prop after 0.1.0; stage, still on 0.1.0, sets it.
    insertAfter(repo, join('stacks', 'vault-dr-stack-props.ts'), 'export interface VaultDrStackProps {\n', '  /** Added on main after 0.1.0. */\n  readonly addedAfterRelease?: string;\n');
    insertAfter(repo, join('environments', 'stage.ts'), "  identifier: 'main',\n", "  addedAfterRelease: 'fits main only',\n");
    const refused = await typecheckEnvironments(repo);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/environments\/stage\.ts\(\d+,\d+\): error TS2353: Object literal may only specify known properties, and 'addedAfterRelease' does not exist in type 'VaultDrStackProps'/);
    expect(refused.stdout.trim().split('\n')).toHaveLength(1);
    // The same value in dev, which tracks main, is taken: the check follows each environment's code.
    await git(repo, 'checkout', '--quiet', '--', join('environments', 'stage.ts'));
    insertAfter(repo, join('environments', 'dev.ts'), "  identifier: 'main',\n", "  addedAfterRelease: 'fits main only',\n");
    const taken = await typecheckEnvironments(repo);
    expect({ code: taken.code, out: taken.stdout }).toEqual({ code: 0, out: '' });
    await git(repo, 'checkout', '--quiet', '--', join('environments', 'dev.ts'), join('stacks', 'vault-dr-stack-props.ts'));
  }, 180_000);

  it('changes dev, and neither stage nor prod, when a construct changes on main', async () => {
    const file = join(repo, CONSTRUCT_FILE);
    const source = readFileSync(file, 'utf8');
    const ttl = Number(TTL_DEFAULT.exec(source)?.[1]);
    if (!Number.isInteger(ttl)) throw new Error(`${CONSTRUCT_FILE} no longer has \`ttlSeconds: <n>,\`: change another construct value in this test`);
    writeFileSync(file, source.replace(TTL_DEFAULT, `ttlSeconds: ${CHANGED_TTL},`));
    await git(repo, 'commit', '--quiet', '-am', 'Longer TTL of the weighted records');

    outputs.changed = await synthInto(repo, 'all');
    expectDifferentFiles(outputs.changed.dev!, outputs.first!.dev!);
    expect(recordTtls(outputs.changed.dev!)).toEqual([CHANGED_TTL, CHANGED_TTL]);
    for (const pinned of ['stage', 'prod']) {
      expectSameFiles(outputs.changed[pinned]!, outputs.first![pinned]!);
      expect(recordTtls(outputs.changed[pinned]!)).toEqual([ttl, ttl]);
    }
  }, 120_000);

  it('changes prod, and not stage, when prod is pinned to a newer release', async () => {
    writeFileSync(join(repo, 'CHANGELOG.md'), readFileSync(join(repo, 'CHANGELOG.md'), 'utf8').replace('## [Unreleased]\n', '## [Unreleased]\n\n### Changed\n- Longer TTL.\n'));
    await git(repo, 'commit', '--quiet', '-am', 'Changelog');
    await ok(TSX, ['scripts/release/release.ts', '0.2.0', '--date', '2026-02-03'], repo);
    commits['0.2.0'] = await git(repo, 'rev-parse', 'v0.2.0^{commit}');
    expect(await git(repo, 'show', `${commits['0.2.0']}:CHANGELOG.md`)).toContain('## [0.2.0] - 2026-02-03\n\n### Changed\n- Longer TTL.\n\n## [0.1.0] - 2026-01-02');
    await pin('prod', '0.2.0');
    expect((await synthFailure(repo, 'prod')).stderr).toContain('Run `make releases` first');
    await prepare(repo);

    outputs.promoted = await synthInto(repo, 'all');
    expectDifferentFiles(outputs.promoted.prod!, outputs.changed!.prod!);
    expect(recordTtls(outputs.promoted.prod!)).toEqual([CHANGED_TTL, CHANGED_TTL]);
    expectSameFiles(outputs.promoted.stage!, outputs.first!.stage!);
    expectSameFiles(outputs.promoted.dev!, outputs.changed!.dev!);
  }, 120_000);

  it('loads a release in the app process on the app\'s own cdktf and constructs (peers: one instance of each)', () => {
    // What jest does with environments/app.ts is what tsx does with it: the output is the same.
    const { buildApp } = require(join(repo, 'environments', 'app.ts')) as typeof import('../../environments/app');
    const outdir = join(workspace, 'in-process');
    const app = buildApp(['dev', 'prod'], { outdir });
    for (const stack of app.node.children) expect(stack).toBeInstanceOf(TerraformStack);
    app.synth();
    expectSameFiles(stacksUnder(outdir).prod!, outputs.promoted!.prod!);
  }, 60_000);

  it('promotes by copying a pin from one environment to another, in the pins file only', async () => {
    await ok(TSX, ['scripts/release/pin.ts', 'stage', '--from', 'prod'], repo);
    expect(pins(repo)).toEqual({ stage: '0.2.0', prod: '0.2.0' });
    expect(await git(repo, 'status', '--porcelain')).toBe('M environments/pins.json');
    await git(repo, 'checkout', '--quiet', '--', 'environments/pins.json');
  }, 30_000);

  it('refuses to pin an environment that tracks main, or to promote from one', async () => {
    const pinDev = await run(TSX, ['scripts/release/pin.ts', 'dev', '0.2.0'], repo);
    expect(pinDev.code).toBe(2);
    expect(pinDev.stderr).toContain('pin: dev is not pinned: it tracks this checkout. To pin it, add it to environments/pins.json');
    const fromDev = await run(TSX, ['scripts/release/pin.ts', 'prod', '--from', 'dev'], repo);
    expect(fromDev.stderr).toContain('pin: dev pins no release (environments/pins.json)');
    const unknown = await run(TSX, ['scripts/release/pin.ts', 'qa', '0.2.0'], repo);
    expect(unknown.stderr).toContain('pin: "qa" is not an environment (dev, stage, prod)');
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  }, 30_000);

  it('synthesizes prod the same from a clone of main without tags', async () => {
    const clone = join(workspace, 'clone');
    await git(workspace, 'clone', '--quiet', '--no-tags', '--single-branch', '--branch', 'main', repo, clone);
    expect(await git(clone, 'tag', '--list')).toBe('');
    prepareCheckout(clone);
    await prepare(clone);
    const cloned = await synthInto(clone, 'prod');
    expectSameFiles(cloned.prod!, outputs.promoted!.prod!);
  }, 120_000);

  it('tells a shallow clone to fetch the history the pin needs', async () => {
    const shallow = join(workspace, 'shallow');
    await git(workspace, 'clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${repo}`, shallow);
    prepareCheckout(shallow);
    const result = await run(TSX, ['scripts/release/prepare.ts'], shallow);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Environment "stage" pins release "0.1.0" (environments/pins.json), recorded in releases.json as commit ${commits['0.1.0']}`);
    expect(result.stderr).toContain('git fetch --unshallow');
    expect((await synthFailure(shallow, 'prod')).stderr).toContain('Run `make releases` first');
  }, 60_000);

  it('fails make releases and the synthesis of a pin that names no release, listing the releases', async () => {
    const refused = await run(TSX, ['scripts/release/pin.ts', 'prod', '9.9.9'], repo);
    expect(refused.stderr).toContain('9.9.9 is not a release (releases.json: 0.1.0, 0.2.0)');
    expect(pins(repo).prod).toBe('0.2.0');
    setPin(repo, 'prod', '9.9.9'); // by hand
    for (const result of [await run(TSX, ['scripts/release/prepare.ts'], repo), await synthFailure(repo, 'prod')]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'Environment "prod" pins release "9.9.9" (environments/pins.json), which is not a release: releases.json records 0.1.0, 0.2.0. Pin a recorded version (make pin ENV=prod VERSION=x.y.z), or release this one first (make release VERSION=9.9.9',
      );
      expect(result.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
    }
  }, 60_000);

  it('fails make releases and the synthesis on a pins file that is not valid, naming the environment and the fix', async () => {
    setPin(repo, 'prod', 'v0.2.0');
    for (const result of [await run(TSX, ['scripts/release/prepare.ts'], repo), await synthFailure(repo, 'prod')]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('environments/pins.json: "prod" must be a version x.y.z (no "v", no pre-release), got "v0.2.0"; fix: make pin ENV=prod VERSION=x.y.z');
    }
    await git(repo, 'checkout', '--quiet', '--', 'environments/pins.json');
  }, 60_000);

  it('rejects, in make releases, a tag that disagrees with the record', async () => {
    await git(repo, 'tag', '-f', '-a', 'v0.2.0', commits['0.1.0']!, '-m', 'moved');
    const result = await run(TSX, ['scripts/release/prepare.ts'], repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`tag v0.2.0 points at ${commits['0.1.0']}, but releases.json records ${commits['0.2.0']}`);
    await git(repo, 'tag', '-f', '-a', 'v0.2.0', commits['0.2.0']!, '-m', 'Release 0.2.0');
    await prepare(repo);
  }, 60_000);
});

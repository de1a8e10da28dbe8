/**
 * Prepares a pinned release for synthesis and type checking, once per commit, into
 * .releases/<version>-<commit>/ (the layout is environments/releases/prepared.ts's):
 *   1. `git archive <commit>` extracted there (no tags, no worktree, nothing in this checkout touched);
 *   2. node_modules: a link to this checkout's when the release's package-lock.json installs what
 *      this checkout's does (its own version aside), else `npm ci` there, with cdktf and constructs
 *      linked back to this checkout's (they are peer dependencies: one App holds every stack, so
 *      there is one instance of each);
 *   3. its own function bundles, built with its own bundler (`npm run build:functions`);
 *   4. declarations of its stacks/ and modules/, emitted with its own tsc into types/;
 *   5. the marker, last.
 * Every release provides stacks/vault-dr-stack.ts (VaultDrStack), stacks/vault-dr-stack-props.ts
 * (VaultDrStackProps) and the build:functions script; nothing else of its tree is used, so releases
 * cut before environments/pins.json existed (0.2.1: pins in environments/<env>.ts) load the same.
 * The folder appears by an atomic rename once complete, so concurrent preparations are safe.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  dependencyFingerprint,
  FUNCTION_BUNDLES_DIR,
  LAYOUT,
  MARKER_FILE,
  pinDescription,
  RELEASES_DIR,
  ReleasePinError,
  resolvePin,
  STACK_MODULE,
  STACK_PROPS_MODULE,
  TYPES_DIR,
  unpreparedReason,
  type ReleaseMarker,
  type ResolvedPin,
} from '../../environments/releases/prepared';
import { RECORD_FILE } from '../../environments/releases/record';
import { releaseCommitProblem } from './record';

/** The packages an App shares with every construct in it: never two copies. */
const PEERS = ['cdktf', 'constructs'];
/** The compiler settings that emit the release's declarations (its own tsconfig.json otherwise). */
const TYPES_TSCONFIG = 'tsconfig.release-types.json';

function run(command: string, args: string[], cwd: string, what: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`.trim());
}

function installedVersion(nodeModules: string, name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(nodeModules, name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function linkDependencies(repoRoot: string, tree: string, pin: ResolvedPin): ReleaseMarker['dependencies'] {
  const ours = join(repoRoot, 'node_modules');
  if (dependencyFingerprint(join(tree, 'package-lock.json')) === dependencyFingerprint(join(repoRoot, 'package-lock.json'))) {
    symlinkSync(relative(tree, ours), join(tree, 'node_modules'), 'dir');
    return 'linked';
  }
  run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], tree, `npm ci for release ${pin.version}`);
  const theirs = join(tree, 'node_modules');
  for (const peer of PEERS) {
    const [want, have] = [installedVersion(theirs, peer), installedVersion(ours, peer)];
    if (want !== have) {
      throw new ReleasePinError(
        `${pinDescription(pin.environment, pin.version)}, which is built on ${peer} ${want}, but this checkout has ${peer} ${have}. ` +
          `An app holds one ${peer}: pin a release built on ${peer} ${have}, or move main to ${peer} ${want} first.`,
      );
    }
    rmSync(join(theirs, peer), { recursive: true, force: true });
    symlinkSync(relative(theirs, join(ours, peer)), join(theirs, peer), 'dir');
  }
  return 'installed';
}

/** Declarations of the release's stack and everything it imports, with the release's own compiler. */
function emitDeclarations(tree: string, pin: ResolvedPin): void {
  for (const module of [STACK_MODULE, STACK_PROPS_MODULE]) {
    if (!existsSync(join(tree, `${module}.ts`))) {
      throw new ReleasePinError(`${pinDescription(pin.environment, pin.version)}, whose tree has no ${module}.ts: every release provides VaultDrStack and VaultDrStackProps there.`);
    }
  }
  const config = {
    extends: './tsconfig.json',
    compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: '.', outDir: TYPES_DIR, sourceMap: false },
    include: [],
    files: [`${STACK_MODULE}.ts`],
  };
  writeFileSync(join(tree, TYPES_TSCONFIG), `${JSON.stringify(config, null, 2)}\n`);
  run(process.execPath, [join(tree, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', TYPES_TSCONFIG], tree, `emitting the declarations of release ${pin.version}`);
  for (const module of [STACK_MODULE, STACK_PROPS_MODULE]) {
    if (!existsSync(join(tree, TYPES_DIR, `${module}.d.ts`))) throw new Error(`tsc emitted no ${TYPES_DIR}/${module}.d.ts for release ${pin.version}`);
  }
}

function materialize(repoRoot: string, pin: ResolvedPin): void {
  const parent = join(repoRoot, RELEASES_DIR);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.tmp-${pin.version}-`));
  try {
    chmodSync(staging, 0o755);
    const archive = join(staging, '.tree.tar');
    run('git', ['archive', '--format=tar', '-o', archive, pin.commit], repoRoot, `git archive ${pin.commit}`);
    run('tar', ['-xf', archive, '-C', staging], repoRoot, `extracting release ${pin.version}`);
    rmSync(archive);
    const dependencies = linkDependencies(repoRoot, staging, pin);
    run('npm', ['run', '--silent', 'build:functions'], staging, `building the function bundles of release ${pin.version}`);
    if (!existsSync(join(staging, FUNCTION_BUNDLES_DIR))) throw new Error(`npm run build:functions of release ${pin.version} wrote no ${FUNCTION_BUNDLES_DIR}/`);
    emitDeclarations(staging, pin);
    const marker: ReleaseMarker = { layout: LAYOUT, version: pin.version, commit: pin.commit, dependencies };
    writeFileSync(join(staging, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    if (existsSync(pin.root)) {
      // Another process prepared the same commit meanwhile: theirs is as good as ours (and may be
      // in use). Otherwise it is a stale one (older layout, or node_modules no longer this
      // checkout's): replace it.
      if (unpreparedReason(repoRoot, pin.root, pin.commit) === undefined) {
        rmSync(staging, { recursive: true, force: true });
        return;
      }
      rmSync(pin.root, { recursive: true, force: true });
    }
    try {
      renameSync(staging, pin.root);
    } catch (error) {
      if (unpreparedReason(repoRoot, pin.root, pin.commit) !== undefined) throw error;
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

export interface PreparedRelease extends ResolvedPin {
  /** False when an earlier `make releases` had prepared it already. */
  readonly preparedNow: boolean;
}

/**
 * The release an environment pins, prepared if it is not yet. Checks, with git, that the record
 * agrees with main's history and tags before anything is extracted.
 */
export function prepareRelease(repoRoot: string, environment: string, version: string): PreparedRelease {
  const pin = resolvePin(repoRoot, environment, version);
  const where = `${pinDescription(environment, version)}, recorded in ${RECORD_FILE} as commit ${pin.commit}`;
  const problem = releaseCommitProblem(repoRoot, version, pin.commit);
  if (problem !== undefined) throw new ReleasePinError(`${where}, but ${problem}`);
  if (unpreparedReason(repoRoot, pin.root, pin.commit) === undefined) return { ...pin, preparedNow: false };
  try {
    materialize(repoRoot, pin);
  } catch (error) {
    if (error instanceof ReleasePinError) throw error;
    throw new ReleasePinError(`${where}, which could not be prepared in ${RELEASES_DIR}/: ${(error as Error).message}`, { cause: error });
  }
  return { ...pin, preparedNow: true };
}

/**
 * The code of a pinned environment: the constructs (modules/), the stack composition (stacks/) and
 * the function bundles of a released commit, whatever this checkout holds now, the way a Terraform
 * module source pins `?ref=v1.0.3`. The environment's values stay in this checkout.
 *
 * A release is materialized once per commit into .releases/<version>-<commit>/:
 *   1. `git archive <commit>` extracted there (no tags, no worktree, nothing in this checkout touched);
 *   2. node_modules: a link to this checkout's when the release's package-lock.json installs what
 *      this checkout's does (its own version aside), else `npm ci` there, with cdktf and constructs linked back to this checkout's
 *      (they are peer dependencies: one App holds every stack, so there is one instance of each);
 *   3. its own function bundles, built with its own bundler (`npm run build:functions`).
 * The folder appears by an atomic rename once complete, so concurrent syntheses are safe and a
 * second synthesis only loads it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isVersion, readRecord, RECORD_FILE, ReleaseRecordError, releaseCommitProblem, versionsOf } from './record';

export const RELEASES_DIR = '.releases';
const MARKER = '.release.json';
/** The packages an App shares with every construct in it: never two copies. */
const PEERS = ['cdktf', 'constructs'];

/** A pin that cannot be used; the message names the environment, the pin and the fix. */
export class ReleasePinError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReleasePinError';
  }
}

export interface ReleasePin {
  /** Environment name, for messages. */
  readonly environment: string;
  /** The pinned version (x.y.z). */
  readonly version: string;
  /** Where the pin is written, for messages (e.g. environments/prod.ts). */
  readonly pinFile: string;
}

export interface ReleasedCode {
  readonly version: string;
  readonly commit: string;
  /** The release's tree: modules/, stacks/, functions/, dist/functions/, package.json. */
  readonly root: string;
}

interface Marker {
  readonly version: string;
  readonly commit: string;
  /** 'linked': node_modules is this checkout's; 'installed': its own (npm ci). */
  readonly dependencies: 'linked' | 'installed';
}

/**
 * What a package-lock.json installs: the file without the package's own version, which every
 * release changes (`npm version`) though it installs nothing. Equal fingerprints, same node_modules.
 */
export function dependencyFingerprint(lockFile: string): string {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { version?: string; packages?: Record<string, { version?: string }> };
  delete lock.version;
  if (lock.packages?.[''] !== undefined) delete lock.packages[''].version;
  return createHash('sha256').update(JSON.stringify(lock)).digest('hex');
}

function sameDependencies(treeA: string, treeB: string): boolean {
  return dependencyFingerprint(join(treeA, 'package-lock.json')) === dependencyFingerprint(join(treeB, 'package-lock.json'));
}

function readMarker(dir: string): Marker | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/** A materialized release still usable by this checkout. */
function isUsable(repoRoot: string, dir: string, commit: string): boolean {
  const marker = readMarker(dir);
  if (marker === undefined || marker.commit !== commit) return false;
  // A linked release runs on this checkout's node_modules: only while both lock files agree.
  if (marker.dependencies === 'linked') return sameDependencies(dir, repoRoot);
  return true;
}

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

function linkDependencies(repoRoot: string, tree: string, pin: ReleasePin): Marker['dependencies'] {
  const ours = join(repoRoot, 'node_modules');
  if (sameDependencies(tree, repoRoot)) {
    symlinkSync(relative(tree, ours), join(tree, 'node_modules'), 'dir');
    return 'linked';
  }
  run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], tree, `npm ci for release ${pin.version}`);
  const theirs = join(tree, 'node_modules');
  for (const peer of PEERS) {
    const [want, have] = [installedVersion(theirs, peer), installedVersion(ours, peer)];
    if (want !== have) {
      throw new ReleasePinError(
        `Environment "${pin.environment}" pins release ${pin.version} (${pin.pinFile}), which is built on ${peer} ${want}, but this checkout has ${peer} ${have}. ` +
          `An app holds one ${peer}: pin a release built on ${peer} ${have}, or move main to ${peer} ${want} first.`,
      );
    }
    rmSync(join(theirs, peer), { recursive: true, force: true });
    symlinkSync(relative(theirs, join(ours, peer)), join(theirs, peer), 'dir');
  }
  return 'installed';
}

function materialize(repoRoot: string, pin: ReleasePin, commit: string, dir: string): void {
  const parent = join(repoRoot, RELEASES_DIR);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.tmp-${pin.version}-`));
  try {
    chmodSync(staging, 0o755);
    const archive = join(staging, '.tree.tar');
    run('git', ['archive', '--format=tar', '-o', archive, commit], repoRoot, `git archive ${commit}`);
    run('tar', ['-xf', archive, '-C', staging], repoRoot, `extracting release ${pin.version}`);
    rmSync(archive);
    const dependencies = linkDependencies(repoRoot, staging, pin);
    run('npm', ['run', '--silent', 'build:functions'], staging, `building the function bundles of release ${pin.version}`);
    const marker: Marker = { version: pin.version, commit, dependencies };
    writeFileSync(join(staging, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    if (existsSync(dir)) {
      // Another process materialized the same commit meanwhile: theirs is as good as ours (and may
      // be in use). Otherwise it is a stale one (node_modules no longer this checkout's): replace it.
      if (isUsable(repoRoot, dir, commit)) {
        rmSync(staging, { recursive: true, force: true });
        return;
      }
      rmSync(dir, { recursive: true, force: true });
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!isUsable(repoRoot, dir, commit)) throw error;
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** The released code an environment's pin names, materialized if it is not yet. */
export function resolvePinnedCode(repoRoot: string, pin: ReleasePin): ReleasedCode {
  const where = `Environment "${pin.environment}" pins release ${JSON.stringify(pin.version)} (${pin.pinFile})`;
  if (!isVersion(pin.version)) {
    throw new ReleasePinError(`${where}, which is not a version: pin a released version x.y.z from ${RECORD_FILE}.`);
  }
  let record;
  try {
    record = readRecord(repoRoot);
  } catch (error) {
    if (error instanceof ReleaseRecordError) throw new ReleasePinError(`${where}, but the release record is unusable: ${error.message}`);
    throw error;
  }
  const commit = record[pin.version];
  if (commit === undefined) {
    const released = versionsOf(record);
    throw new ReleasePinError(
      `${where}, which is not a release: ${RECORD_FILE} records ${released.length > 0 ? released.join(', ') : 'no release yet'}. ` +
        `Pin a recorded version, or release this one first (make release VERSION=${pin.version}, see README "Release flow").`,
    );
  }
  const dir = join(repoRoot, RELEASES_DIR, `${pin.version}-${commit}`);
  if (!isUsable(repoRoot, dir, commit)) {
    const problem = releaseCommitProblem(repoRoot, pin.version, commit);
    if (problem !== undefined) throw new ReleasePinError(`${where}, recorded in ${RECORD_FILE} as commit ${commit}, but ${problem}`);
    try {
      materialize(repoRoot, pin, commit, dir);
    } catch (error) {
      if (error instanceof ReleasePinError) throw error;
      throw new ReleasePinError(`${where}, recorded in ${RECORD_FILE} as commit ${commit}, which could not be prepared in ${RELEASES_DIR}/: ${(error as Error).message}`, { cause: error });
    }
  }
  return { version: pin.version, commit, root: dir };
}

/**
 * Loads a module of the released tree (e.g. 'stacks/vault-dr-stack') with the loader running this
 * process (tsx for `npm run synth`, swc under jest), as the release's own synthesis would.
 */
export function requireReleased(code: ReleasedCode, modulePath: string): Record<string, unknown> {
  return require(join(code.root, modulePath)) as Record<string, unknown>;
}

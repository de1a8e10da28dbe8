/**
 * A prepared release: the code of a released commit, ready for a synthesis to load, the way a
 * Terraform module source pins `?ref=v1.0.3`. `make releases` (scripts/release/prepare.ts) prepares
 * each release environments/pins.json names, once per commit, into .releases/<version>-<commit>/:
 *   - the release commit's tree (`git archive`): modules/, stacks/, functions/, package.json ...;
 *   - node_modules: this checkout's (a link) when the release's lock file installs the same
 *     packages, else its own, with cdktf and constructs linked back to this checkout's;
 *   - dist/functions/: its function bundles, built with its own bundler;
 *   - types/: declarations emitted from its stacks/ and modules/ with its own tsc, against which
 *     `make typecheck` checks a pinned environment's values (.releases/pinned/<environment>.d.ts);
 *   - .release.json: the marker, written last.
 * This module only reads that layout: synthesis runs no git, no npm and no bundler. A release that
 * is not prepared stops the synthesis with the command to run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PINS_FILE } from './pins';
import { isVersion, readRecord, RECORD_FILE, ReleaseRecordError, versionsOf } from './record';

export const RELEASES_DIR = '.releases';
export const MARKER_FILE = '.release.json';
/** Declarations of the release's stacks/ and modules/, under the release's folder. */
export const TYPES_DIR = 'types';
/**
 * .releases/pinned/<environment>.d.ts: the VaultDrStackProps and VaultDrStack of the code an
 * environment is built from (its pinned release's declarations, or this checkout's sources).
 */
export const TYPE_BRIDGES_DIR = join(RELEASES_DIR, 'pinned');
/** What a prepared release holds (see above); a folder of an older layout is prepared again. */
export const LAYOUT = 2;
/** What every release provides, whatever else its tree holds (releases cut before pins.json too). */
export const STACK_MODULE = join('stacks', 'vault-dr-stack');
export const STACK_PROPS_MODULE = join('stacks', 'vault-dr-stack-props');
export const FUNCTION_BUNDLES_DIR = join('dist', 'functions');

export interface ReleaseMarker {
  readonly layout: number;
  readonly version: string;
  readonly commit: string;
  /** 'linked': node_modules is this checkout's; 'installed': its own (npm ci). */
  readonly dependencies: 'linked' | 'installed';
}

/** A pin that cannot be used; the message names the environment, the pin and the fix. */
export class ReleasePinError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReleasePinError';
  }
}

/** A pin resolved through the release record. */
export interface ResolvedPin {
  readonly environment: string;
  readonly version: string;
  readonly commit: string;
  /** .releases/<version>-<commit> of the checkout. */
  readonly root: string;
}

export function pinDescription(environment: string, version: string): string {
  return `Environment "${environment}" pins release ${JSON.stringify(version)} (${PINS_FILE})`;
}

/** The commit and folder of an environment's pin, from releases.json (no git). */
export function resolvePin(repoRoot: string, environment: string, version: string): ResolvedPin {
  const where = pinDescription(environment, version);
  if (!isVersion(version)) throw new ReleasePinError(`${where}, which is not a version: pin a released version x.y.z from ${RECORD_FILE} (make pin ENV=${environment} VERSION=x.y.z).`);
  let record;
  try {
    record = readRecord(repoRoot);
  } catch (error) {
    if (error instanceof ReleaseRecordError) throw new ReleasePinError(`${where}, but the release record is unusable: ${error.message}`);
    throw error;
  }
  const commit = record[version];
  if (commit === undefined) {
    const released = versionsOf(record);
    throw new ReleasePinError(
      `${where}, which is not a release: ${RECORD_FILE} records ${released.length > 0 ? released.join(', ') : 'no release yet'}. ` +
        `Pin a recorded version (make pin ENV=${environment} VERSION=x.y.z), or release this one first (make release VERSION=${version}, see README "Release flow").`,
    );
  }
  return { environment, version, commit, root: join(repoRoot, RELEASES_DIR, `${version}-${commit}`) };
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

export function readMarker(dir: string): ReleaseMarker | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8')) as ReleaseMarker;
  } catch {
    return undefined;
  }
}

/**
 * Why a release folder cannot be used by this checkout, or undefined when it is prepared: its
 * marker names the commit in this layout, and a release linked to this checkout's node_modules is
 * usable only while both lock files install the same packages.
 */
export function unpreparedReason(repoRoot: string, dir: string, commit: string): string | undefined {
  const marker = readMarker(dir);
  if (marker === undefined) return existsSync(dir) ? 'its preparation did not finish' : 'it is not prepared yet';
  if (marker.commit !== commit) return `its folder holds commit ${marker.commit}`;
  if (marker.layout !== LAYOUT) return 'it was prepared by an older version of the release tooling';
  if (marker.dependencies === 'linked' && dependencyFingerprint(join(dir, 'package-lock.json')) !== dependencyFingerprint(join(repoRoot, 'package-lock.json'))) {
    return "it runs on this checkout's node_modules, and package-lock.json changed since";
  }
  return undefined;
}

/** The prepared release an environment pins; stops, naming `make releases`, when it is not ready. */
export function preparedRelease(repoRoot: string, environment: string, version: string): ResolvedPin {
  const pin = resolvePin(repoRoot, environment, version);
  const reason = unpreparedReason(repoRoot, pin.root, pin.commit);
  if (reason !== undefined) {
    throw new ReleasePinError(
      `${pinDescription(environment, version)}, commit ${pin.commit.slice(0, 12)}, which is not prepared in ${RELEASES_DIR}/ (${reason}). ` +
        'Run `make releases` first: it prepares every pinned release (synthesis only loads prepared releases; it runs no git, npm or bundler).',
    );
  }
  return pin;
}

/**
 * Loads a module of a prepared release (e.g. stacks/vault-dr-stack) with the loader running this
 * process (tsx for `npm run synth`, swc under jest), as the release's own synthesis would.
 */
export function requireFromRelease(release: ResolvedPin, modulePath: string): Record<string, unknown> {
  return require(join(release.root, modulePath)) as Record<string, unknown>;
}

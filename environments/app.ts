import { join } from 'node:path';
import { App } from '../modules/internal/cdktf';
import { ReleasePinError, requireReleased, resolvePinnedCode, type ReleasedCode } from '../scripts/release/pinned-code';
import { VaultDrStack } from '../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../stacks/vault-dr-stack-props';
import { dev } from './dev';
import { pinnedRelease as prodRelease, prod } from './prod';
import { pinnedRelease as stageRelease, stage } from './stage';

/** Every environment, by the name used on the command line (`npm run synth -- <name>`). */
export const ENVIRONMENTS: Readonly<Record<string, VaultDrStackProps>> = { dev, stage, prod };

/**
 * The released version (releases.json) whose constructs, stack composition and function bundles an
 * environment is built from, like a Terraform module source pinned with `?ref=`; an environment
 * without a pin is built from this checkout (dev tracks main). Its values stay in this checkout.
 * README "Release flow" tells how to release and promote.
 */
export const RELEASE_PINS: Readonly<Record<string, string | undefined>> = { dev: undefined, stage: stageRelease, prod: prodRelease };

const REPO_ROOT = join(__dirname, '..');

/** Where an environment's code comes from: this checkout, or its pinned release's tree. */
export function codeOf(name: string): { readonly root: string; readonly release?: ReleasedCode } {
  const version = RELEASE_PINS[name];
  if (version === undefined) return { root: REPO_ROOT };
  const release = resolvePinnedCode(REPO_ROOT, { environment: name, version, pinFile: `environments/${name}.ts` });
  return { root: release.root, release };
}

/** The stack class an environment is built with: this checkout's, or its pinned release's. */
export function stackClassOf(name: string): typeof VaultDrStack {
  const { release } = codeOf(name);
  if (release === undefined) return VaultDrStack;
  const released = requireReleased(release, join('stacks', 'vault-dr-stack')).VaultDrStack;
  if (typeof released !== 'function') throw new Error(`release ${release.version} has no VaultDrStack in stacks/vault-dr-stack.ts`);
  return released as typeof VaultDrStack;
}

/** Selects every environment. */
export const ALL = 'all';

export class UnknownEnvironmentError extends Error {
  constructor(name: string) {
    super(`Unknown environment "${name}". Valid names: ${Object.keys(ENVIRONMENTS).join(', ')}, or "${ALL}" (the default) for every one.`);
    this.name = 'UnknownEnvironmentError';
  }
}

/** The environment names a command-line selection means; no selection means all of them. */
export function selectEnvironments(selection: string | undefined): string[] {
  if (selection === undefined || selection === '' || selection === ALL) return Object.keys(ENVIRONMENTS);
  if (!Object.prototype.hasOwnProperty.call(ENVIRONMENTS, selection)) throw new UnknownEnvironmentError(selection);
  return [selection];
}

export interface BuildAppOptions {
  /**
   * Output folder.
   * @default - CDKTF_OUTDIR (set by the cdktf CLI), else cdktf.out
   */
  readonly outdir?: string;
}

/** An app with one VaultDrStack per selected environment. */
export function buildApp(environmentNames: string[], options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  for (const name of environmentNames) {
    const environment = ENVIRONMENTS[name];
    if (environment === undefined) throw new UnknownEnvironmentError(name);
    const Stack = stackClassOf(name);
    try {
      new Stack(app, environment);
    } catch (error) {
      const version = RELEASE_PINS[name];
      if (version === undefined || error instanceof ReleasePinError) throw error;
      throw new ReleasePinError(
        `Environment "${name}" is built from release ${version} (environments/${name}.ts), whose stack refused its values: ${(error as Error).message}\n` +
          `The values in environments/${name}.ts must fit release ${version}'s VaultDrStackProps: change them with the pin, or pin a release that takes them (README "Release flow").`,
        { cause: error },
      );
    }
  }
  return app;
}

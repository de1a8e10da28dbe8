import type * as DevCode from '../.releases/pinned/dev';
import type * as ProdCode from '../.releases/pinned/prod';
import type * as StageCode from '../.releases/pinned/stage';
import { join } from 'node:path';
import { App, TerraformStack } from '../modules/internal/cdktf';
import { VaultDrStack } from '../stacks/vault-dr-stack';
import { dev } from './dev';
import { ENVIRONMENT_NAMES, isEnvironmentName, type EnvironmentName } from './names';
import { prod } from './prod';
import { readPins, type ReleasePins } from './releases/pins';
import { preparedRelease, ReleasePinError, requireFromRelease, STACK_MODULE } from './releases/prepared';
import { stage } from './stage';

/**
 * Each environment's values. Each values file types them with the props of the code the
 * environment is built from: dev with this checkout's, stage and prod with their pinned release's
 * (.releases/pinned/<environment>.d.ts, written by `make releases`), so `make typecheck` refuses a
 * value the release that builds the environment does not take.
 */
const VALUES = { dev, stage, prod } satisfies Record<EnvironmentName, object>;

export type EnvironmentValues = (typeof VALUES)[EnvironmentName];

/** Every environment, by the name used on the command line (`npm run synth -- <name>`). */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentValues>> = VALUES;

const REPO_ROOT = join(__dirname, '..');

/**
 * The VaultDrStack of the code an environment is built from: this checkout's, or, for an
 * environment environments/pins.json pins, its prepared release's (README "Release flow"). Loading
 * runs no git, npm or bundler; a release `make releases` has not prepared stops here, naming it.
 *
 * `Declared` is that code's own declaration of the class (.releases/pinned/<name>.d.ts, which
 * `make releases` writes from the same pins): the loaded class is the one it describes, so the
 * compiler checks the environment's values against the constructor that receives them.
 */
function stackClassOf<Declared>(name: EnvironmentName, pins: ReleasePins): Declared {
  const version = pins[name];
  if (version === undefined) return VaultDrStack as unknown as Declared;
  const release = preparedRelease(REPO_ROOT, name, version);
  const released: unknown = requireFromRelease(release, STACK_MODULE).VaultDrStack;
  if (typeof released !== 'function') {
    throw new ReleasePinError(`Release ${version} (environment "${name}") has no VaultDrStack class in ${STACK_MODULE}.ts: every release must export it.`);
  }
  return released as Declared;
}

/** Builds each environment's stack with the stack class of its code and its own values. */
const BUILDERS: { readonly [N in EnvironmentName]: (app: App, pins: ReleasePins) => TerraformStack } = {
  dev: (app, pins) => new (stackClassOf<typeof DevCode.VaultDrStack>('dev', pins))(app, dev),
  stage: (app, pins) => new (stackClassOf<typeof StageCode.VaultDrStack>('stage', pins))(app, stage),
  prod: (app, pins) => new (stackClassOf<typeof ProdCode.VaultDrStack>('prod', pins))(app, prod),
};

/** Selects every environment. */
export const ALL = 'all';

export class UnknownEnvironmentError extends Error {
  constructor(name: string) {
    super(`Unknown environment "${name}". Valid names: ${ENVIRONMENT_NAMES.join(', ')}, or "${ALL}" (the default) for every one.`);
    this.name = 'UnknownEnvironmentError';
  }
}

/** The environment names a command-line selection means; no selection means all of them. */
export function selectEnvironments(selection: string | undefined): EnvironmentName[] {
  if (selection === undefined || selection === '' || selection === ALL) return [...ENVIRONMENT_NAMES];
  if (!isEnvironmentName(selection)) throw new UnknownEnvironmentError(selection);
  return [selection];
}

export interface BuildAppOptions {
  /**
   * Output folder.
   * @default - CDKTF_OUTDIR (set by the cdktf CLI), else cdktf.out
   */
  readonly outdir?: string;
}

/**
 * An app with one VaultDrStack per selected environment. Reads environments/pins.json (a bad pin
 * fails with `PinFileError`, naming the environment and the fix).
 */
export function buildApp(environmentNames: readonly string[], options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  const pins = readPins(REPO_ROOT);
  for (const name of environmentNames) {
    if (!isEnvironmentName(name)) throw new UnknownEnvironmentError(name);
    const version = pins[name];
    try {
      BUILDERS[name](app, pins);
    } catch (error) {
      if (version === undefined || error instanceof ReleasePinError) throw error;
      throw new ReleasePinError(
        `Environment "${name}" is built from release ${version} (environments/pins.json), whose stack refused its values: ${(error as Error).message}\n` +
          `The values in environments/${name}.ts must fit release ${version}'s VaultDrStackProps (make typecheck checks them): change them with the pin, or pin a release that takes them (README "Release flow").`,
        { cause: error },
      );
    }
  }
  return app;
}

import { App } from '../modules/internal/cdktf';
import { VaultDrStack } from '../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../stacks/vault-dr-stack-props';
import { dev } from './dev';
import { prod } from './prod';
import { stage } from './stage';

/** Every environment, by the name used on the command line (`npm run synth -- <name>`). */
export const ENVIRONMENTS: Readonly<Record<string, VaultDrStackProps>> = { dev, stage, prod };

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
    new VaultDrStack(app, environment);
  }
  return app;
}

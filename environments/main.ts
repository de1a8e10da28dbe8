/**
 * Entry point of `cdktf synth` (cdktf.json) and `npm run synth -- <dev|stage|prod|all>`:
 * synthesizes the named environment, or every one when none is named.
 */
import { ReleasePinError } from '../scripts/release/pinned-code';
import { buildApp, selectEnvironments, UnknownEnvironmentError } from './app';

function main(argv: string[]): number {
  if (argv.length > 1) {
    console.error(`Expected at most one environment name, got: ${argv.join(' ')}`);
    return 2;
  }
  let names: string[];
  try {
    names = selectEnvironments(argv[0]);
  } catch (error) {
    if (error instanceof UnknownEnvironmentError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  try {
    buildApp(names).synth();
  } catch (error) {
    // A pin naming no release, or a release this clone cannot read: say which and how to fix it.
    if (error instanceof ReleasePinError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));

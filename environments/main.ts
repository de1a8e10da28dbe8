/**
 * Entry point of `cdktf synth` (cdktf.json) and `npm run synth -- <dev|stage|prod|all>`:
 * synthesizes the named environment, or every one when none is named. Pinned environments load
 * their release as `make releases` prepared it; synthesis itself runs no git, npm or bundler.
 */
import { buildApp, selectEnvironments, UnknownEnvironmentError } from './app';
import { PinFileError } from './releases/pins';
import { ReleasePinError } from './releases/prepared';

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
    // A bad pin, a pin naming no release, or a release not prepared: say which and how to fix it.
    if (error instanceof ReleasePinError || error instanceof PinFileError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));

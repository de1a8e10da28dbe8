/**
 * `make releases`: prepares the release each environment of environments/pins.json pins
 * (.releases/<version>-<commit>, once per commit) and writes the type bridges
 * (.releases/pinned/<environment>.d.ts), so that synthesis only loads releases and `make
 * typecheck` checks each environment's values against the props of the code that builds it.
 * `make synth` and `make test` run it first. Fails, with the pin's message, on a bad pins file, a
 * pin that names no release, or a release this clone cannot read.
 */
import { join } from 'node:path';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../environments/names';
import { PinFileError, readPins } from '../../environments/releases/pins';
import { ReleasePinError, type ResolvedPin } from '../../environments/releases/prepared';
import { prepareRelease } from './materialize';
import { writeTypeBridges } from './type-bridges';

function main(): number {
  const root = join(__dirname, '..', '..');
  try {
    const pins = readPins(root);
    const releases = new Map<EnvironmentName, ResolvedPin>();
    for (const environment of ENVIRONMENT_NAMES) {
      const version = pins[environment];
      if (version === undefined) {
        console.log(`${environment.padEnd(6)} tracks this checkout`);
        continue;
      }
      const release = prepareRelease(root, environment, version);
      releases.set(environment, release);
      console.log(`${environment.padEnd(6)} release ${version} (${release.commit.slice(0, 12)}), ${release.preparedNow ? 'prepared' : 'ready'}: ${release.root}`);
    }
    for (const file of writeTypeBridges(root, pins, releases)) console.log(`wrote ${file}`);
  } catch (error) {
    if (!(error instanceof ReleasePinError || error instanceof PinFileError)) throw error;
    console.error(error.message);
    return 2;
  }
  return 0;
}

process.exitCode = main();

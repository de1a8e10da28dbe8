/**
 * Materializes the release every pinned environment names (.releases/<version>-<commit>), so that
 * tests and syntheses find them ready: `make releases`. Fails, with the pin's message, on a pin that
 * names no release or a release this clone cannot read.
 */
import { codeOf, RELEASE_PINS } from '../../environments/app';
import { ReleasePinError } from './pinned-code';

function main(): number {
  for (const [environment, version] of Object.entries(RELEASE_PINS)) {
    if (version === undefined) {
      console.log(`${environment.padEnd(6)} tracks this checkout`);
      continue;
    }
    try {
      const { release } = codeOf(environment);
      console.log(`${environment.padEnd(6)} release ${version} (${release!.commit.slice(0, 12)}): ${release!.root}`);
    } catch (error) {
      if (!(error instanceof ReleasePinError)) throw error;
      console.error(error.message);
      return 2;
    }
  }
  return 0;
}

process.exitCode = main();

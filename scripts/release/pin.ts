/**
 * Sets the release an environment is built from, in environments/pins.json:
 *
 *   make pin ENV=stage VERSION=x.y.z      (npx tsx scripts/release/pin.ts stage x.y.z)
 *   make promote                          (prod takes stage's pin: npx tsx scripts/release/pin.ts prod --from stage)
 *
 * The version must be in releases.json. The change goes through a pull request like any other: the
 * pipeline prepares the release (`make releases`), type-checks the environment's values against
 * it, plans it, and the merge applies it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES, isEnvironmentName } from '../../environments/names';
import { formatPins, PinFileError, PINS_FILE, readPins } from '../../environments/releases/pins';
import { readRecord, RECORD_FILE, versionsOf } from '../../environments/releases/record';

class PinError extends Error {}

const USAGE = 'usage: make pin ENV=<stage|prod> VERSION=x.y.z, or make promote';

function environmentArgument(name: string | undefined): string {
  if (name === undefined || name === '') throw new PinError(USAGE);
  if (!isEnvironmentName(name)) throw new PinError(`"${name}" is not an environment (${ENVIRONMENT_NAMES.join(', ')})`);
  return name;
}

function main(argv: string[]): void {
  const root = join(__dirname, '..', '..');
  const [target, second, third] = argv;
  const environment = environmentArgument(target);
  if (second === undefined) throw new PinError(USAGE);
  const pins = readPins(root);
  let version: string;
  if (second === '--from') {
    const source = environmentArgument(third);
    const pinned = pins[source as keyof typeof pins];
    if (pinned === undefined) throw new PinError(`${source} pins no release (${PINS_FILE}): it tracks this checkout, so there is nothing to promote`);
    version = pinned;
  } else {
    version = second.replace(/^v/, '');
  }
  const record = readRecord(root);
  if (record[version] === undefined) {
    throw new PinError(`${version} is not a release (${RECORD_FILE}: ${versionsOf(record).join(', ') || 'none'}): make release VERSION=${version} first`);
  }
  const current = pins[environment as keyof typeof pins];
  if (current === undefined) {
    throw new PinError(
      `${environment} is not pinned: it tracks this checkout. To pin it, add it to ${PINS_FILE} and type its values with ` +
        `the VaultDrStackProps of .releases/pinned/${environment} (as environments/stage.ts does), in one pull request.`,
    );
  }
  if (current === version) {
    console.log(`${environment}: already ${version} (${PINS_FILE}); nothing to change.`);
    return;
  }
  writeFileSync(join(root, PINS_FILE), formatPins({ ...pins, [environment]: version }));
  console.log(
    `${environment}: ${current} -> ${version} (${PINS_FILE}). Run \`make releases\` and \`make typecheck\` (the values must fit ${version}), ` +
      'then open a pull request: the pipeline plans it, the merge applies it.',
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof PinError || error instanceof PinFileError)) throw error;
    console.error(`pin: ${error.message}`);
    process.exitCode = 2;
  }
}

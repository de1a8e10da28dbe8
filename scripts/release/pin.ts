/**
 * Sets the release an environment is built from (its `pinnedRelease` line in environments/<env>.ts):
 *
 *   make pin ENV=stage VERSION=x.y.z      (npx tsx scripts/release/pin.ts stage x.y.z)
 *   make promote                          (prod takes stage's pin: npx tsx scripts/release/pin.ts prod --from stage)
 *
 * The version must be in releases.json. The change goes through a pull request like any other: the
 * pipeline plans it, and the merge applies it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecord, RECORD_FILE, versionsOf } from './record';

export const PIN_LINE = /^export const pinnedRelease = '([^']*)';/m;

class PinError extends Error {}

function pinFile(root: string, environment: string): string {
  return join(root, 'environments', `${environment}.ts`);
}

export function readPin(root: string, environment: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(pinFile(root, environment), 'utf8');
  } catch {
    throw new PinError(`no environments/${environment}.ts`);
  }
  return PIN_LINE.exec(text)?.[1];
}

function main(argv: string[]): void {
  const root = join(__dirname, '..', '..');
  const [environment, second, third] = argv;
  if (environment === undefined || second === undefined) throw new PinError('usage: make pin ENV=<stage|prod> VERSION=x.y.z, or make promote');
  const version = second === '--from' ? readPin(root, third ?? '') : second.replace(/^v/, '');
  if (version === undefined) throw new PinError(`environments/${third}.ts pins no release`);
  const record = readRecord(root);
  if (record[version] === undefined) {
    throw new PinError(`${version} is not a release (${RECORD_FILE}: ${versionsOf(record).join(', ') || 'none'}): make release VERSION=${version} first`);
  }
  const file = pinFile(root, environment);
  const text = readFileSync(file, 'utf8');
  const current = PIN_LINE.exec(text)?.[1];
  if (current === undefined) {
    throw new PinError(`environments/${environment}.ts has no \`export const pinnedRelease = '…';\` line: it tracks main (add the line to pin it)`);
  }
  writeFileSync(file, text.replace(PIN_LINE, `export const pinnedRelease = '${version}';`));
  console.log(`${environment}: ${current} -> ${version} (environments/${environment}.ts). Open a pull request: the pipeline plans it, the merge applies it.`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof PinError)) throw error;
    console.error(`pin: ${error.message}`);
    process.exitCode = 2;
  }
}

/**
 * Which released version each environment is built from: environments/pins.json, data that
 * `make pin` and `make promote` edit (scripts/release/pin.ts). An environment it does not name is
 * built from this checkout (dev tracks main). The file is validated whenever it is read, and a
 * problem names the environment and the fix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../names';
import { isVersion } from './record';

/** Where the pins are, relative to the repository root. */
export const PINS_FILE = join('environments', 'pins.json');

/** Pinned environment to the version (x.y.z) it is built from. */
export type ReleasePins = Readonly<Partial<Record<EnvironmentName, string>>>;

export class PinFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PinFileError';
  }
}

const FIX = (environment: string) => `make pin ENV=${environment} VERSION=x.y.z`;

const pinnedVersion = v.pipe(
  v.string((issue) => `must be a version string "x.y.z", got ${issue.received}`),
  v.check(isVersion, (issue) => `must be a version x.y.z (no "v", no pre-release), got ${issue.received}`),
);

const pinsSchema = v.strictObject(
  Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, v.optional(pinnedVersion)])) as Record<EnvironmentName, v.OptionalSchema<typeof pinnedVersion, undefined>>,
  (issue) =>
    issue.expected === 'never'
      ? `is not an environment (${ENVIRONMENT_NAMES.join(', ')}): remove it, or name one of them`
      : `must be an object of environment to version, e.g. {"stage": "0.2.1", "prod": "0.2.1"}`,
);

/** Validates the parsed content of the pins file; `file` names it in messages. */
export function parsePins(content: unknown, file: string = PINS_FILE): ReleasePins {
  if (Array.isArray(content)) throw new PinFileError(`${file} must be an object of environment to version, e.g. {"stage": "0.2.1", "prod": "0.2.1"}, not an array`);
  const result = v.safeParse(pinsSchema, content, { abortEarly: false });
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const environment = v.getDotPath(issue);
    if (environment === null) return `${file} ${issue.message}`;
    const fix = issue.expected === 'never' ? '' : `; fix: ${FIX(environment)}`;
    return `${file}: "${environment}" ${issue.message}${fix}`;
  });
  throw new PinFileError(problems.join('\n'));
}

/** The pins of a checkout, validated. */
export function readPins(repoRoot: string): ReleasePins {
  let text: string;
  try {
    text = readFileSync(join(repoRoot, PINS_FILE), 'utf8');
  } catch {
    throw new PinFileError(`${PINS_FILE} not found: it names the release each pinned environment is built from ({} when none is pinned)`);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new PinFileError(`${PINS_FILE} is not valid JSON (${(error as Error).message}): fix it, or restore it with git checkout -- ${PINS_FILE}`);
  }
  return parsePins(content);
}

/** The pins file's text for these pins: environments in their usual order, one per line. */
export function formatPins(pins: ReleasePins): string {
  const ordered = Object.fromEntries(ENVIRONMENT_NAMES.filter((name) => pins[name] !== undefined).map((name) => [name, pins[name]]));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

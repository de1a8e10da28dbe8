/**
 * .releases/pinned/<environment>.d.ts: what environments/<environment>.ts and environments/app.ts
 * import the environment's VaultDrStackProps and VaultDrStack from. For a pinned environment they
 * are its release's own declarations (types/ of the prepared release), for the others this
 * checkout's sources, so `make typecheck` checks each environment's values against the code that
 * builds it. Written by `make releases` from the same pins the synthesis reads.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../environments/names';
import { PINS_FILE, type ReleasePins } from '../../environments/releases/pins';
import { STACK_MODULE, STACK_PROPS_MODULE, TYPE_BRIDGES_DIR, TYPES_DIR, type ResolvedPin } from '../../environments/releases/prepared';

/** The bridge file of an environment, relative to the repository root. */
export function typeBridgeFile(environment: EnvironmentName): string {
  return join(TYPE_BRIDGES_DIR, `${environment}.d.ts`);
}

/** The text of an environment's bridge: `release` is its pinned release, or undefined for this checkout. */
export function typeBridgeText(repoRoot: string, environment: EnvironmentName, release: ResolvedPin | undefined): string {
  const from = join(repoRoot, TYPE_BRIDGES_DIR);
  const codeRoot = release === undefined ? repoRoot : join(release.root, TYPES_DIR);
  const specifier = (module: string) => relative(from, join(codeRoot, module)).split('\\').join('/');
  const origin =
    release === undefined
      ? `${environment} is built from this checkout (${PINS_FILE} does not pin it)`
      : `${environment} is built from release ${release.version} (${release.commit}), as ${PINS_FILE} pins it`;
  return [
    `// Written by \`make releases\` (scripts/release/type-bridges.ts): ${origin}.`,
    `export type { VaultDrStackProps } from '${specifier(STACK_PROPS_MODULE)}';`,
    `export type { VaultDrStack } from '${specifier(STACK_MODULE)}';`,
    '',
  ].join('\n');
}

/** Writes every environment's bridge (each replaced atomically); returns the files that changed. */
export function writeTypeBridges(repoRoot: string, pins: ReleasePins, releases: ReadonlyMap<EnvironmentName, ResolvedPin>): string[] {
  mkdirSync(join(repoRoot, TYPE_BRIDGES_DIR), { recursive: true });
  const changed: string[] = [];
  for (const environment of ENVIRONMENT_NAMES) {
    const release = pins[environment] === undefined ? undefined : releases.get(environment);
    if (pins[environment] !== undefined && release === undefined) throw new Error(`no prepared release for the pinned environment ${environment}`);
    const file = join(repoRoot, typeBridgeFile(environment));
    const text = typeBridgeText(repoRoot, environment, release);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    writeFileSync(`${file}.tmp-${process.pid}`, text);
    renameSync(`${file}.tmp-${process.pid}`, file);
    changed.push(typeBridgeFile(environment));
  }
  return changed;
}

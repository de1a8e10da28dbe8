/**
 * Dependencies point one way: environments -> stacks -> modules (-> functions, whose bundles the
 * constructs ship). scripts/ may import any of them (the release tooling reads environments/), and
 * nothing below imports scripts/ or test/. environments/ alone may import the type bridges that
 * `make releases` writes into .releases/pinned/.
 */
import { dirname, join, normalize } from 'node:path';
import { importedModules, read, sourceFiles } from '../modules/support/import-rules';

/** Top-level folder of the source -> top-level folders it may import from (itself included). */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  functions: ['functions'],
  modules: ['modules', 'functions'],
  stacks: ['stacks', 'modules'],
  environments: ['environments', 'stacks', 'modules', '.releases'],
  // The operator CLI reads the construct's naming rule and the functions' event and error contracts.
  cli: ['cli', 'modules', 'functions'],
};

/** The top-level folder a relative import of `file` reaches, or undefined for a package. */
function importedFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const target = normalize(join(dirname(file), specifier));
  if (target.startsWith('..')) return target; // outside the repository
  return target.split(/[\\/]/)[0];
}

/** Every import that points against the direction, as `file: 'specifier' (folder -> folder)`. */
function wrongWayImports(files: Array<{ file: string; text: string }>): string[] {
  const offenders: string[] = [];
  for (const { file, text } of files) {
    const from = file.split(/[\\/]/)[0]!;
    const allowed = MAY_IMPORT[from];
    if (allowed === undefined) continue;
    for (const specifier of importedModules(text)) {
      const to = importedFolder(file, specifier);
      if (to !== undefined && !allowed.includes(to)) offenders.push(`${file}: '${specifier}' (${from} -> ${to})`);
    }
  }
  return offenders;
}

describe('dependency direction', () => {
  it('lets environments import stacks and modules, stacks import modules, and none of them import scripts or test', () => {
    const files = sourceFiles(Object.keys(MAY_IMPORT));
    expect(files).toEqual(expect.arrayContaining(['environments/app.ts', 'environments/main.ts', 'stacks/vault-dr-stack.ts', 'modules/index.ts']));
    expect(wrongWayImports(files.map((file) => ({ file, text: read(file) })))).toEqual([]);
  });

  it('has the release tooling read environments/, not the other way round', () => {
    const tooling = sourceFiles(['scripts/release']);
    const readsEnvironments = tooling.filter((file) => importedModules(read(file)).some((specifier) => importedFolder(file, specifier) === 'environments'));
    expect(readsEnvironments).toEqual(expect.arrayContaining(['scripts/release/prepare.ts', 'scripts/release/pin.ts']));
  });

  describe('the rule itself', () => {
    it.each([
      ['environments/app.ts', "import { x } from '../scripts/release/record';", 'environments -> scripts'],
      ['environments/releases/pins.ts', "const y = require('../../test/support/z');", 'environments -> test'],
      ['stacks/vault-dr-stack.ts', "import type { dev } from '../environments/dev';", 'stacks -> environments'],
      ['modules/vault-cluster/vault-cluster.ts', "export * from '../../stacks/vault-dr-stack';", 'modules -> stacks'],
      ['modules/index.ts', "import '../.releases/pinned/dev';", 'modules -> .releases'],
      ['functions/shared/log.ts', "import { a } from '../../modules/index';", 'functions -> modules'],
    ])('flags %s importing %s', (file, text, direction) => {
      expect(wrongWayImports([{ file, text }])).toEqual([expect.stringContaining(`(${direction})`)]);
    });

    it.each([
      ['environments/app.ts', "import { VaultDrStack } from '../stacks/vault-dr-stack';"],
      ['environments/stage.ts', "import type { VaultDrStackProps } from '../.releases/pinned/stage';"],
      ['stacks/vault-dr-stack.ts', "import { AwsProvider } from '../modules/internal/aws';"],
      ['scripts/release/prepare.ts', "import { readPins } from '../../environments/releases/pins';"],
      ['environments/app.ts', "import { join } from 'node:path';"],
    ])('lets %s import %s', (file, text) => {
      expect(wrongWayImports([{ file, text }])).toEqual([]);
    });

    it('resolves a relative import to the folder it reaches', () => {
      expect(importedFolder('environments/releases/pins.ts', '../names')).toBe('environments');
      expect(importedFolder('scripts/release/pin.ts', '../../environments/names')).toBe('environments');
      expect(importedFolder('stacks/x.ts', 'cdktf')).toBeUndefined();
    });
  });
});

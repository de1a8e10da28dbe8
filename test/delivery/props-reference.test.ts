/**
 * docs/props-reference is generated from the public types by TypeDoc (typedoc.json, `npm run
 * docs:props`) and ships in the package: a props doc comment changed without regenerating it fails
 * here, naming the command.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const COMMITTED = join(REPO_ROOT, 'docs', 'props-reference');

function filesUnder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

describe('the props reference (docs/props-reference)', () => {
  let fresh: string;

  beforeAll(async () => {
    fresh = mkdtempSync(join(tmpdir(), 'vault-dr-props-reference-'));
    await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', fresh], { cwd: REPO_ROOT });
  }, 120_000);

  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what TypeDoc generates from the public types today (else run `npm run docs:props` and commit it)', () => {
    expect(filesUnder(COMMITTED)).toEqual(filesUnder(fresh));
  });

  it('documents every public construct and props type, with the props\' defaults', () => {
    const reference = readFileSync(join(COMMITTED, 'README.md'), 'utf8');
    for (const name of ['DrAutomation', 'DrAutomationProps', 'VaultCluster', 'VaultClusterProps', 'WeightedVaultEndpointProps', 'VaultSnapshotBucketProps', 'VpcPlacement', 'DrVpcEndpoints']) {
      expect(reference).toContain(`### ${name}\n`);
    }
    expect(reference).toContain('**Default** `28800 (8 hours)`');
  });
});

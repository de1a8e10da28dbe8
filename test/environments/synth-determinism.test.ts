import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../modules/support/import-rules';

const run = promisify(execFile);

/**
 * What `npm run synth` needs from a checkout: the sources, the release record and the release
 * tooling (stage and prod are built from their pinned release). node_modules and the materialized
 * releases (.releases, git-archived from the release commits, so the same in any clone) are linked,
 * not copied.
 */
const CHECKOUT_PARTS = [
  'package.json',
  'package-lock.json',
  'cdktf.json',
  'tsconfig.json',
  'releases.json',
  'modules',
  // The construct writes each function's environment with the function's own settings module.
  'functions',
  'stacks',
  'environments',
  join('scripts', 'release'),
  join('dist', 'functions'),
];
const LINKED_PARTS = ['node_modules', '.releases'];

/** Every file under a folder, relative to it, with its bytes. */
function filesUnder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

/** A copy of the checkout in a new place, as a second clone on another agent would be. */
function checkoutCopy(parent: string, name: string): string {
  const root = join(parent, name);
  for (const part of CHECKOUT_PARTS) cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
  for (const part of LINKED_PARTS) symlinkSync(join(REPO_ROOT, part), join(root, part), 'dir');
  return root;
}

async function synthAll(checkout: string): Promise<Map<string, Buffer>> {
  const env = { ...process.env };
  delete env.CDKTF_OUTDIR;
  await run(join(checkout, 'node_modules', '.bin', 'tsx'), ['environments/main.ts', 'all'], { cwd: checkout, env });
  return filesUnder(join(checkout, 'cdktf.out'));
}

describe('synthesized output', () => {
  let parent: string;
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let checkouts: string[];

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'vault-dr-determinism-'));
    checkouts = [checkoutCopy(parent, 'checkout-a'), checkoutCopy(parent, 'elsewhere/checkout-b')];
    [first, second] = await Promise.all(checkouts.map(synthAll));
  }, 60_000);

  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('is byte-identical across two runs in two checkout locations', () => {
    expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
    const differing = [...first.keys()].filter((file) => !first.get(file)!.equals(second.get(file)!));
    expect(differing).toEqual([]);
  });

  it('holds the three stacks, each function\'s archive sources and their CA bundles', () => {
    const files = [...first.keys()];
    for (const env of ['dev', 'stage', 'prod']) {
      const stackDir = join('stacks', `vault-dr-${env}`);
      expect(files).toContain(join(stackDir, 'cdk.tf.json'));
      expect(files.filter((f) => f.startsWith(join(stackDir, 'assets', 'VaultCaBundle')))).toHaveLength(1);
      const doc = JSON.parse(first.get(join(stackDir, 'cdk.tf.json'))!.toString('utf8'));
      const lambdas = Object.values(doc.resource.aws_lambda_function as Record<string, { filename: string }>);
      // Four from this checkout on (the login folded into them, the watchdog added: dev); three or
      // four in the releases up to 0.2.1 that stage and prod may pin.
      if (env === 'dev') expect(lambdas).toHaveLength(4);
      else expect([3, 4]).toContain(lambdas.length);
      for (const { filename } of lambdas) {
        const archive = /^\$\{data\.archive_file\.([A-Za-z0-9_]+)\.output_path\}$/.exec(filename);
        if (archive === null) {
          // A release before archive_file (stage and prod pinned to 0.1.0): the zip itself.
          expect(files).toContain(join(stackDir, filename));
          continue;
        }
        // This checkout: the folder archive_file zips at plan time, with exactly the two files.
        const folder = join(stackDir, (doc.data.archive_file[archive[1]!].source_dir as string).replace('${path.module}/', ''));
        expect(files.filter((f) => f.startsWith(`${folder}/`)).sort()).toEqual([join(folder, 'index.js'), join(folder, 'vault-ca.pem')]);
      }
    }
  });

  it('names no path of the machine it was made on, and no time', () => {
    const places = [...checkouts, REPO_ROOT, tmpdir()];
    for (const [file, bytes] of first) {
      if (!file.endsWith('.json')) continue;
      const text = bytes.toString('utf8');
      for (const place of places) expect({ file, mentions: text.includes(place) }).toEqual({ file, mentions: false });
      expect({ file, timestamp: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) }).toEqual({ file, timestamp: false });
    }
  });
});

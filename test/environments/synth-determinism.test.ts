import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../modules/support/import-rules';

const run = promisify(execFile);

/** What `npm run synth` needs from a checkout (node_modules is linked, not copied). */
const CHECKOUT_PARTS = ['package.json', 'cdktf.json', 'tsconfig.json', 'modules', 'stacks', 'environments', join('dist', 'functions')];

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
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
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

  it('holds the three stacks, their archives and their CA bundles', () => {
    const files = [...first.keys()];
    for (const env of ['dev', 'stage', 'prod']) {
      expect(files).toContain(join('stacks', `vault-dr-${env}`, 'cdk.tf.json'));
      expect(files.filter((f) => f.startsWith(join('stacks', `vault-dr-${env}`, 'assets')) && f.endsWith('function.zip'))).toHaveLength(4);
      expect(files.filter((f) => f.startsWith(join('stacks', `vault-dr-${env}`, 'assets', 'VaultCaBundle')))).toHaveLength(1);
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

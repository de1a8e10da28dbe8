/**
 * What synthesis leaves behind: a stack folder that names nothing of this repository's layout (a
 * consumer's stack holds the same constructs), and nothing outside the output folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ENVIRONMENTS } from '../../environments/app';
import { vaultDrStackId } from '../../stacks/vault-dr-stack';
import { REPO_ROOT } from '../modules/support/import-rules';

const run = promisify(execFile);

/**
 * Paths of this repository: its top-level source folders (as a path segment, not inside a word:
 * `latest/api` in the instance metadata URL is no `test/`), and the machine's own checkout.
 */
const REPOSITORY_PATHS = new RegExp(`(?<![A-Za-z0-9_.-])(?:modules|functions|stacks|environments|test|scripts|ci)/|${REPO_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|/work/`, 'g');

/**
 * Every environment's values built with this checkout's constructs and composition: what dev
 * synthesizes today, and what stage and prod will synthesize once they pin the next release (they
 * are built from release 0.2.1 until then, whose user data and alarm text still name source paths).
 */
async function synthesizeAll(outdir: string, emptyTmp: string): Promise<void> {
  // A process of its own: os.tmpdir() reads the real TMPDIR, which a jest test cannot change. It is
  // set once tsx has started (tsx keeps its own files in the temp directory) and before any module
  // of this repository is loaded, so whatever a module computes from the temp directory sees it.
  const script = `
    process.env.TMPDIR = ${JSON.stringify(emptyTmp)};
    const { App } = require('./modules/internal/cdktf');
    const { VaultDrStack } = require('./stacks/vault-dr-stack');
    const { ENVIRONMENTS } = require('./environments/app');
    const app = new App({ outdir: ${JSON.stringify(outdir)} });
    for (const values of Object.values(ENVIRONMENTS)) new VaultDrStack(app, values);
    app.synth();`;
  await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: REPO_ROOT, env: { ...process.env, TSX_DISABLE_CACHE: '1' } });
}

describe('synthesized output', () => {
  let outdir: string;
  let emptyTmp: string;
  let leftInTmp: string[];
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'vault-dr-synth-output-'));
    emptyTmp = mkdtempSync(join(tmpdir(), 'vault-dr-empty-tmp-'));
    await synthesizeAll(outdir, emptyTmp);
    leftInTmp = readdirSync(emptyTmp);
  }, 120_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(emptyTmp, { recursive: true, force: true });
  });

  it('leaves nothing in the temp directory: the function sources are written straight into the output', () => {
    expect(leftInTmp).toEqual([]);
    for (const name of Object.keys(ENVIRONMENTS)) {
      expect(readdirSync(join(outdir, 'stacks', vaultDrStackId(name), 'assets')).length).toBeGreaterThan(0);
    }
  });

  it.each(Object.keys(ENVIRONMENTS))('%s: names no path of this repository (user data, alarm text, descriptions)', (name) => {
    const json = readFileSync(join(outdir, 'stacks', vaultDrStackId(name), 'cdk.tf.json'), 'utf8');
    const found = [...json.matchAll(REPOSITORY_PATHS)].map((m) => json.slice(Math.max(0, m.index! - 60), m.index! + 40));
    expect(found).toEqual([]);
  });

  it('would find a repository path if one were there (the search itself works)', () => {
    const sample = JSON.stringify({ user_data: '# Vault node bootstrap (modules/vault-cluster/user-data.ts)', url: 'http://169.254.169.254/latest/api/token' });
    expect([...sample.matchAll(REPOSITORY_PATHS)].map((m) => m[0])).toEqual(['modules/']);
  });
});

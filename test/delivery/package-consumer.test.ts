/**
 * Packs the package as `npm publish` would, installs the tarball into a throw-away consumer project
 * outside the repository, type-checks a consumer's cdktf app against the published types, and
 * synthesizes it: what a platform team does with this package.
 *
 * To stay fast, the consumer links cdktf, constructs and the provider packages from this
 * repository's node_modules (one instance of each, as a consumer has): npm then only unpacks the
 * tarball, offline.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const REPO_MODULES = join(REPO_ROOT, 'node_modules');
const PACKAGE_NAME = '@vault-dr/cdktf';
const LINKED = ['cdktf', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-vault', '@cdktf/provider-archive', 'valibot'];
const FUNCTIONS = ['dr-token-generator', 'dr-operations', 'dns-switch'];

const CONSUMER_APP = `
import { readFileSync } from 'node:fs';
import { App, TerraformStack } from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import {
  DrAutomation,
  DR_AUTOMATION_DEFAULTS,
  VaultCluster,
  VaultRaftAutopilot,
  VaultSnapshotBucket,
  VaultSnapshotSchedule,
  WeightedVaultEndpoint,
  type VaultClusterPair,
  type VaultClusterProps,
  type VaultRaftAutopilotProps,
  type VaultSnapshotBucketProps,
  type VaultSnapshotScheduleProps,
} from '${PACKAGE_NAME}';

const clusters: VaultClusterPair = {
  primary: { name: 'payments-euc1', address: 'https://vault-payments-euc1.example.com:8200' },
  dr: { name: 'payments-euw1', address: 'https://vault-payments-euw1.example.com:8200' },
};
const vaultAddress = 'https://vault-payments.example.com:8200';

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'payments-vault-dr');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
new VaultProvider(stack, 'vault', { address: vaultAddress });
new ArchiveProvider(stack, 'archive');
new WeightedVaultEndpoint(stack, 'VaultEndpoint', { vaultAddress, hostedZoneId: 'Z0PAYMENTS', clusters });
const dr = new DrAutomation(stack, 'DrAutomation', {
  environment: 'prod',
  identifier: 'payments',
  vaultAddress,
  clusters,
  hostedZoneId: 'Z0PAYMENTS',
  vaultCaBundlePem: readFileSync('vault-ca.pem', 'utf8'),
  refreshIntervalMinutes: DR_AUTOMATION_DEFAULTS.refreshIntervalMinutes / 2,
});
const secretArn: string = dr.drTokenSecretArn;
void secretArn;
// The cluster and snapshot constructs and their props are public too (type-checked only here).
const publicApi: Array<[unknown, unknown]> = [
  [VaultCluster, undefined as unknown as VaultClusterProps],
  [VaultRaftAutopilot, undefined as unknown as VaultRaftAutopilotProps],
  [VaultSnapshotBucket, undefined as unknown as VaultSnapshotBucketProps],
  [VaultSnapshotSchedule, undefined as unknown as VaultSnapshotScheduleProps],
];
void publicApi;
app.synth();
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(REPO_MODULES, '@types')],
    outDir: 'build',
  },
  files: ['main.ts'],
};

describe('the npm package, as a consumer uses it', () => {
  let workspace: string;
  let tarball: string;
  let consumer: string;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'vault-dr-package-'));
    const missing = FUNCTIONS.filter((fn) => !existsSync(join(REPO_ROOT, 'dist', 'functions', fn, 'index.js')));
    if (missing.length > 0) throw new Error(`no bundle for ${missing.join(', ')}: run \`npm run build:functions\` first`);
    // What `npm pack` does, minus rebuilding the function bundles: the prepack script would
    // rewrite dist/functions while other test files read it. The library is compiled afresh.
    await run('npm', ['run', '--silent', 'build:lib'], { cwd: REPO_ROOT });
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', workspace], { cwd: REPO_ROOT });
    tarball = join(workspace, packed.stdout.trim().split('\n').pop()!);

    consumer = join(workspace, 'consumer');
    mkdirSync(consumer);
    const dependencies: Record<string, string> = { [PACKAGE_NAME]: `file:${tarball}` };
    for (const name of LINKED) dependencies[name] = `file:${join(REPO_MODULES, name)}`;
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }, null, 2));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer });

    writeFileSync(join(consumer, 'main.ts'), CONSUMER_APP);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    copyFileSync(join(REPO_ROOT, 'test', 'modules', 'support', 'fixtures', 'vault-ca.pem'), join(consumer, 'vault-ca.pem'));
  }, 180_000);

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('holds the compiled library with its types, the function bundles and the changelog, and no sources or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').map((line) => line.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'dist/lib/modules/index.js',
        'dist/lib/modules/index.d.ts',
        ...FUNCTIONS.map((fn) => `dist/functions/${fn}/index.js`),
      ]),
    );
    const unexpected = files.filter(
      (file) => !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(file) && !file.startsWith('dist/lib/') && !file.startsWith('dist/functions/'),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('shares one cdktf and one constructs with the consumer (they are peer dependencies)', () => {
    const installed = join(consumer, 'node_modules', PACKAGE_NAME);
    for (const peer of ['cdktf', 'constructs']) {
      const fromPackage = realpathSync(require.resolve(peer, { paths: [installed] }));
      const fromConsumer = realpathSync(require.resolve(peer, { paths: [consumer] }));
      expect(fromPackage).toBe(fromConsumer);
    }
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.peerDependencies).toEqual({ cdktf: '0.21.0', constructs: expect.stringMatching(/^10\.\d+\.\d+$/) });
    expect(manifest.dependencies).not.toHaveProperty('cdktf');
  });

  it('exposes only its public entry point', async () => {
    const probe = `
      require.resolve('${PACKAGE_NAME}');
      try { require.resolve('${PACKAGE_NAME}/dist/lib/modules/internal/aws'); console.log('reachable'); }
      catch (e) { console.log(e.code); }`;
    const { stdout } = await run(process.execPath, ['-e', probe], { cwd: consumer });
    expect(stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks a consumer app against the published types and synthesizes it with the shipped bundles', async () => {
    await run(process.execPath, [join(REPO_MODULES, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: consumer });
    await run(process.execPath, [join('build', 'main.js')], { cwd: consumer });

    const stackDir = join(consumer, 'cdktf.out', 'stacks', 'payments-vault-dr');
    const doc = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    const functions = Object.values(doc.resource.aws_lambda_function as Record<string, any>);
    expect(functions.map((fn) => fn.function_name).sort()).toEqual(FUNCTIONS.map((fn) => `${fn}-prod-payments`).sort());
    expect(Object.keys(doc.resource.aws_route53_record)).toHaveLength(2);
    expect(Object.values(doc.resource.aws_scheduler_schedule as Record<string, any>)[0].schedule_expression).toBe('rate(30 minutes)');

    const shippedBundles = join(consumer, 'node_modules', PACKAGE_NAME, 'dist', 'functions');
    const caBundle = readFileSync(join(consumer, 'vault-ca.pem'));
    expect(doc.terraform.required_providers.archive).toEqual({ source: 'hashicorp/archive', version: '2.7.1' });
    for (const fn of functions) {
      // Zipped by archive_file at plan time from the asset folder the synth wrote.
      const archiveId = /^\$\{data\.archive_file\.([A-Za-z0-9_]+)\.output_path\}$/.exec(fn.filename)?.[1];
      expect(archiveId).toBeDefined();
      expect(fn.source_code_hash).toBe(`\${data.archive_file.${archiveId}.output_base64sha256}`);
      const archive = doc.data.archive_file[archiveId!];
      expect(archive).toMatchObject({ type: 'zip', output_file_mode: '0644', output_path: `${archive.source_dir}.zip` });
      const folder = join(stackDir, (archive.source_dir as string).replace('${path.module}/', ''));
      expect(readdirSync(folder).sort()).toEqual(['index.js', 'vault-ca.pem']);
      const logical = (fn.function_name as string).replace('-prod-payments', '');
      const bundle = readFileSync(join(shippedBundles, logical, 'index.js'));
      expect(readFileSync(join(folder, 'index.js')).equals(bundle)).toBe(true);
      expect(readFileSync(join(folder, 'vault-ca.pem')).equals(caBundle)).toBe(true);
      expect(bundle.equals(readFileSync(join(REPO_ROOT, 'dist', 'functions', logical, 'index.js')))).toBe(true);
    }
    expect(existsSync(join(stackDir, 'assets'))).toBe(true);
    expect(readdirSync(join(stackDir, 'assets'))).toHaveLength(FUNCTIONS.length);
  }, 60_000); // tsc and a synthesis in two child processes: over jest's 5 s default on a loaded machine
});

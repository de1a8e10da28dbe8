/**
 * Packs the package as `npm publish` would and installs it into throw-away consumer projects outside
 * the repository, as a platform team does: once with the LOWEST version of each peer dependency
 * range and once with the HIGHEST (npm installs them from its cache, so only a first run downloads).
 * For each: the library's own sources type-check against those versions, a consumer's cdktf app
 * type-checks against the published types and synthesizes, with the temp directory pointed at an
 * empty folder that must stay empty. The two synthesized stacks must be the same but for the
 * provider versions, and checkov passes on the highest one with the baseline the package generates
 * for it. It prints how long each step took.
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
const MANIFEST = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
  files: string[];
};
/** The functions DrAutomation deploys, each with its bundle (the login is folded into dr-token-generator and dr-operations). */
const FUNCTIONS = ['dr-token-generator', 'dr-operations', 'dns-switch', 'dr-watchdog'];
const CHECKOV = join(REPO_ROOT, '.tools', 'bin', 'checkov');

/**
 * The two ends of each peer range that are tested. The lowest is the range's own floor; the highest
 * is the newest release published when the ranges were last tested (cdktf is archived, and its
 * prebuilt providers froze with it, so only constructs may still move). Raise a highest here when a
 * newer release appears, and it is tested from then on.
 */
const EXTREMES = {
  lowest: { cdktf: '0.21.0', constructs: '10.4.2', '@cdktf/provider-aws': '21.0.0', '@cdktf/provider-vault': '15.0.0', '@cdktf/provider-archive': '11.0.0' },
  highest: { cdktf: '0.21.0', constructs: '10.8.1', '@cdktf/provider-aws': '21.22.1', '@cdktf/provider-vault': '15.6.1', '@cdktf/provider-archive': '11.0.1' },
} as const;
type Extreme = keyof typeof EXTREMES;
const PEERS = Object.keys(EXTREMES.lowest) as Array<keyof (typeof EXTREMES)['lowest']>;

/** A version against a `^x.y.z` or `~x.y.z` range: [satisfies, is the range's floor]. */
function against(range: string, version: string): [boolean, boolean] {
  const match = /^([\^~])(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!match) throw new Error(`peer range "${range}" is neither ^x.y.z nor ~x.y.z`);
  const [, kind, ...floor] = match;
  const [major, minor, patch] = floor.map(Number) as [number, number, number];
  const [v0, v1, v2] = version.split('.').map(Number) as [number, number, number];
  const atLeast = v0 > major || (v0 === major && (v1 > minor || (v1 === minor && v2 >= patch)));
  const within = kind === '~' ? v0 === major && v1 === minor : major === 0 ? v0 === 0 && v1 === minor : v0 === major;
  return [atLeast && within, version === floor.join('.')];
}

const CONSUMER_APP = `
import { readFileSync, writeFileSync } from 'node:fs';
import { App, TerraformStack } from 'cdktf';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import {
  checkovBaseline,
  DrAutomation,
  DR_AUTOMATION_DEFAULTS,
  VaultCluster,
  VaultRaftAutopilot,
  VaultSnapshotBucket,
  VaultSnapshotSchedule,
  WeightedVaultEndpoint,
  type VaultClusterPair,
  type VaultRaftAutopilotProps,
  type VaultSnapshotScheduleProps,
} from '${PACKAGE_NAME}';

const secret = (name: string) => 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:payments/' + name + '-AbCdEf';
const vaultAddress = 'https://vault-payments.example.com:8200';

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'payments-vault-dr');
// The functions run in the DR region; the primary cluster in its own.
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
const primaryRegion = new AwsProvider(stack, 'primary', { region: 'eu-central-1', alias: 'primary' });
new VaultProvider(stack, 'vault', { address: vaultAddress });
new ArchiveProvider(stack, 'archive');

const snapshots = new VaultSnapshotBucket(stack, 'Snapshots', { environment: 'prod', name: 'euc1', provider: primaryRegion });
const primary = new VaultCluster(stack, 'Primary', {
  environment: 'prod',
  clusterName: 'euc1',
  vpcId: 'vpc-0123456789abcdef0',
  subnets: ['a', 'b', 'c'].map((zone, i) => ({ subnetId: 'subnet-0a' + i, availabilityZone: 'eu-central-1' + zone, cidrBlock: '10.20.' + 16 * i + '.0/20' })),
  image: { ssmParameterName: '/payments/vault/ami' },
  tls: { certificateSecretArn: secret('tls-cert'), privateKeySecretArn: secret('tls-key'), caBundleSecretArn: secret('tls-ca') },
  licenseSecretArn: secret('license'),
  hostedZoneId: 'Z0PAYMENTS',
  hostedZoneName: 'example.com',
  allowedClientCidrs: ['10.20.100.0/24'],
  peerClusterCidrs: ['10.30.0.0/20'],
  snapshotDestinations: [snapshots.destination],
  provider: primaryRegion,
});
const clusters: VaultClusterPair = {
  primary: primary.endpoint,
  dr: { name: 'payments-euw1', address: 'https://vault-payments-euw1.example.com:8200', region: 'eu-west-1' },
};
new WeightedVaultEndpoint(stack, 'VaultEndpoint', { vaultAddress, hostedZoneId: 'Z0PAYMENTS', clusters });
const dr = new DrAutomation(stack, 'DrAutomation', {
  environment: 'prod',
  identifier: 'payments',
  vaultAddress,
  clusters,
  hostedZoneId: 'Z0PAYMENTS',
  vaultCaBundlePem: readFileSync('vault-ca.pem', 'utf8'),
  refreshIntervalMinutes: DR_AUTOMATION_DEFAULTS.refreshIntervalMinutes / 2,
  vpcPlacement: {
    subnetIds: ['subnet-0b1', 'subnet-0b2'],
    securityGroupIds: ['sg-0c1'],
    subnetCidrs: ['10.30.48.0/24', '10.30.49.0/24'],
    awsApiEndpoints: { vpcId: 'vpc-0fedcba9876543210', routeTableIds: ['rtb-0d1'] },
  },
});
dr.vaultAuthRolesDependOn(primary.allowVaultToResolveRoles([dr.functions['dr-token-generator'].roleArn, dr.functions['dr-operations'].roleArn]));
const secretArn: string = dr.drTokenSecretArn;
void secretArn;
// The Vault-side constructs and their props are public too (type-checked only here).
const publicApi: Array<[unknown, unknown]> = [
  [VaultRaftAutopilot, undefined as unknown as VaultRaftAutopilotProps],
  [VaultSnapshotSchedule, undefined as unknown as VaultSnapshotScheduleProps],
];
void publicApi;
app.synth();
// The accepted checkov findings of the package's constructs in this stack, for checkov --baseline.
writeFileSync('checkov-baseline.json', JSON.stringify(checkovBaseline(stack), null, 2));
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

/** The library's own sources, compiled against a consumer's installed peers instead of the repository's. */
const libraryTsconfig = (consumer: string) => ({
  extends: join(REPO_ROOT, 'tsconfig.json'),
  compilerOptions: {
    noEmit: true,
    types: ['node'],
    typeRoots: [join(REPO_MODULES, '@types')],
    paths: Object.fromEntries(
      PEERS.flatMap((peer) => [
        [peer, [join(consumer, 'node_modules', peer)]],
        [`${peer}/*`, [join(consumer, 'node_modules', peer, '*')]],
      ]),
    ),
  },
  include: [],
  files: [join(REPO_ROOT, 'modules', 'index.ts')],
});

interface Installed {
  readonly dir: string;
  readonly stackDir: string;
  readonly doc: Record<string, any>;
  /** What synthesis left in the (empty) temp directory it was given. */
  readonly leftInTmp: string[];
}

describe('the npm package, as a consumer uses it', () => {
  let workspace: string;
  let tarball: string;
  const consumers = {} as Record<Extreme, Installed>;
  const timings: Array<[string, number]> = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const start = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      timings.push([step, Number(process.hrtime.bigint() - start) / 1e9]);
    }
  };

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'vault-dr-package-'));
    const missing = FUNCTIONS.filter((fn) => !existsSync(join(REPO_ROOT, 'dist', 'functions', fn, 'index.js')));
    if (missing.length > 0) throw new Error(`no bundle for ${missing.join(', ')}: run \`npm run build:functions\` first`);
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'vault-dr.js'))) throw new Error('no vault-dr bundle: run `npm run build:cli` first');
    // What `npm pack` does, minus rebuilding the function bundles: the prepack script would
    // rewrite dist/functions while other test files read it. The library is compiled afresh.
    await timed('compile the library and pack it', async () => {
      await run('npm', ['run', '--silent', 'build:lib'], { cwd: REPO_ROOT });
      const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', workspace], { cwd: REPO_ROOT });
      tarball = join(workspace, packed.stdout.trim().split('\n').pop()!);
    });

    // One extreme after the other: the machine has two cores, and each install unpacks ~400 MB.
    for (const extreme of Object.keys(EXTREMES) as Extreme[]) {
      const dir = join(workspace, `consumer-${extreme}`);
      mkdirSync(dir);
      const dependencies = { [PACKAGE_NAME]: `file:${tarball}`, ...EXTREMES[extreme] };
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${extreme}`, version: '1.0.0', private: true, dependencies }, null, 2));
      // npm's cache: a first run downloads the tarballs, every later run unpacks them offline.
      await timed(`${extreme}: npm install (peers from npm's cache)`, () =>
        run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 }),
      );
      writeFileSync(join(dir, 'tsconfig.library.json'), JSON.stringify(libraryTsconfig(dir), null, 2));
      await timed(`${extreme}: type-check the library's sources against these peers`, () =>
        run(process.execPath, [join(REPO_MODULES, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.library.json'], { cwd: dir }),
      );
      writeFileSync(join(dir, 'main.ts'), CONSUMER_APP);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
      copyFileSync(join(REPO_ROOT, 'test', 'modules', 'support', 'fixtures', 'vault-ca.pem'), join(dir, 'vault-ca.pem'));
      await timed(`${extreme}: type-check the consumer app against the published types`, () =>
        run(process.execPath, [join(REPO_MODULES, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir }),
      );
      const emptyTmp = mkdtempSync(join(workspace, `tmp-${extreme}-`));
      await timed(`${extreme}: synthesize (TMPDIR an empty folder)`, () =>
        run(process.execPath, [join('build', 'main.js')], { cwd: dir, env: { ...process.env, TMPDIR: emptyTmp, TMP: emptyTmp, TEMP: emptyTmp } }),
      );
      const stackDir = join(dir, 'cdktf.out', 'stacks', 'payments-vault-dr');
      consumers[extreme] = { dir, stackDir, doc: JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')), leftInTmp: readdirSync(emptyTmp) };
    }
  }, 600_000);

  afterAll(() => {
    // A benchmark prints what it measured.
    const total = timings.reduce((sum, [, seconds]) => sum + seconds, 0);
    console.log(['package consumer test, measured:', ...timings.map(([step, s]) => `  ${s.toFixed(1).padStart(6)} s  ${step}`), `  ${total.toFixed(1).padStart(6)} s  in all`].join('\n'));
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('declares cdktf, constructs and the three provider packages as peer ranges, tested at both ends', () => {
    expect(Object.keys(MANIFEST.peerDependencies).sort()).toEqual([...PEERS].sort());
    for (const peer of PEERS) {
      const range = MANIFEST.peerDependencies[peer]!;
      expect([peer, against(range, EXTREMES.lowest[peer])]).toEqual([peer, [true, true]]);
      expect([peer, against(range, EXTREMES.highest[peer])[0]]).toEqual([peer, true]);
      // The repository builds with exact pins of its own, inside the range.
      expect([peer, against(range, MANIFEST.devDependencies[peer]!)[0]]).toEqual([peer, true]);
    }
    // One runtime dependency, pinned: valibot, which the functions' settings modules (imported by the
    // construct to write each function's environment) declare their rules with. No provider or
    // cdktf package is a dependency: those are peers, so the consumer keeps one copy of each.
    expect((MANIFEST as { dependencies?: Record<string, string> }).dependencies).toEqual({ valibot: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it.each(Object.keys(EXTREMES) as Extreme[])('%s: installs the versions asked for, one copy each, shared by the package and the app', (extreme) => {
    const { dir } = consumers[extreme];
    const installed = join(dir, 'node_modules', PACKAGE_NAME);
    for (const peer of PEERS) {
      const fromPackage = realpathSync(require.resolve(`${peer}/package.json`, { paths: [installed] }));
      const fromConsumer = realpathSync(require.resolve(`${peer}/package.json`, { paths: [dir] }));
      expect(fromPackage).toBe(fromConsumer);
      expect([peer, JSON.parse(readFileSync(fromConsumer, 'utf8')).version]).toEqual([peer, EXTREMES[extreme][peer]]);
    }
    // No second copy of a provider (hundreds of MB) or of cdktf anywhere in the tree.
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  });

  it('holds the compiled library with its types, the function bundles, the docs it refers to and the changelog, and no sources or tests', async () => {
    const files = await tarballFiles(tarball);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'dist/lib/modules/index.js',
        'dist/lib/modules/index.d.ts',
        'docs/runbook.md',
        // The runbook's topology sections refer to it.
        'docs/topology.md',
        'docs/props-reference/README.md',
        ...FUNCTIONS.map((fn) => `dist/functions/${fn}/index.js`),
        'dist/cli/vault-dr.js',
        'dist/cli/THIRD-PARTY-LICENSES.txt',
      ]),
    );
    const allowed = ['dist/lib/', 'dist/functions/', 'dist/cli/', 'docs/props-reference/'];
    const unexpected = files.filter(
      (file) => !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'docs/runbook.md', 'docs/topology.md'].includes(file) && !allowed.some((prefix) => file.startsWith(prefix)),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('ships every file the README\'s consumer section refers to', async () => {
    const files = await tarballFiles(tarball);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('## Using the constructs in your own cdktf stack');
    expect(start).toBeGreaterThan(-1);
    // The consumer's part of the section: the subsections from "cdktf is archived" on are about this repository.
    const section = readme.slice(start, readme.indexOf('\n### cdktf is archived', start));
    const links = [...section.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((target) => !/^https?:/.test(target));
    // Paths in code spans (`docs/runbook.md`, `dist/functions`), but not the consumer's own output folders.
    const paths = [...section.matchAll(/`([A-Za-z][\w.-]*\/[\w./<>-]*)`/g)].map((m) => m[1]!).filter((path) => !/^(cdktf\.out|assets)\//.test(path));
    const referred = [...new Set([...links, ...paths])];
    expect(referred).toEqual(expect.arrayContaining(['docs/runbook.md', 'docs/props-reference/README.md']));
    expect(referred.filter((path) => !files.some((file) => file === path || file.startsWith(`${path.replace(/\/$/, '')}/`)))).toEqual([]);
  });

  it('installs the vault-dr command, which runs with only what the package ships (its libraries are bundled)', async () => {
    const bin = join(consumers.highest.dir, 'node_modules', '.bin', 'vault-dr');
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    expect((await run(bin, ['--version'])).stdout.trim()).toBe(manifest.version);
    expect((await run(bin, ['--help'])).stdout).toContain('Usage: vault-dr [options] [command]');
    // Nothing the CLI needs was added to what a consumer installs.
    expect(Object.keys(manifest.dependencies)).toEqual(['valibot']);
  });

  it('exposes only its public entry point', async () => {
    const probe = `
      require.resolve('${PACKAGE_NAME}');
      try { require.resolve('${PACKAGE_NAME}/dist/lib/modules/internal/aws'); console.log('reachable'); }
      catch (e) { console.log(e.code); }`;
    const { stdout } = await run(process.execPath, ['-e', probe], { cwd: consumers.highest.dir });
    expect(stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it.each(Object.keys(EXTREMES) as Extreme[])('%s: synthesizes with the shipped bundles and leaves nothing in the temp directory', (extreme) => {
    const { dir, stackDir, doc, leftInTmp } = consumers[extreme];
    expect(leftInTmp).toEqual([]);
    const functions = Object.values(doc.resource.aws_lambda_function as Record<string, any>);
    expect(functions.map((fn) => fn.function_name).sort()).toEqual(FUNCTIONS.map((fn) => `${fn}-prod-payments`).sort());
    expect(Object.keys(doc.resource.aws_route53_record)).toHaveLength(3);
    expect(Object.values(doc.resource.aws_scheduler_schedule as Record<string, any>).find((s) => String(s.name).startsWith('dr-token-refresh-')).schedule_expression).toBe('rate(30 minutes)');
    expect(Object.keys(doc.resource.aws_vpc_endpoint)).toHaveLength(5);

    const shippedBundles = join(dir, 'node_modules', PACKAGE_NAME, 'dist', 'functions');
    const caBundle = readFileSync(join(dir, 'vault-ca.pem'));
    // Both 11.0.0 and 11.0.1 of the binding pin hashicorp/archive 2.7.1.
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
    expect(readdirSync(join(stackDir, 'assets'))).toHaveLength(FUNCTIONS.length);
  });

  it('synthesizes the same stack with the lowest and the highest peers, but for the provider versions', () => {
    const withoutVersions = (doc: Record<string, any>) => {
      const copy = JSON.parse(JSON.stringify(doc));
      // cdktf's default local backend names the consumer's own folder, which differs by design.
      delete copy.terraform.backend;
      for (const provider of Object.values(copy.terraform.required_providers as Record<string, { version?: string }>)) delete provider.version;
      return copy;
    };
    expect(withoutVersions(consumers.lowest.doc)).toEqual(withoutVersions(consumers.highest.doc));
    expect(consumers.lowest.doc.terraform.required_providers.aws.version).toBe('6.0.0');
    expect(consumers.highest.doc.terraform.required_providers.aws.version).toBe('6.25.0');
  });

  it('passes checkov with the baseline the package generates for the consumer\'s stack, and fails without it', async () => {
    const { dir, stackDir } = consumers.highest;
    const checkov = (baseline: string[]) =>
      run(CHECKOV, ['-d', stackDir, '--framework', 'terraform_json', '--compact', '--quiet', '--skip-download', ...baseline], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const baseline = JSON.parse(readFileSync(join(dir, 'checkov-baseline.json'), 'utf8'));
    expect(baseline.failed_checks[0].findings.length).toBeGreaterThan(0);
    for (const finding of baseline.failed_checks[0].findings) expect(finding.reason.length).toBeGreaterThan(40);
    const passed = await timed('checkov with the generated baseline', () => checkov(['--baseline', 'checkov-baseline.json']));
    expect(passed.stdout).not.toMatch(/Check: /);
    await expect(checkov([])).rejects.toMatchObject({ code: 1 });
  }, 120_000);
});

async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  return stdout.trim().split('\n').map((line) => line.replace(/^package\//, ''));
}

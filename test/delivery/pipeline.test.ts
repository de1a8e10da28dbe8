/**
 * The delivery entry points: the Jenkinsfile calls only make targets, and each exists (`make -n`);
 * the Makefile stops on a missing or unknown ENV before anything runs, plans to a file and applies
 * exactly that file; tool versions are pinned once; .ci/run runs the tests and checkov on every
 * environment; every checkov skip carries its reason. Nothing here runs terraform or checkov.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const ENVIRONMENTS = ['dev', 'stage', 'prod'];
const ENV_TARGETS = ['synth', 'test/checkov', 'init', 'plan', 'apply', 'plan-destroy', 'apply-destroy'];

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function make(...args: string[]): Promise<Result> {
  const env = { ...process.env };
  delete env.ENV;
  delete env.MAKEFLAGS;
  delete env.MAKELEVEL;
  try {
    const { stdout, stderr } = await execFileAsync('make', ['--no-print-directory', ...args], { cwd: REPO_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The shell steps of the Jenkinsfile (sh '...' and sh "..."). */
function shellSteps(jenkinsfile: string): string[] {
  return [...jenkinsfile.matchAll(/\bsh\s*\(?\s*(['"])(.*?)\1/g)].map((match) => match[2]!);
}

/** The values of the Jenkinsfile's matrix axis DEPLOY_ENV. */
function deployEnvironments(jenkinsfile: string): string[] {
  const axes = [...jenkinsfile.matchAll(/name\s+'DEPLOY_ENV'\s*\n\s*values\s+([^\n]+)/g)].map((match) => [...match[1]!.matchAll(/'([^']+)'/g)].map((value) => value[1]!));
  expect(axes.length).toBeGreaterThan(0);
  for (const axis of axes) expect(axis).toEqual(ENVIRONMENTS);
  return axes[0]!;
}

/** Every make invocation of the Jenkinsfile, with $DEPLOY_ENV replaced by each environment. */
function makeCalls(jenkinsfile: string): string[][] {
  const calls: string[][] = [];
  for (const step of shellSteps(jenkinsfile)) {
    const words = step.trim().split(/\s+/);
    expect(words[0]).toBe('make'); // the Makefile is the only entry point
    const values = /\$\{?DEPLOY_ENV\}?/.test(step) ? deployEnvironments(jenkinsfile) : [''];
    for (const value of values) calls.push(words.slice(1).map((word) => word.replace(/\$\{?DEPLOY_ENV\}?/, value)));
  }
  return calls;
}

describe('Jenkinsfile', () => {
  const jenkinsfile = read('Jenkinsfile');

  it('calls make targets that exist (make -n)', async () => {
    const calls = makeCalls(jenkinsfile);
    expect(calls.map((call) => call.join(' '))).toEqual(
      expect.arrayContaining(['install', 'build', 'test', ...ENVIRONMENTS.flatMap((env) => [`test/checkov ENV=${env}`, `plan ENV=${env}`, `apply ENV=${env}`])]),
    );
    for (const call of calls) {
      const result = await make('-n', ...call);
      if (result.code !== 0) throw new Error(`make -n ${call.join(' ')} failed:\n${result.stderr}`);
    }
  }, 60_000);

  it('installs, builds and tests every branch, then runs checkov on every environment in parallel', () => {
    const stages = [...jenkinsfile.matchAll(/^ {4}stage\('([^']+)'\)/gm)].map((match) => match[1]);
    expect(stages).toEqual(['Install', 'Build', 'Test', 'checkov', 'Plan', 'Apply']);
    const checkov = jenkinsfile.slice(jenkinsfile.indexOf("stage('checkov')"), jenkinsfile.indexOf("stage('Plan')"));
    expect(checkov).not.toContain('when');
    expect(checkov).toContain('matrix');
    expect(checkov).toContain("sh 'make test/checkov ENV=$DEPLOY_ENV'");
  });

  it('plans every environment on pull requests (and on main) and archives the plans; applies the saved plans on main only', () => {
    const plan = jenkinsfile.slice(jenkinsfile.indexOf("stage('Plan')"), jenkinsfile.indexOf("stage('Apply')"));
    expect(plan).toMatch(/when \{\s*anyOf \{\s*changeRequest\(\)\s*branch 'main'\s*\}\s*\}/);
    expect(plan).toContain("sh 'make plan ENV=$DEPLOY_ENV'");
    expect(plan).toMatch(/archiveArtifacts artifacts: "plans\/\$\{env\.DEPLOY_ENV\}\.tfplan, plans\/\$\{env\.DEPLOY_ENV\}\.txt"/);
    const apply = jenkinsfile.slice(jenkinsfile.indexOf("stage('Apply')"));
    expect(apply).toMatch(/when \{\s*branch 'main'\s*\}/);
    expect(apply).toContain("sh 'make apply ENV=$DEPLOY_ENV'");
  });

  it('pastes no credentials: AWS from the agent role or a credentials binding, and no Vault token', () => {
    expect(jenkinsfile).not.toMatch(/VAULT_TOKEN|AKIA[0-9A-Z]{16}|hv[sb]\.[A-Za-z0-9]/);
    expect(jenkinsfile).toContain("$class: 'AmazonWebServicesCredentialsBinding'");
    expect(jenkinsfile).toContain("env.VAULT_DR_AWS_FROM_AGENT_ROLE == 'true'");
    expect(jenkinsfile).not.toMatch(/credentials\('/); // no secret text pulled into the environment
  });

  it('runs in the container image defined in the repository, as an unprivileged user', () => {
    expect(jenkinsfile).toMatch(/dockerfile \{\s*filename 'ci\/Dockerfile'/);
    const dockerfile = read('ci/Dockerfile');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });
});

describe('Makefile', () => {
  const makefile = read('Makefile');

  it('pins its tool versions at the top, and the CI image installs the same terraform', () => {
    const head = makefile.split('\n').slice(0, 10).join('\n');
    const pinned = (name: string) => new RegExp(`^${name}\\s*:=\\s*(\\d+\\.\\d+\\.\\d+)$`, 'm').exec(head)?.[1];
    expect(pinned('CHECKOV_VERSION')).toBe('3.3.30');
    for (const tool of ['TERRAFORM_VERSION', 'PIPX_VERSION', 'MOTO_VERSION']) expect(pinned(tool)).toBeDefined();
    expect(/^ARG TERRAFORM_VERSION=(\S+)$/m.exec(read('ci/Dockerfile'))?.[1]).toBe(pinned('TERRAFORM_VERSION'));
    expect(makefile).toContain('pipx install --force "checkov==$(CHECKOV_VERSION)"');
  });

  it.each(ENV_TARGETS)('stops `make %s` without ENV before anything runs, saying what to pass', async (target) => {
    const result = await make('-n', target);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`ENV is not set: make ${target} ENV=<dev|stage|prod>`);
  });

  it.each([['qa'], ['dev stage'], ['Dev']])('stops on the unknown ENV "%s" before anything runs', async (value) => {
    const result = await make('plan', `ENV=${value}`);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Unknown ENV "${value}": make plan ENV=<dev|stage|prod>`);
  });

  it.each(ENVIRONMENTS)('plans %s in its synthesized folder to a file, and applies exactly that file', async (env) => {
    const plan = (await make('-n', 'plan', `ENV=${env}`)).stdout;
    const apply = (await make('-n', 'apply', `ENV=${env}`)).stdout;
    const planFile = join(REPO_ROOT, 'plans', `${env}.tfplan`);
    const chdir = `terraform -chdir=cdktf.out/stacks/vault-dr-${env}`;
    const order = ['npm run --silent synth -- ' + env, `${chdir} init -input=false`, `${chdir} plan -input=false`].map((command) => plan.indexOf(command));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(plan).toContain(`-out=${planFile}`);
    expect(apply).toContain(`${chdir} apply -input=false -no-color -lock-timeout=10m ${planFile}`);
    expect(apply).not.toMatch(/synth|terraform\S* plan|init/); // the saved plan, as it is
    expect(apply).toContain('terraform version');
  });

  it.each(ENVIRONMENTS)('plans and applies the destruction of %s the same way', async (env) => {
    const destroyFile = join(REPO_ROOT, 'plans', `${env}-destroy.tfplan`);
    expect((await make('-n', 'plan-destroy', `ENV=${env}`)).stdout).toContain(`plan -destroy -input=false -no-color -lock-timeout=10m -out=${destroyFile}`);
    expect((await make('-n', 'apply-destroy', `ENV=${env}`)).stdout).toContain(`apply -input=false -no-color -lock-timeout=10m ${destroyFile}`);
  });

  it('runs checkov with the terraform_json framework and the repository config on the synthesized stack', async () => {
    const { stdout } = await make('-n', 'test/checkov', 'ENV=prod');
    expect(stdout).toContain('checkov -d cdktf.out/stacks/vault-dr-prod --framework terraform_json --config-file .checkov.yaml');
  });

  it('has the drill, bench and release targets', async () => {
    expect((await make('-n', 'drill')).stdout).toContain('npm run --silent drill');
    expect((await make('-n', 'bench')).stdout).toContain('npm run --silent bench');
    expect((await make('-n', 'restore-drill')).stdout).toContain('tsx scripts/restore-drill/main.ts');
    expect((await make('help')).stdout).toContain('restore-drill: a snapshot restore really run');
    expect((await make('-n', 'release', 'VERSION=1.2.3')).stdout).toContain('tsx scripts/release/release.ts 1.2.3');
    expect((await make('-n', 'release')).stderr).toContain('VERSION is not set: make release VERSION=x.y.z');
  });
});

describe('.ci/run', () => {
  it('runs the tests and checkov on every environment, failing on the first failure', async () => {
    const script = read('.ci/run');
    expect(script).toContain('set -euo pipefail');
    const commands = script.split('\n').filter((line) => /^\s*(make|for)\b/.test(line));
    expect(commands).toEqual(['make test', 'make restore-drill', 'for environment in dev stage prod; do', '  make test/checkov ENV="$environment"']);
    await execFileAsync('bash', ['-n', join(REPO_ROOT, '.ci', 'run')]);
  });

  it('runs what the README documents: make test, and make test/checkov per environment', () => {
    const readme = read('README.md');
    expect(readme).toContain('make test ');
    expect(readme).toContain('make test/checkov ENV=');
  });
});

describe('.checkov.yaml', () => {
  it('gives each skipped check a reason in the comment above it, and turns off the download', () => {
    const lines = read('.checkov.yaml').split('\n');
    expect(lines).toContain('skip-download: true');
    const start = lines.indexOf('skip-check:');
    expect(start).toBeGreaterThan(-1);
    for (let i = start + 1; i < lines.length && !/^\S/.test(lines[i]!); i++) {
      if (/^\s*-\s/.test(lines[i]!)) {
        expect({ check: lines[i]!.trim(), reason: lines[i - 1]!.trim() }).toEqual({ check: expect.stringMatching(/^- CKV2?_[A-Z]+_\d+$/), reason: expect.stringMatching(/^#\s*\S/) });
      }
    }
  });

  it('is used by every checkov run: terraform_json reads no inline skips', () => {
    expect(existsSync(join(REPO_ROOT, '.checkov.yaml'))).toBe(true);
    expect(read('Makefile')).toMatch(/checkov .*--config-file \.checkov\.yaml/);
  });
});

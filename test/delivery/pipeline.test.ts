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

/** Every make invocation of the Jenkinsfile, with $DEPLOY_ENV or ${environment} replaced by each environment. */
function makeCalls(jenkinsfile: string): string[][] {
  const calls: string[][] = [];
  for (const step of shellSteps(jenkinsfile)) {
    const words = step.trim().split(/\s+/);
    expect(words[0]).toBe('make'); // the Makefile is the only entry point
    const variable = /\$\{?DEPLOY_ENV\}?|\$\{environment\}/;
    const values = variable.test(step) ? deployEnvironments(jenkinsfile) : [''];
    for (const value of values) calls.push(words.slice(1).map((word) => word.replace(variable, value)));
  }
  return calls;
}

/** The text of the block that starts at `from` (its first "{") up to the matching "}". */
function blockAt(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error(`unbalanced block at ${from}`);
}

/** A top-level function of the Jenkinsfile (`def name(...) { ... }`), whole. */
function functionBody(jenkinsfile: string, name: string): string {
  const at = jenkinsfile.search(new RegExp(`^def ${name}\\(`, 'm'));
  if (at < 0) throw new Error(`no function ${name} in the Jenkinsfile`);
  return blockAt(jenkinsfile, at);
}

/** The top-level stages of the pipeline, by name, in order, each with its whole block. */
function topStages(jenkinsfile: string): Array<{ name: string; body: string }> {
  return [...jenkinsfile.matchAll(/^ {4}stage\('([^']+)'\)/gm)].map((match) => ({ name: match[1]!, body: blockAt(jenkinsfile, match.index!) }));
}

describe('Jenkinsfile', () => {
  const jenkinsfile = read('Jenkinsfile');
  const stages = topStages(jenkinsfile);
  const stage = (name: string) => {
    const found = stages.find((s) => s.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found.body;
  };
  const deployStages = ['dev: plan and apply', 'stage: plan', 'stage: apply', 'prod: plan', 'prod: apply'];

  it('calls make targets that exist (make -n)', async () => {
    const calls = makeCalls(jenkinsfile);
    expect(calls.map((call) => call.join(' '))).toEqual(
      expect.arrayContaining([
        'install',
        'build',
        'test',
        ...ENVIRONMENTS.flatMap((env) => [`test/checkov ENV=${env}`, `plan ENV=${env}`, `init ENV=${env}`, `apply ENV=${env}`]),
      ]),
    );
    for (const call of calls) {
      const result = await make('-n', ...call);
      if (result.code !== 0) throw new Error(`make -n ${call.join(' ')} failed:\n${result.stderr}`);
    }
  }, 60_000);

  it('tests every branch, runs checkov on every environment, plans pull requests, and applies main in order: dev, stage, prod', () => {
    expect(stages.map((s) => s.name)).toEqual([
      'Test',
      'checkov',
      'Plan (read-only)',
      'dev: plan and apply',
      'stage: plan',
      'stage: approve',
      'stage: apply',
      'prod: plan',
      'prod: approve',
      'prod: apply',
    ]);
    expect(stage('Test')).not.toContain('when');
    expect(stage('checkov')).not.toContain('when');
    expect(stage('checkov')).toContain('matrix');
    expect(stage('checkov')).toContain("sh 'make test/checkov ENV=$DEPLOY_ENV'");
  });

  describe('pull requests', () => {
    const plan = () => stage('Plan (read-only)');

    it('plan every environment, in pull requests only, and archive the plans', () => {
      expect(plan()).toMatch(/when \{\s*beforeAgent true\s*changeRequest\(\)\s*\}/);
      expect(plan()).toContain('matrix');
      expect(plan()).toContain("sh 'make plan ENV=$DEPLOY_ENV'");
      expect(plan()).toMatch(/archiveArtifacts artifacts: "plans\/\$\{env\.DEPLOY_ENV\}\.tfplan, plans\/\$\{env\.DEPLOY_ENV\}\.txt"/);
    });

    it('plan with the read-only identity: its credentials, Vault\'s read-only plan role, no state lock', () => {
      expect(plan()).toContain('withPlanIdentity(env.DEPLOY_ENV)');
      expect(plan()).not.toMatch(/withApplyIdentity|vault-dr-apply|make apply|make init|planForApply|applySavedPlan/);
      const identity = functionBody(jenkinsfile, 'withPlanIdentity');
      expect(identity).toContain('credentialsId: "vault-dr-plan-${environment}"');
      expect(identity).toContain("'TF_VAR_read_only_plan=true'");
      expect(identity).toContain("'TF_CLI_ARGS_plan=-lock=false'");
      expect(identity).not.toContain('vault-dr-apply');
    });

    it('run every branch\'s code (tests, checkov, read-only plans) on read-only agents only', () => {
      for (const name of ['Test', 'checkov', 'Plan (read-only)']) {
        expect(stage(name)).toContain("label 'vault-dr-readonly'");
        expect(stage(name)).not.toContain("label 'vault-dr-deploy'");
      }
    });
  });

  describe('main', () => {
    it('deploys from main only, decided before a deploy agent is taken, and on deploy agents only', () => {
      for (const name of [...deployStages, 'stage: approve', 'prod: approve']) {
        expect({ name, when: /when \{\s*\/\/[^\n]*\n(?:\s*\/\/[^\n]*\n)*\s*beforeAgent true\s*branch 'main'\s*\}/.test(stage(name)) }).toEqual({ name, when: true });
      }
      for (const name of deployStages) expect(stage(name)).toContain("label 'vault-dr-deploy'");
      // Nothing but these stages may take the apply identity.
      const outside = stages.filter((s) => !deployStages.includes(s.name)).map((s) => s.body).join('\n');
      expect(outside).not.toMatch(/withApplyIdentity|planForApply|applySavedPlan|vault-dr-apply/);
    });

    it('applies dev at once, from the plan it just made', () => {
      expect(stage('dev: plan and apply')).toMatch(/planForApply\('dev'\)\s*applySavedPlan\('dev'\)/);
      expect(stage('dev: plan and apply')).not.toContain('approve(');
    });

    it.each(['stage', 'prod'])('applies %s only after an approval by the approvers\' group, of the plan made before it', (env) => {
      const order = [`${env}: plan`, `${env}: approve`, `${env}: apply`].map((name) => stages.findIndex((s) => s.name === name));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order[1]! - order[0]!).toBe(1);
      expect(order[2]! - order[1]!).toBe(1);
      expect(stage(`${env}: plan`)).toContain(`planForApply('${env}')`);
      expect(stage(`${env}: approve`)).toContain(`approve('${env}')`);
      expect(stage(`${env}: approve`)).not.toMatch(/\bagent\s*\{/); // no executor is held while a person reads the plan
      expect(stage(`${env}: apply`)).toContain(`applySavedPlan('${env}')`);
      expect(stage(`${env}: apply`)).not.toMatch(/planForApply|make plan/);
    });

    it('goes dev, then stage, then prod', () => {
      const at = (name: string) => stages.findIndex((s) => s.name === name);
      expect(at('dev: plan and apply')).toBeLessThan(at('stage: plan'));
      expect(at('stage: apply')).toBeLessThan(at('prod: plan'));
    });

    it('restricts the approval to a group with input\'s submitter, and shows the plan, its file and checksum', () => {
      expect(jenkinsfile).toMatch(/^APPROVERS = 'vault-dr-approvers'$/m);
      const approval = functionBody(jenkinsfile, 'approve');
      expect(approval).toMatch(/input\(/);
      expect(approval).toContain('submitter: APPROVERS');
      expect(approval).toContain('PLANS[environment].text');
      expect(approval).toContain('PLANS[environment].sha256');
      expect(approval).toMatch(/timeout\(time: \d+, unit: 'DAYS'\)/);
    });

    it('records the checksum and text of each plan when it is made, archives and stashes the file', () => {
      const planning = functionBody(jenkinsfile, 'planForApply');
      expect(planning).toContain('withApplyIdentity(environment)');
      expect(planning).toContain('sh "make plan ENV=${environment}"');
      expect(planning).toContain('archiveArtifacts artifacts: "plans/${environment}.tfplan, plans/${environment}.txt"');
      expect(planning).toContain('stash name: "plan-${environment}"');
      expect(planning).toContain('sha256(file: "plans/${environment}.tfplan")');
      expect(planning).toContain('readFile("plans/${environment}.txt")');
    });

    it('applies exactly the stashed plan, after checking its checksum against the one recorded, and never plans again', () => {
      const applying = functionBody(jenkinsfile, 'applySavedPlan');
      expect(applying).not.toContain('make plan');
      const steps = ['unstash "plan-${environment}"', 'sh "make init ENV=${environment}"', 'verifySha256(file: "plans/${environment}.tfplan", hash: PLANS[environment].sha256)', 'sh "make apply ENV=${environment}"'];
      const at = steps.map((step) => applying.indexOf(step));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(functionBody(jenkinsfile, 'withApplyIdentity')).toContain('credentialsId: "vault-dr-apply-${environment}"');
    });
  });

  it('pastes no credentials: AWS from credentials bindings, and no Vault token', () => {
    expect(jenkinsfile).not.toMatch(/VAULT_TOKEN|AKIA[0-9A-Z]{16}|hv[sb]\.[A-Za-z0-9]/);
    expect(jenkinsfile).toContain("$class: 'AmazonWebServicesCredentialsBinding'");
    expect(jenkinsfile).not.toMatch(/credentials\('/); // no secret text pulled into the environment
    expect(jenkinsfile).not.toContain('VAULT_DR_AWS_FROM_AGENT_ROLE'); // an agent's own role would reach pull requests
  });

  it('runs in the container image defined in the repository, as an unprivileged user', () => {
    const agents = [...jenkinsfile.matchAll(/dockerfile \{\s*filename '([^']+)'/g)].map((match) => match[1]);
    expect(agents.length).toBeGreaterThan(0);
    expect(new Set(agents)).toEqual(new Set(['ci/Dockerfile']));
    expect(jenkinsfile).toMatch(/pipeline \{\s*agent none/);
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
    expect((await make('-n', 'local-world')).stdout).toMatch(/tsx scripts\/local-world\.ts$/m);
    expect((await make('-n', 'local-world', 'STANDALONE=1')).stdout).toContain('tsx scripts/local-world.ts --standalone');
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
    expect(commands).toEqual([
      'make test',
      'make chaos RUNS=300 SEED=1961360229',
      'make chaos RUNS=100 SEED=20261209 PERFORMANCE=1',
      'make drill SCENARIO=auto',
      'make drill SCENARIO=watchdog-partition',
      'make drill SCENARIO=upgrade',
      'make drill SCENARIO=three-clusters',
      'make restore-drill',
      'for environment in dev stage prod; do',
      '  make test/checkov ENV="$environment"',
    ]);
    await execFileAsync('bash', ['-n', join(REPO_ROOT, '.ci', 'run')]);
  });

  it('runs what the README documents: make test, and make test/checkov per environment', () => {
    const readme = read('README.md');
    expect(readme).toContain('make test ');
    expect(readme).toContain('make test/checkov ENV=');
  });
});

describe('.checkov.yaml and the accepted findings', () => {
  const config = read('.checkov.yaml');
  const baseline = JSON.parse(read('ci/checkov-baseline.json')) as {
    failed_checks: Array<{ file: string; findings: Array<{ resource: string; check_ids: string[]; reason: string }> }>;
  };
  const findings = baseline.failed_checks.flatMap((f) => f.findings);

  it('skips no check for every resource, turns off the download, and applies the baseline, printing what it accepts as skipped', () => {
    const lines = config.split('\n');
    expect(lines).toContain('skip-download: true');
    expect(lines.some((line) => /^\s*skip-check\s*:/.test(line))).toBe(false);
    expect(lines).toContain('baseline: ci/checkov-baseline.json');
    expect(lines).toContain('output-baseline-as-skipped: true');
  });

  it('accepts each finding for one named resource and one check, with its reason', () => {
    expect(baseline.failed_checks.map((f) => f.file)).toEqual(['/cdk.tf.json']);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      // Logical ids may hold a hyphen: construct ids that carry a cluster's name (PerformanceCluster-euw1).
      expect(finding.resource).toMatch(/^(aws_[a-z0-9_]+|resource)\.[A-Za-z0-9_-]+_[0-9A-F]{8}$/);
      expect(finding.check_ids).toHaveLength(1);
      expect(finding.check_ids[0]).toMatch(/^CKV2?_AWS_\d+$/);
      expect(finding.reason.length).toBeGreaterThan(40);
    }
    const pairs = findings.map((f) => `${f.resource} ${f.check_ids[0]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('is used by every checkov run: terraform_json reads no inline skips', () => {
    expect(existsSync(join(REPO_ROOT, '.checkov.yaml'))).toBe(true);
    expect(read('Makefile')).toMatch(/checkov .*--config-file \.checkov\.yaml/);
  });
});

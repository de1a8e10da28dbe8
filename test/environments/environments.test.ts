import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, ENVIRONMENTS, selectEnvironments, UnknownEnvironmentError } from '../../environments/app';
import { storedZip } from '../../modules/dr-automation/private/stored-zip';
import { TerraformStack } from '../../modules/internal/cdktf';
import { REPO_ROOT } from '../modules/support/import-rules';
import { OUTDIR, synthesizeStack, type Synthesized } from '../modules/support/synthesized';

const run = promisify(execFile);
const NAMES = ['dev', 'stage', 'prod'];
const BUNDLES = join(REPO_ROOT, 'dist', 'functions');

/** The resource and data source addresses of a stack, without the hash suffixes. */
function addresses(synth: Synthesized): string[] {
  const blocks = { ...synth.doc.resource, ...Object.fromEntries(Object.entries(synth.doc.data ?? {}).map(([t, b]) => [`data.${t}`, b])) };
  return Object.entries(blocks as Record<string, Record<string, unknown>>)
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
    .sort();
}

describe('environments', () => {
  describe('selection', () => {
    it('means every environment when none is named, or "all"', () => {
      expect(selectEnvironments(undefined)).toEqual(NAMES);
      expect(selectEnvironments('')).toEqual(NAMES);
      expect(selectEnvironments('all')).toEqual(NAMES);
    });

    it.each(NAMES)('selects %s by name', (name) => {
      expect(selectEnvironments(name)).toEqual([name]);
    });

    it('refuses an unknown name with the list of valid ones', () => {
      expect(() => selectEnvironments('qa')).toThrow(UnknownEnvironmentError);
      expect(() => selectEnvironments('qa')).toThrow('Unknown environment "qa". Valid names: dev, stage, prod, or "all"');
      expect(() => selectEnvironments('toString')).toThrow(UnknownEnvironmentError);
    });

    it('fails the command line with that message and a non-zero exit code', async () => {
      const attempt = run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['environments/main.ts', 'qa'], { cwd: REPO_ROOT });
      await expect(attempt).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('Unknown environment "qa". Valid names: dev, stage, prod'),
      });
    });
  });

  describe('synthesized with the real function bundles', () => {
    const synths: Record<string, Synthesized> = {};

    beforeAll(() => {
      const app = buildApp(selectEnvironments('all'), { outdir: OUTDIR });
      for (const stack of app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack)) {
        synths[stack.node.id] = synthesizeStack(stack);
      }
    });

    it('has one stack per environment', () => {
      expect(Object.keys(synths)).toEqual(['vault-dr-dev', 'vault-dr-stage', 'vault-dr-prod']);
    });

    it('builds one environment alone when it is named', () => {
      const app = buildApp(selectEnvironments('stage'), { outdir: OUTDIR });
      expect(app.node.children.map((child) => child.node.id)).toEqual(['vault-dr-stage']);
    });

    it('gives the environments the same resources: they differ only in their values', () => {
      const [first, ...others] = NAMES.map((name) => addresses(synths[`vault-dr-${name}`]!));
      for (const other of others) expect(other).toEqual(first);
    });

    it('defines every environment with the same settings, each in its own file', () => {
      const [first, ...others] = NAMES.map((name) => Object.keys(ENVIRONMENTS[name]!).sort());
      for (const other of others) expect(other).toEqual(first);
      for (const name of NAMES) expect(ENVIRONMENTS[name]!.environment).toBe(name);
    });

    it.each(NAMES)('%s uses its own names, account, state key and endpoints', (name) => {
      const synth = synths[`vault-dr-${name}`]!;
      const environment = ENVIRONMENTS[name]!;
      expect(Object.values(synth.resources('aws_lambda_function')).map((fn) => fn.function_name).sort()).toEqual(
        ['dns-switch', 'dr-operations', 'dr-token-generator', 'vault-login'].map((purpose) => `${purpose}-${name}-${environment.identifier}`),
      );
      expect(synth.doc.terraform.backend.s3.key).toBe(`vault-dr/${name}/terraform.tfstate`);
      expect(synth.doc.provider.aws[0].allowed_account_ids).toEqual([environment.awsAccountId]);
      expect(synth.doc.provider.vault[0].address).toBe(environment.vaultAddress);
      expect(Object.values(synth.resources('aws_route53_record')).map((r) => r.set_identifier).sort()).toEqual(
        [environment.clusters.primary.name, environment.clusters.dr.name].sort(),
      );
    });

    it.each(NAMES)('%s ships the built bundles with its own CA bundle', (name) => {
      const synth = synths[`vault-dr-${name}`]!;
      const ca = readFileSync(ENVIRONMENTS[name]!.vaultCaBundleFile);
      for (const fn of Object.values(synth.resources('aws_lambda_function'))) {
        const logical = (fn.function_name as string).replace(`-${name}-main`, '');
        const archive = storedZip([
          { name: 'index.js', data: readFileSync(join(BUNDLES, logical, 'index.js')) },
          { name: 'vault-ca.pem', data: ca },
        ]);
        expect(fn.source_code_hash).toBe(createHash('sha256').update(archive).digest('base64'));
      }
    });
  });
});

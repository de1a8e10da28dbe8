import { importedModules, isCdktfImport, isProviderRootImport, read, sourceFiles } from './support/import-rules';

/** The folders whose code runs in some process of this project. */
const ALL_CODE = ['modules', 'stacks', 'environments', 'functions', 'test', 'scripts'];

/**
 * The code that reaches cdktf only through modules/internal/, so that moving to cdktf's maintained
 * fork is a rename there: every construct module (modules/internal/ itself excepted), the stacks,
 * the environments and their tests.
 */
const SEAM_GOVERNED = ['modules', 'stacks', 'environments', 'test/modules', 'test/stacks', 'test/environments'];
const SEAM = 'modules/internal/';

describe('import boundaries', () => {
  it('never imports a provider package from its root (3 s and 550 MB per process): deep paths only', () => {
    const files = sourceFiles(ALL_CODE);
    expect(files).toEqual(expect.arrayContaining(['modules/dr-automation/dr-automation.ts', 'stacks/vault-dr-stack.ts', 'environments/main.ts']));
    const offenders = files.flatMap((file) =>
      importedModules(read(file))
        .filter(isProviderRootImport)
        .map((specifier) => `${file}: '${specifier}' (import '${specifier}/lib/<resource>' instead)`),
    );
    expect(offenders).toEqual([]);
  });

  it('reaches cdktf and its providers only through modules/internal/', () => {
    const files = sourceFiles(SEAM_GOVERNED);
    expect(files).toEqual(
      expect.arrayContaining([
        'modules/index.ts',
        'modules/vault-cluster/vault-cluster.ts',
        'modules/vault-cluster/private/node-group.ts',
        'modules/vault-snapshots/snapshot-bucket.ts',
        'modules/vault-snapshots/private/locked-bucket.ts',
        'stacks/vault-dr-stack.ts',
        'test/modules/support/synthesized.ts',
        'test/modules/vault-cluster/vault-cluster.test.ts',
        'test/modules/vault-snapshots/snapshot-bucket.test.ts',
      ]),
    );
    const offenders = files
      .filter((file) => !file.startsWith(SEAM))
      .flatMap((file) =>
        importedModules(read(file))
          .filter(isCdktfImport)
          .map((specifier) => `${file}: '${specifier}'`),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps the Vault policy texts free of cdktf and constructs: the test harness grants the same texts to the functions', () => {
    expect(importedModules(read('modules/dr-automation/private/vault-policy-text.ts'))).toEqual([]);
    expect(importedModules(read('test/support/dr-harness.ts'))).toContain('../../modules/dr-automation/private/vault-policy-text');
  });

  describe('the rules themselves', () => {
    const provider = '@cdktf/' + 'provider-aws';

    it.each([
      [`import { AwsProvider } from '${provider}';`, [provider]],
      [`import * as aws from "${provider}";`, [provider]],
      [`export { LambdaFunction } from '${provider}';`, [provider]],
      [`const aws = require('${provider}');`, [provider]],
      [`const aws = await import('${provider}');`, [provider]],
      [`import '${provider}';`, [provider]],
    ])('flags %s', (source, expected) => {
      expect(importedModules(source).filter(isProviderRootImport)).toEqual(expected);
    });

    it.each([
      `import { LambdaFunction } from '${provider}/lib/lambda-function';`,
      `import { AwsProvider } from "${provider}/lib/provider";`,
      `import { Construct } from 'constructs';`,
    ])('lets %s pass', (source) => {
      expect(importedModules(source).filter(isProviderRootImport)).toEqual([]);
    });

    it('recognises cdktf imports', () => {
      const cdktf = 'cdk' + 'tf'; // spelled apart so this file does not flag itself
      expect(importedModules(`import { App } from '${cdktf}';\nimport { Testing } from '${cdktf}/lib/testing';`).every(isCdktfImport)).toBe(true);
      expect(isCdktfImport('constructs')).toBe(false);
    });
  });
});

// Mutation testing of the decision code (`make mutation`; docs/mutation-testing.md).
//
// Each module is mutated whole, or only its named decision functions where it also holds the
// orchestration that calls Vault and Route 53 (that part needs the simulator and moto: it is tested
// end to end by test/functions/dr-operations/*, not by this fast set). Functions are named rather than
// given as line ranges so that an edit to a file moves the ranges with it; a name that no longer
// exists stops the run with an error instead of silently mutating nothing.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** The modules, each with the functions to mutate (`'*'`: the whole file). */
export const MODULES = {
  'functions/shared/cluster-probe.ts': '*',
  'functions/shared/recorded-primary.ts': '*',
  'functions/dr-operations/failover.ts': ['refusal', 'chooseBetweenSecondaries', 'planFailover'],
  'functions/dr-operations/switchover.ts': ['planSwitchover'],
  'functions/dr-operations/link.ts': ['planLink'],
  'functions/dr-operations/liveness.ts': '*',
  'functions/dr-operations/promote-outcome.ts': '*',
  'functions/dns-switch/choose-primary.ts': '*',
  'functions/dns-switch/switch-weights.ts': '*',
};

/** `make mutation` fails when any module kills fewer of its mutants than this (percent). */
export const MINIMUM_SCORE = 90;

/**
 * The tests that run against the mutants: the dedicated unit tests of the decisions, pure and fast
 * (no servers). The end-to-end tests against the simulator and moto are not run here.
 */
export const TEST_FILES = ['test/functions/decisions/**/*.test.ts'];

/** `file:firstLine-lastLine` for each named top-level function (or const arrow function) of `file`. */
export function functionRanges(file, names) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found = new Map();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) found.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) found.set(declaration.name.text, declaration);
      }
    }
  }
  return names.map((name) => {
    const node = found.get(name);
    if (node === undefined) throw new Error(`stryker.config.mjs: ${file} has no top-level function ${name}; update MODULES`);
    const line = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
    return `${file}:${line(node.getStart(source))}-${line(node.getEnd())}`;
  });
}

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  allowConsoleColors: false,
  jest: {
    projectType: 'custom',
    // The same transform as jest.config.js, limited to the unit tests above.
    config: {
      rootDir: '.',
      testEnvironment: 'node',
      watchman: false, // Jest would look for watchman on every one of the ~1000 runs
      transform: { '^.+\\.ts$': swc },
      moduleFileExtensions: ['ts', 'js', 'json'],
      roots: ['<rootDir>/functions', '<rootDir>/test/functions/decisions'],
      testMatch: TEST_FILES.map((pattern) => `<rootDir>/${pattern}`),
    },
    // Each mutant runs only the test files that import its module.
    enableFindRelatedTests: true,
  },
  mutate: Object.entries(MODULES).flatMap(([file, names]) => (names === '*' ? [file] : functionRanges(file, names))),
  // Only the tests and the code they import are copied to the sandbox (not .tools, cdktf.out, ...).
  ignorePatterns: ['/*', '!/functions', '!/test', '/test/*', '!/test/functions', '/test/functions/*', '!/test/functions/decisions', '!/package.json', '!/tsconfig.json'],
  coverageAnalysis: 'perTest',
  // Reruns test only the mutants whose code or covering tests changed. The file is git-ignored: a score
  // is measured, never carried by a commit (docs/mutation-testing.md).
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'json', 'html', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // The survivors with their diffs; scripts/mutation-score.ts prints the score per module and gates it.
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportScoreTable: false, reportMutants: true },
  thresholds: { high: 95, low: MINIMUM_SCORE, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

// Three projects so each can be run alone (`npx jest --selectProjects functions`) and so the
// slow, process-spawning delivery tests do not share workers with the fast synth assertions.
// Type checking is done once by `tsc --noEmit` (make typecheck), not per test file: swc only strips
// types, which keeps a cold test file near one second.
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/', '<rootDir>/.releases/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'constructs',
      testMatch: [
        '<rootDir>/test/modules/**/*.test.ts',
        '<rootDir>/test/stacks/**/*.test.ts',
        '<rootDir>/test/environments/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'functions',
      testMatch: [
        '<rootDir>/test/functions/**/*.test.ts',
        '<rootDir>/test/vault-simulator/**/*.test.ts',
        '<rootDir>/test/support/**/*.test.ts',
        // The operator CLI end to end against the local world (and its pure parts).
        '<rootDir>/test/cli/**/*.test.ts',
        // The synthesized Vault policies on a real policy engine (OpenBao): a server, like the simulator's tests.
        '<rootDir>/test/policy-engine/**/*.test.ts',
        '<rootDir>/test/restore-drill/**/*.test.ts',
        // The chaos oracle and the drill scenarios against the real functions (make chaos runs the long property).
        '<rootDir>/test/chaos/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'delivery',
      testMatch: ['<rootDir>/test/delivery/**/*.test.ts', '<rootDir>/test/docs/**/*.test.ts'],
    },
  ],
};

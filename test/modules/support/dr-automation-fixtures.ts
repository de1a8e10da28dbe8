import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrAutomationProps } from '../../../modules';

/** Small stand-ins for dist/functions, as aws-cdk's construct tests mock the bundler. */
export const FIXTURE_BUNDLES_DIRECTORY = join(__dirname, 'fixtures', 'function-bundles');
/** A self-signed CA certificate (its key was discarded). */
export const FIXTURE_CA_PEM = readFileSync(join(__dirname, 'fixtures', 'vault-ca.pem'), 'utf8');

export const CLUSTERS = {
  primary: { name: 'vault-test-use1', address: 'https://vault-test-use1.example.com:8200' },
  dr: { name: 'vault-test-usw2', address: 'https://vault-test-usw2.example.com:8200' },
} as const;

export const VAULT_ADDRESS = 'https://vault-test.example.com:8200';
export const HOSTED_ZONE_ID = 'Z0TEST0EXAMPLE';

/** The identity that applies the test stacks: named, so the key policies do not depend on who synthesizes. */
export const KEY_ADMINISTRATOR = 'arn:aws:iam::111111111111:role/vault-dr-terraform-apply';
export const BREAK_GLASS_ROLE = 'arn:aws:iam::111111111111:role/vault-dr-break-glass';

/** Props that build: only the required ones, and the fixture bundles. */
export function drAutomationProps(overrides: Partial<DrAutomationProps> = {}): DrAutomationProps {
  return {
    environment: 'test',
    identifier: 'main',
    vaultAddress: VAULT_ADDRESS,
    clusters: CLUSTERS,
    hostedZoneId: HOSTED_ZONE_ID,
    vaultCaBundlePem: FIXTURE_CA_PEM,
    functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY,
    ...overrides,
  };
}

/** Function names for environment `test`, identifier `main`. */
export const FUNCTION_NAMES = {
  'dr-token-generator': 'dr-token-generator-test-main',
  'dr-operations': 'dr-operations-test-main',
  'dns-switch': 'dns-switch-test-main',
  'dr-watchdog': 'dr-watchdog-test-main',
} as const;

/**
 * dr-operations' performance operations policy as the tests expect it, written from HashiCorp's
 * performance replication docs (not from the construct): secondary-token on the primary needs sudo,
 * update-primary on a performance secondary does not, nor does enabling performance replication on
 * the primary (bootstrap of a performance secondary), exact paths only.
 */
export const PERFORMANCE_OPERATIONS_POLICY_HCL = [
  'path "sys/replication/performance/primary/enable" {',
  '  capabilities = ["update"]',
  '}',
  '',
  'path "sys/replication/performance/primary/secondary-token" {',
  '  capabilities = ["update", "sudo"]',
  '}',
  '',
  'path "sys/replication/performance/secondary/update-primary" {',
  '  capabilities = ["update"]',
  '}',
  '',
].join('\n');

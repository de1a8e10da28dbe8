/**
 * The drill's local world, left running so that vault-dr can be tried against it: two simulated
 * Vault Enterprise clusters (east primary, west its DR secondary; or, with --standalone, both with
 * DR replication disabled, to try bootstrap), moto (Route 53, Secrets Manager, STS, DynamoDB,
 * CloudWatch Logs) and a local Lambda Invoke endpoint running the four functions (dr-watchdog in notify) with their own
 * defaults, each invocation's output shipped to its log group as Lambda does.
 *
 * It writes .local-world/env.sh (the AWS endpoint variables, fake credentials, the deployment's
 * environment and identifier, and a `vault-dr` shell function that runs the bundled CLI), prints
 * how to use it, and reads commands on standard input to break things: `east down`, `east
 * blackhole`, `east sealed`, `east none`. Ctrl-C stops everything and removes .local-world/.
 *
 *   make local-world                 (or: npm run world, npm run world -- --standalone)
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { refreshDrToken } from '../functions/dr-token-generator/handler';
import { DR_OPERATIONS_OWN_VARIABLES } from '../functions/dr-operations/settings';
import { VAULT_VARIABLES } from '../functions/shared/settings/common';
import { createDrWorld, ENVIRONMENT, IDENTIFIER, startAwsDoubles, type AwsDoubles, type DrWorld } from '../test/support/dr-harness';
import { captureStdout } from '../test/support/log-capture';
import type { ClusterFault } from '../test/vault-simulator';

const ROOT = resolve(__dirname, '..');
const STATE_DIR = join(ROOT, '.local-world');
const FAULTS: readonly ClusterFault[] = ['none', 'down', 'blackhole', 'slow', 'sealed', 'error500'];

/** The functions' own defaults (their settings modules), as the drill runs them. */
const defaultsOf = (variables: Record<string, { name: string; defaultRaw: string | undefined }>) =>
  Object.fromEntries(Object.values(variables).flatMap((v) => (v.defaultRaw === undefined ? [] : [[v.name, v.defaultRaw]])));

function shellEnv(aws: AwsDoubles, cli: string): string {
  const env: Record<string, string> = {
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIALOCALWORLD000000',
    AWS_SECRET_ACCESS_KEY: 'local-world-not-a-secret',
    AWS_ENDPOINT_URL: aws.moto.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: aws.lambda.endpoint,
    VAULT_DR_ENVIRONMENT: ENVIRONMENT,
    VAULT_DR_IDENTIFIER: IDENTIFIER,
  };
  return [
    '# The local world of scripts/local-world.ts: source it, then run vault-dr.',
    'unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE',
    ...Object.entries(env).map(([k, v]) => `export ${k}='${v}'`),
    `vault-dr() { node '${cli}' "$@"; }`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const standalone = process.argv.includes('--standalone');
  const cli = join(ROOT, 'dist', 'cli', 'vault-dr.js');
  let aws: AwsDoubles | undefined;
  let world: DrWorld | undefined;
  const stop = async (code: number) => {
    await world?.stop().catch(() => undefined);
    await aws?.stop().catch(() => undefined);
    rmSync(STATE_DIR, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    console.log(`Starting the local world: two simulated Vault Enterprise clusters (${standalone ? 'both with DR replication disabled' : 'east primary, west its DR secondary'}), moto and a local Lambda endpoint...`);
    aws = await startAwsDoubles({ shipLogs: true });
    world = await createDrWorld(aws, {
      transitionMs: 1000,
      ...(standalone ? { initialState: 'standalone' as const } : {}),
      envOverrides: { ...defaultsOf(VAULT_VARIABLES), ...defaultsOf(DR_OPERATIONS_OWN_VARIABLES), LOG_LEVEL: 'info' },
    });
    const w = world;
    if (!standalone) {
      const { error } = await captureStdout(() => refreshDrToken(w.env.generator));
      if (error) throw error;
    }
    mkdirSync(STATE_DIR, { recursive: true });
    const envFile = join(STATE_DIR, 'env.sh');
    writeFileSync(envFile, shellEnv(aws, cli));
    const tokenFile = join(STATE_DIR, 'west-token');
    if (standalone) {
      // The would-be secondary's root token, as `vault operator init` would have handed it over.
      writeFileSync(tokenFile, `${w.vault.rootToken}\n`, { mode: 0o600 });
      chmodSync(tokenFile, 0o600);
    }
    const [east, west] = w.vault.clusters;
    console.log('');
    console.log(`east ${east.address}, west ${west.address}; functions dr-operations-${ENVIRONMENT}-${IDENTIFIER}, dns-switch-${ENVIRONMENT}-${IDENTIFIER}, dr-token-generator-${ENVIRONMENT}-${IDENTIFIER}.`);
    console.log('');
    console.log('In another terminal, in this directory:');
    console.log('');
    console.log('  source .local-world/env.sh');
    if (standalone) {
      console.log('  vault-dr status');
      console.log('  vault-dr bootstrap --primary east --secondary-token-file .local-world/west-token --dry-run');
      console.log('  vault-dr bootstrap --primary east --secondary-token-file .local-world/west-token');
      console.log('  vault-dr refresh-token && vault-dr status');
    } else {
      console.log('  vault-dr status');
      console.log('  vault-dr switchover --dry-run');
      console.log('  vault-dr failover                 (refused: east is a healthy primary)');
      console.log('  (type "east down" here), then: vault-dr failover');
      console.log('  (type "east none" here), then: vault-dr status; vault-dr link --demote east');
    }
    console.log('');
    console.log(`Here: "<east|west> <${FAULTS.join('|')}>" breaks or mends a cluster; Ctrl-C stops everything.`);
    const input = createInterface({ input: process.stdin });
    input.on('line', (line) => {
      const [name, fault] = line.trim().split(/\s+/);
      if (!name) return;
      if (!w.names.includes(name) || !FAULTS.includes(fault as ClusterFault)) {
        console.log(`usage: <${w.names.join('|')}> <${FAULTS.join('|')}>`);
        return;
      }
      void w.vault
        .cluster(name)
        .setFault(fault as ClusterFault)
        .then(() => console.log(`${name}: ${fault}`));
    });
    // Standard input closed (not a terminal): keep running until a signal.
    input.on('close', () => undefined);
  } catch (err) {
    console.error(err);
    await stop(1);
  }
}

void main();

/**
 * vault-dr end to end: the published bin (cli/main.ts bundled by scripts/build-cli.ts into a
 * directory outside the repository, so it runs with nothing installed beside it) as a child
 * process, against the drill's local world: two simulated clusters, moto, and the local Lambda
 * endpoint running dr-operations, dns-switch and dr-token-generator, whose output is shipped to
 * moto's CloudWatch Logs as Lambda ships it. The CLI finds the functions by the construct's naming
 * rule from --environment/--identifier (the world's: dev, test), its credentials from the SDK's
 * default chain (environment variables, or a profile), and AWS_ENDPOINT_URL points it at moto.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../../scripts/build-cli';
import { EXIT_CODES } from '../../cli/exit-codes';
import { vaultRequest } from '../vault-simulator';
import type { DrWorld, DrWorldOptions } from '../support/dr-harness';
import { freshWorlds } from '../support/testbed';

jest.setTimeout(60_000);

const REPO = join(__dirname, '..', '..');
const testbed = freshWorlds({ shipLogs: true });
let dir: string;
let cli: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vault-dr-cli-'));
  cli = buildCli(REPO, join(dir, 'bin'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Each stderr line with the ms (since the start) at which it arrived. */
  readonly stderrLines: readonly { readonly at: number; readonly line: string }[];
  /** Ms from the start to the exit. */
  readonly tookMs: number;
}

/** The environment a shell would give vault-dr after `source .local-world/env.sh`, and nothing of this machine's AWS set-up. */
function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const aws = testbed.aws;
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIAOPERATOR00000000',
    AWS_SECRET_ACCESS_KEY: 'operator-secret',
    AWS_ENDPOINT_URL: aws.moto.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: aws.lambda.endpoint,
    VAULT_DR_ENVIRONMENT: 'dev',
    VAULT_DR_IDENTIFIER: 'test',
    ...extra,
  };
}

function vaultDr(args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [cli, ...args], { env: options.env ?? cliEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const stderrLines: { at: number; line: string }[] = [];
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) stderrLines.push({ at: Date.now() - started, line });
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, stderrLines, tookMs: Date.now() - started }));
  });
}

const newWorld = (options: DrWorldOptions = {}) => testbed.create(options);
const roles = (w: DrWorld) => w.vault.clusters.map((c) => `${c.name}:${c.drMode()}`).join(' ');

describe('vault-dr status', () => {
  it('shows the clusters as a table, exits 0 when nothing needs doing, and --json gives the answer', async () => {
    const w = await newWorld();
    await w.storeDrToken({ ttl: '8h' });
    const run = await vaultDr(['status']);
    expect(run.code).toBe(EXIT_CODES.succeeded);
    expect(run.stdout).toMatch(/^status succeeded: east is the primary; west/);
    expect(run.stdout).toMatch(/│ east +│ primary +│ running/);
    expect(run.stdout).toMatch(/│ west +│ dr-secondary +│ stream-wals +│ connected/);
    expect(run.stdout).toContain('Next: nothing to do.');
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');

    const json = await vaultDr(['status', '--json', '--quiet']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toEqual(expect.objectContaining({ ok: true, exitCode: 0, nextCommand: null }));
    expect(parsed.answer.clusters.map((c: { name: string; role: string }) => `${c.name}:${c.role}`)).toEqual(['east:primary', 'west:dr-secondary']);
    expect(json.stderr).toBe('');
  });

  it('exits 12 and prints the next command as a vault-dr command line when something needs doing', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    w.vault.cluster('west').setReplicationState('merkle-sync');
    const run = await vaultDr(['status', '--quiet']);
    expect(run.code).toBe(EXIT_CODES.attention);
    expect(run.stdout).toContain('Next: vault-dr link --environment dev --identifier test');
  });

  it('finds its credentials and region through a profile of the shared config (the SDK\'s default chain)', async () => {
    await newWorld();
    const config = join(dir, 'config');
    writeFileSync(config, '[profile dr-operator]\nregion = us-west-2\naws_access_key_id = AKIAPROFILE000000000\naws_secret_access_key = profile-secret\n');
    const env = cliEnv({ AWS_CONFIG_FILE: config });
    for (const name of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete env[name];
    expect((await vaultDr(['status', '--quiet', '--profile', 'dr-operator'], { env })).code).toBe(EXIT_CODES.succeeded);
    const without = await vaultDr(['status', '--quiet'], { env });
    expect(without.code).toBe(EXIT_CODES.invokeFailed);
  });
});

describe('vault-dr switchover', () => {
  it('shows each step while the function runs (polling the log group), then the timeline, and exits 0', async () => {
    const w = await newWorld({ transitionMs: 700 });
    await w.storeDrToken();
    const run = await vaultDr(['switchover', '--yes', '--follow', 'poll', '--poll-interval', '150']);
    expect(run.code).toBe(EXIT_CODES.succeeded);
    expect(roles(w)).toBe('east:secondary west:primary');
    const lineOf = (text: string) => run.stderrLines.find((l) => l.line.includes(text));
    const demoted = lineOf('✔ demote east');
    const promoted = lineOf('✔ wait for west to be active primary');
    expect(demoted).toBeDefined();
    expect(promoted).toBeDefined();
    // As they happen: the demote was shown while the promotion (700 ms) was still to come.
    expect((promoted?.at ?? 0) - (demoted?.at ?? 0)).toBeGreaterThan(400);
    expect(run.tookMs - (demoted?.at ?? run.tookMs)).toBeGreaterThan(400);
    // Each step once, started before it ended.
    expect(run.stderrLines.filter((l) => l.line.includes('✔ demote east'))).toHaveLength(1);
    expect(run.stderrLines.findIndex((l) => l.line.includes('demote east ...'))).toBeLessThan(run.stderrLines.findIndex((l) => l.line.includes('✔ demote east')));
    expect(run.stdout).toMatch(/^switchover succeeded: west is the primary; east is its DR secondary/);
    expect(run.stdout).toMatch(/Timeline\n┌/);
    expect(run.stdout).toMatch(/│ promote west +│ +\d+ │ +\d+ │ ok/);
    expect(run.stdout).toContain('Changed: demoted east; promote of west accepted; DNS moved to west; east re-linked as DR secondary of west');
  });

  it('follows by default (auto): live tail first, then polling when the session ends early, each step once', async () => {
    // moto 5.2.5 answers StartLiveTail with the lines it holds and closes the session, and with
    // several log groups it serves the last one created whatever was asked (logs/models.py,
    // _find_log_group): vault-dr then polls. The live-tail path itself is tested on a recorded
    // stream (cli-parts.test.ts).
    const w = await newWorld({ transitionMs: 500 });
    await w.storeDrToken();
    const run = await vaultDr(['switchover', '--yes', '--poll-interval', '150']);
    expect(run.code).toBe(EXIT_CODES.succeeded);
    expect(run.stderrLines.filter((l) => l.line.includes('✔ demote east'))).toHaveLength(1);
    expect(run.stderrLines.filter((l) => l.line.includes('✔ switch DNS'))).toHaveLength(1);
  });

  it('asks before changing anything and, without a terminal to ask on, needs --yes: nothing is invoked', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const invokedBefore = testbed.aws.lambda.invocations().length;
    const run = await vaultDr(['switchover']);
    expect(run.code).toBe(EXIT_CODES.input);
    expect(run.stderr).toContain('pass --yes');
    expect(testbed.aws.lambda.invocations()).toHaveLength(invokedBefore);
    expect(roles(w)).toBe('east:primary west:secondary');
  });

  it('on a terminal: shows the clusters and what happens to each, asks, and runs nothing without a yes', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    // script(1) gives vault-dr a terminal (stdin and stdout), as an operator's shell does.
    const onTerminal = (answer: string, args = 'switchover', columns = 0) =>
      new Promise<{ code: number; output: string }>((resolve, reject) => {
        const command = `${columns ? `stty cols ${columns} rows 40; ` : ''}${process.execPath} ${cli} ${args}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...cliEnv(), TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.stdin.write(answer);
        const guard = setTimeout(() => {
          child.kill();
          reject(new Error(`vault-dr on a terminal did not end; it wrote: ${output}`));
        }, 20_000);
        child.on('exit', () => clearTimeout(guard));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, output }));
      });
    const no = await onTerminal('n\n');
    expect(no.code).toBe(EXIT_CODES.notConfirmed);
    expect(no.output).toContain('The clusters now (status):');
    expect(no.output).toMatch(/│ east +│ primary/);
    expect(no.output).toContain('switchover: demotes east (primary), promotes west (dr-secondary), moves DNS to it, then re-attaches east (primary) as its DR secondary.');
    expect(no.output).toContain('Proceed with switchover? [y/N]');
    expect(no.output).toContain('Not confirmed: nothing was run.');
    expect(roles(w)).toBe('east:primary west:secondary');
    const yes = await onTerminal('y\n');
    expect(yes.code).toBe(EXIT_CODES.succeeded);
    expect(roles(w)).toBe('east:secondary west:primary');
    // A terminal with a width: a spinner names the step under way, finished steps are printed above it.
    const spun = await onTerminal('', 'switchover --yes --poll-interval 200', 110);
    expect(spun.code).toBe(EXIT_CODES.succeeded);
    const screen = spun.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(screen).toMatch(/⠋ switchover \(dr-operations-dev-test\)\.\.\./);
    expect(screen).toMatch(/switchover \(dr-operations-dev-test\): wait for west to be DR secondary \(\+\d+\.\d s\)/);
    expect(screen).toContain('  ✔ demote west (ok, ');
    expect(screen).toContain('✔ switchover: succeeded');
    expect(roles(w)).toBe('east:primary west:secondary');
  });

  it('dry run: exits 11 and changes nothing', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const run = await vaultDr(['switchover', '--dry-run', '--quiet']);
    expect(run.code).toBe(EXIT_CODES.dryRun);
    expect(run.stdout).toMatch(/^switchover dry-run: would make west the primary and east its DR secondary/);
    expect(run.stdout).toContain('Next: vault-dr switchover --environment dev --identifier test');
    expect(roles(w)).toBe('east:primary west:secondary');
  });

  it('refused: exits 3 with the next command as a command line', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    w.vault.cluster('west').setReplicationState('merkle-sync');
    const run = await vaultDr(['switchover', '--yes', '--quiet']);
    expect(run.code).toBe(EXIT_CODES.refused);
    expect(run.stdout).toMatch(/^switchover refused: west is not a healthy DR secondary/);
    expect(run.stdout).toContain('Changed: nothing');
    expect(run.stdout).toContain('Next: vault-dr link --environment dev --identifier test');
  });

  it('busy: exits 4 while another operation holds the lease, saying until when', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const until = Date.now() + 60_000;
    await w.holdLease('dr-operations failover (request other)', until);
    const run = await vaultDr(['switchover', '--yes', '--quiet']);
    expect(run.code).toBe(EXIT_CODES.busy);
    expect(run.stdout).toMatch(/^switchover refused: another operation is running: dr-operations failover \(request other\)/);
    expect(run.stdout).toContain(`not before ${new Date(until).toISOString()}`);
  });
});

describe('vault-dr link --performance-secondary', () => {
  it('sends the name to link (a no-op for one that follows the primary already); an unknown name exits with an input error', async () => {
    const w = await newWorld({ performanceSecondaries: ['south'] });
    await w.storeDrToken();
    const same = await vaultDr(['link', '--performance-secondary', 'south', '--yes', '--json']);
    expect(same.code).toBe(EXIT_CODES.noOp);
    expect(JSON.parse(same.stdout).answer.summary).toMatch(/south/);
    const unknown = await vaultDr(['link', '--performance-secondary', 'north', '--yes', '--quiet']);
    expect(unknown.code).toBe(EXIT_CODES.input);
    expect(unknown.stdout).toMatch(/performanceSecondary: .*"north"/);
  });
});

describe('vault-dr input and invocation errors', () => {
  it('exits 2 for an event the function refuses as input, naming the field', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const run = await vaultDr(['link', '--demote', 'north', '--yes', '--quiet']);
    expect(run.code).toBe(EXIT_CODES.input);
    expect(run.stdout).toMatch(/^link input: demote: must name one of the clusters \(east, west\), got "north"/);
    expect(run.stdout).toContain('Next: correct what the message names and run it again.');
  });

  it('exits 7 when the function does not exist, naming the function and the flags that name it', async () => {
    await newWorld();
    const run = await vaultDr(['status', '--environment', 'prod', '--identifier', 'nope', '--quiet']);
    expect(run.code).toBe(EXIT_CODES.invokeFailed);
    expect(run.stderr).toContain('function dr-operations-prod-nope not found');
  });

  it('exits 2 for flags it cannot use, before invoking anything', async () => {
    const run = await vaultDr(['status', '--environment', 'dev', '--identifier', 'a/b']);
    expect(run.code).toBe(EXIT_CODES.input);
    expect(run.stderr).toContain('--identifier: must be 1 to 64 letters');
    expect((await vaultDr(['failover', '--follow', 'sometimes'])).code).toBe(EXIT_CODES.input);
    expect((await vaultDr(['status', '--bogus'])).code).toBe(EXIT_CODES.input);
    expect((await vaultDr([])).code).toBe(EXIT_CODES.input);
    const help = await vaultDr(['--help']);
    expect(help.code).toBe(EXIT_CODES.succeeded);
    expect(help.stdout).toContain('bootstrap [options]');
  });
});

describe('vault-dr bootstrap', () => {
  it('sets up replication with the secondary\'s token from a file, and never prints it', async () => {
    const w = await newWorld({ initialState: 'standalone' });
    const tokenFile = join(dir, 'west-token');
    writeFileSync(tokenFile, `${w.vault.rootToken}\n`, { mode: 0o600 });
    const dry = await vaultDr(['bootstrap', '--primary', 'east', '--secondary-token-file', tokenFile, '--dry-run']);
    expect(dry.code).toBe(EXIT_CODES.dryRun);
    expect(dry.stdout).toContain('Next: vault-dr bootstrap --primary east --secondary-token-file <file> --environment dev --identifier test');
    const run = await vaultDr(['bootstrap', '--primary', 'east', '--secondary-token-file', tokenFile, '--yes', '--json']);
    expect(run.code).toBe(EXIT_CODES.succeeded);
    expect(JSON.parse(run.stdout).answer.summary).toBe('east is the DR primary and west its DR secondary, streaming');
    expect(roles(w)).toBe('east:primary west:secondary');
    for (const output of [dry.stdout, dry.stderr, run.stdout, run.stderr]) expect(output).not.toContain(w.vault.rootToken);
    // The token went to the function only in the event (the log lines never carry it).
    const again = await vaultDr(['bootstrap', '--yes', '--quiet']);
    expect(again.code).toBe(EXIT_CODES.noOp);
  });

  it('takes the token from VAULT_DR_SECONDARY_TOKEN; a failed step exits 5 with the command that goes on', async () => {
    const w = await newWorld({ initialState: 'standalone' });
    w.vault.cluster('west').dropAnswers({ path: 'sys/replication/dr/secondary/enable', times: 1 });
    const run = await vaultDr(['bootstrap', '--primary', 'east', '--yes', '--quiet'], { env: cliEnv({ VAULT_DR_SECONDARY_TOKEN: w.vault.rootToken }) });
    expect(run.code).toBe(EXIT_CODES.stepFailed);
    expect(run.stdout).toContain('Changed: enabled DR replication on east (DR primary)');
    expect(run.stdout).toContain('Next: vault-dr bootstrap --primary east --secondary-token-file <file> --environment dev --identifier test');
    expect(run.stdout + run.stderr).not.toContain(w.vault.rootToken);
    const next = await vaultDr(['bootstrap', '--primary', 'east', '--yes', '--quiet']);
    expect(next.code).toBe(EXIT_CODES.noOp);
  });

  it('--performance-secondary makes that cluster a performance secondary of the DR primary; an unknown name exits with an input error', async () => {
    const w = await newWorld({ initialState: 'standalone', performanceSecondaries: ['south'], envOverrides: { VAULT_CONNECT_TIMEOUT_MS: '2000', VAULT_REQUEST_TIMEOUT_MS: '4000' } });
    const tokenFile = join(dir, 'cluster-token');
    writeFileSync(tokenFile, `${w.vault.rootToken}\n`, { mode: 0o600 });
    expect((await vaultDr(['bootstrap', '--primary', 'east', '--secondary-token-file', tokenFile, '--yes', '--quiet'])).code).toBe(EXIT_CODES.succeeded);
    const dry = await vaultDr(['bootstrap', '--performance-secondary', 'south', '--secondary-token-file', tokenFile, '--dry-run']);
    expect(dry.code).toBe(EXIT_CODES.dryRun);
    expect(dry.stdout).toContain('Next: vault-dr bootstrap --performance-secondary south --secondary-token-file <file> --environment dev --identifier test');
    const unknown = await vaultDr(['bootstrap', '--performance-secondary', 'north', '--secondary-token-file', tokenFile, '--yes']);
    expect(unknown.code).toBe(EXIT_CODES.input);
    expect(unknown.stdout + unknown.stderr).toContain('performanceSecondary: must name one of the performance secondaries (south), got "north"');
    const run = await vaultDr(['bootstrap', '--performance-secondary', 'south', '--secondary-token-file', tokenFile, '--yes', '--json']);
    expect(run.code).toBe(EXIT_CODES.succeeded);
    expect(JSON.parse(run.stdout).answer.summary).toBe('south is a performance secondary of east, streaming');
    expect(w.vault.cluster('south').performanceStatus()).toMatchObject({ mode: 'secondary', state: 'stream-wals' });
    for (const output of [dry.stdout, dry.stderr, run.stdout, run.stderr]) expect(output).not.toContain(w.vault.rootToken);
    expect((await vaultDr(['bootstrap', '--performance-secondary', 'south', '--yes', '--quiet'])).code).toBe(EXIT_CODES.noOp);
  });
});

/**
 * A DR operation token generated on the DR secondary from the recovery key shares, as the runbook's
 * `vault operator generate-root -dr-token` does (the same steps as the break-glass test of
 * dr-operations): start an attempt, give three shares, decode with the attempt's OTP.
 */
async function generateDrOperationToken(w: DrWorld, cluster: string): Promise<string> {
  const target = w.vault.cluster(cluster);
  const keys = await w.vault.recoveryKeys();
  const started = await vaultRequest(target.address, w.vault.caPem, { method: 'POST', path: 'sys/replication/dr/secondary/generate-operation-token/attempt', body: {} });
  if (started.status !== 200) throw new Error(`attempt answered ${started.status}`);
  const { otp, nonce } = started.body as { otp: string; nonce: string };
  let encoded = '';
  for (const key of keys.slice(0, 3)) {
    const res = await vaultRequest(target.address, w.vault.caPem, { method: 'POST', path: 'sys/replication/dr/secondary/generate-operation-token/update', body: { key, nonce } });
    encoded = (res.body as { encoded_token: string }).encoded_token;
  }
  return Buffer.from(Buffer.from(encoded, 'base64').map((b, i) => b ^ otp.charCodeAt(i))).toString('utf8');
}

describe('vault-dr failover, break glass', () => {
  it('refused for an expired DR token; the dry run names --dr-operation-token-file; with the generated token in that file and a reason, fails over and never prints it', async () => {
    const w = await newWorld();
    // The outage outlived the stored batch token (Vault's clock agrees).
    w.vault.advanceClock(2 * 3600_000);
    await w.storeDrToken({ ttl: '1h', expiresAt: new Date(Date.now() - 3600_000) });
    await w.vault.cluster('east').setFault('blackhole');
    const refused = await vaultDr(['failover', '--yes', '--quiet']);
    expect(refused.code).toBe(EXIT_CODES.refused);
    expect(refused.stdout).toMatch(/^failover refused: the DR operation token expired at .*use a break-glass DR operation token/);
    expect(roles(w)).toBe('east:primary west:secondary');

    const token = await generateDrOperationToken(w, 'west');
    const tokenFile = join(dir, 'dr-operation-token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    // The dry run's next command names the flag that gives the token again, and it is the flag used below.
    const dry = await vaultDr(['failover', '--dry-run', '--quiet', '--dr-operation-token-file', tokenFile]);
    expect(dry.code).toBe(EXIT_CODES.dryRun);
    expect(dry.stdout).toContain('Next: vault-dr failover --dr-operation-token-file <file> --environment dev --identifier test');
    expect(dry.stdout + dry.stderr).not.toContain(token);
    const run = await vaultDr(['failover', '--yes', '--quiet', '--dr-operation-token-file', tokenFile, '--reason', 'INC-7 break glass']);
    expect(run.code).toBe(EXIT_CODES.succeeded);
    expect(run.stdout).toContain('Reason: INC-7 break glass');
    expect(run.stdout).toContain('Break glass: the DR operation token given was used for this invocation only (not stored)');
    expect(w.vault.cluster('west').isAnsweringPrimary()).toBe(true);
    expect(w.vault.maxAnsweringPrimaries()).toBe(1);
    for (const output of [refused.stdout, refused.stderr, run.stdout, run.stderr]) expect(output).not.toContain(token);
  });

  it('refuses a break-glass token for status and bootstrap (no such flag) and a file that holds no single token, before invoking anything', async () => {
    await newWorld();
    const invokedBefore = testbed.aws.lambda.invocations().length;
    expect((await vaultDr(['status', '--dr-operation-token-file', '/dev/null'])).code).toBe(EXIT_CODES.input);
    expect((await vaultDr(['bootstrap', '--dr-operation-token-file', '/dev/null', '--yes'])).code).toBe(EXIT_CODES.input);
    const spaced = join(dir, 'two-words');
    writeFileSync(spaced, 'hvs.one hvs.two\n');
    const bad = await vaultDr(['link', '--yes', '--dr-operation-token-file', spaced]);
    expect(bad.code).toBe(EXIT_CODES.input);
    expect(bad.stderr).toContain('--dr-operation-token-file: must hold one token (its value is not shown)');
    expect(bad.stderr).not.toContain('hvs.one');
    expect(testbed.aws.lambda.invocations()).toHaveLength(invokedBefore);
  });
});

describe('vault-dr watchdog', () => {
  it('status shows the mode and arming; disarm and arm change them with a reason; --reason with status is input', async () => {
    await newWorld();
    const status = await vaultDr(['watchdog', 'status', '--quiet']);
    expect(status.code).toBe(EXIT_CODES.succeeded);
    expect(status.stdout).toMatch(/^watchdog status: mode notify, armed\n/);
    expect(status.stdout).toContain('Rule: not met');
    const disarmed = await vaultDr(['watchdog', 'disarm', '--reason', 'maintenance CHG-12', '--quiet', '--json']);
    expect(disarmed.code).toBe(EXIT_CODES.succeeded);
    expect(JSON.parse(disarmed.stdout).answer).toEqual(expect.objectContaining({ command: 'disarm', armed: false }));
    const after = await vaultDr(['watchdog', 'status', '--quiet']);
    expect(after.stdout).toMatch(/^watchdog status: mode notify, DISARMED since \S+ \(disarmed maintenance CHG-12\)/);
    const armed = await vaultDr(['watchdog', 'arm', '--quiet']);
    expect(armed.code).toBe(EXIT_CODES.succeeded);
    expect(armed.stdout).toMatch(/^watchdog arm: mode notify, armed/);
    expect((await vaultDr(['watchdog', 'status', '--reason', 'x'])).code).toBe(EXIT_CODES.input);
    expect((await vaultDr(['watchdog', 'observe'])).code).toBe(EXIT_CODES.input);
  });
});

describe('vault-dr dns-switch and refresh-token', () => {
  it('dns-switch with the weights already right is a no-op (10); refresh-token stores a fresh DR token (0)', async () => {
    const w = await newWorld();
    const dns = await vaultDr(['dns-switch', '--yes', '--quiet']);
    expect(dns.code).toBe(EXIT_CODES.noOp);
    expect(await w.weights()).toEqual({ east: 255, west: 0 });
    const refreshed = await vaultDr(['refresh-token', '--quiet']);
    expect(refreshed.code).toBe(EXIT_CODES.succeeded);
    expect(refreshed.stdout).toMatch(/New DR token expires /);
    const status = await vaultDr(['status', '--json', '--quiet']);
    expect(JSON.parse(status.stdout).answer.drToken.present).toBe(true);
  });
});

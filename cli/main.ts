/**
 * vault-dr: the operator's command for the DR functions of one deployment. It invokes
 * dr-operations (or dns-switch, or dr-token-generator), shows the steps as they happen from the
 * function's log group, then the timeline as a table and the outcome, and exits with a code per
 * outcome (exit-codes.ts). Before anything that changes a cluster it shows the clusters as status
 * sees them and what will happen to each, and asks, unless --yes.
 *
 * Arguments: commander; tables: cli-table3; progress: nanospinner; AWS: the SDK v3 clients with
 * the default credential chain. The published bin is this file bundled with esbuild
 * (scripts/build-cli.ts), so it runs with nothing installed beside it.
 */
import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Argument, Command, CommanderError, Option } from 'commander';
import { parseOperationEvent } from '../functions/dr-operations/event';
import { InputError } from '../functions/shared/errors';
import { ask, confirmationText, type PlanRequest } from './confirm';
import { EXIT_CODES, reasonOfErrorKind, reasonOfOutcome, type ExitReason } from './exit-codes';
import { invokeFunction, InvokeFailedError, type InvokeResult } from './invoke';
import { follow, type FollowMode } from './log-follow';
import { progressOf } from './log-lines';
import { nextCommandLine } from './next-command';
import { progressDisplay } from './progress';
import { renderAnswer, renderFunctionError } from './render';
import { OPERATION_TOKEN_ENV, readOperationToken, readSecondaryToken, SECONDARY_TOKEN_ENV } from './secret-input';
import { renderWatchdog, watchdogExit, watchdogNext, WATCHDOG_OPERATOR_COMMANDS } from './watchdog';
import type { WatchdogAnswer } from '../functions/dr-watchdog/handler';
import { FlagError, functionName, logGroupOf, resolveTarget, type DrFunction, type Target, type TargetFlags } from './target';

declare const __VAULT_DR_VERSION__: string | undefined;
const VERSION = typeof __VAULT_DR_VERSION__ === 'string' ? __VAULT_DR_VERSION__ : 'development';

/** Where vault-dr reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream | (NodeJS.WritableStream & { readonly isTTY?: boolean });
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

interface CommonOptions extends TargetFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly follow: FollowMode;
  readonly pollInterval: number;
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

/** One command's invocation: which function, its event, and what to confirm first. */
interface Invocation {
  readonly title: string;
  readonly fn: DrFunction;
  readonly event: Record<string, unknown>;
  /** What the confirmation describes; undefined for commands that change no cluster. */
  readonly plan?: PlanRequest;
  readonly isStatus?: boolean;
}

/** Ends a run with an exit code (after its output was written). */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function clientsFor(target: Target, env: CliIo['env']): { lambda: LambdaClient; logs: CloudWatchLogsClient } {
  const common = { ...(target.region ? { region: target.region } : {}), ...(target.profile ? { profile: target.profile } : {}) };
  // Live tail is served on a host prefixed "streaming-" of the logs endpoint; a custom endpoint
  // (a local double, a VPC endpoint URL) is taken as it is.
  const customLogsEndpoint = Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS);
  return {
    // One attempt: a changing invocation whose answer was lost must not run twice. The read
    // timeout outlasts the longest function (Lambda's maximum, 15 minutes).
    lambda: new LambdaClient({ ...common, maxAttempts: 1, requestHandler: { connectionTimeout: 10_000, requestTimeout: 16 * 60_000 } }),
    logs: new CloudWatchLogsClient({ ...common, ...(customLogsEndpoint ? { disableHostPrefix: true } : {}) }),
  };
}

function writer(stream: NodeJS.WritableStream): (text: string) => void {
  return (text) => void stream.write(text);
}

/** Runs one invocation with progress; returns its result. */
async function invokeWithProgress(inv: Invocation, name: string, target: Target, options: CommonOptions, io: CliIo, clients: ReturnType<typeof clientsFor>, quiet: boolean): Promise<InvokeResult> {
  const stderr = io.stderr as NodeJS.WriteStream;
  // The spinner redraws by counting the terminal's columns: without a width (a pseudo-terminal
  // that never got a size) it falls back to plain lines.
  const tty = Boolean(stderr.isTTY && io.stdout.isTTY && (stderr.columns ?? 0) > 0 && io.env.TERM !== 'dumb' && !('CI' in io.env));
  const display = progressDisplay({ write: writer(io.stderr), isTTY: tty }, `${inv.title} (${name})`, { quiet, stream: stderr });
  const invocation = randomUUID();
  const since = Date.now() - 2000;
  const follower = follow({
    client: clients.logs,
    logGroupName: logGroupOf(name),
    term: invocation,
    // The watchdog logs no step lines: its commands answer at once.
    mode: quiet || inv.fn === 'dr-watchdog' ? 'none' : options.follow,
    sinceMs: since,
    pollMs: options.pollInterval,
    onMessage: (message) => {
      const event = progressOf(message, invocation);
      if (event) display.step(event);
    },
    onNote: (note) => display.note(note),
  });
  try {
    const result = await invokeFunction(clients.lambda, name, inv.event, invocation, target.region);
    await follower.stop();
    display.done(result.kind === 'answer', result.kind === 'answer' ? `${inv.title}: ${String(result.answer.outcome ?? 'answered')}` : `${inv.title}: ${result.details?.kind ?? result.errorType}`);
    return result;
  } catch (err) {
    await follower.stop();
    display.done(false, `${inv.title}: not run`);
    throw err;
  }
}

/** Prints a result (human or JSON) and says which exit reason it is. */
function report(inv: Invocation, result: InvokeResult, flags: TargetFlags, options: CommonOptions, io: CliIo): ExitReason {
  if (result.kind === 'answer' && inv.fn === 'dr-watchdog') {
    const answer = result.answer as unknown as WatchdogAnswer;
    const reason = watchdogExit(answer);
    if (options.json) io.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT_CODES[reason], answer, nextCommand: watchdogNext(answer, flags) }, null, 2)}\n`);
    else io.stdout.write(renderWatchdog(answer, flags));
    return reason;
  }
  if (result.kind === 'answer') {
    const reason = reasonOfOutcome(result.answer.outcome ?? (inv.fn === 'dr-token-generator' ? 'succeeded' : undefined), { status: inv.isStatus === true, next: result.answer.next });
    if (options.json) {
      const next = result.answer.next ? nextCommandLine(result.answer.next, flags) : null;
      io.stdout.write(`${JSON.stringify({ ok: true, exitCode: EXIT_CODES[reason], answer: result.answer, nextCommand: next }, null, 2)}\n`);
    } else {
      io.stdout.write(renderAnswer(inv.title, result.answer, flags));
    }
    return reason;
  }
  const reason = reasonOfErrorKind(result.details?.kind);
  if (options.json) {
    const next = result.details?.next ? nextCommandLine(result.details.next, flags) : null;
    io.stdout.write(`${JSON.stringify({ ok: false, exitCode: EXIT_CODES[reason], error: { type: result.errorType, kind: result.details?.kind ?? null, message: result.message, details: result.details ?? null }, nextCommand: next }, null, 2)}\n`);
  } else {
    io.stdout.write(renderFunctionError(inv.title, result.message, result.details, flags));
  }
  return reason;
}

/** The whole run of one command: confirmation, invocation, output; the exit code. */
async function execute(inv: Invocation, options: CommonOptions, io: CliIo): Promise<number> {
  const target = resolveTarget(options);
  const name = functionName(target, inv.fn);
  const clients = clientsFor(target, io.env);
  try {
    if (inv.plan !== undefined && options.dryRun !== true && options.yes !== true) {
      if (!io.stdin.isTTY) {
        throw new FlagError(`${inv.title} changes the clusters and there is no terminal to confirm on: pass --yes (after a --dry-run, or status)`);
      }
      const statusName = functionName(target, 'dr-operations');
      const status = await invokeWithProgress({ title: 'status', fn: 'dr-operations', event: { operation: 'status' }, isStatus: true }, statusName, target, options, io, clients, true);
      if (status.kind !== 'answer') {
        io.stderr.write(renderFunctionError('status', status.message, status.details, options));
        io.stderr.write(`status failed, so the clusters cannot be shown: nothing was run. Pass --yes to run ${inv.title} anyway.\n`);
        return EXIT_CODES.notConfirmed;
      }
      io.stderr.write(confirmationText(inv.plan, status.answer));
      const yes = await ask(`Proceed with ${inv.title}? [y/N] `, io.stdin, io.stderr);
      if (!yes) {
        io.stderr.write('Not confirmed: nothing was run.\n');
        return EXIT_CODES.notConfirmed;
      }
    }
    const quiet = options.quiet === true;
    const result = await invokeWithProgress(inv, name, target, options, io, clients, quiet);
    return EXIT_CODES[report(inv, result, options, options, io)];
  } finally {
    clients.lambda.destroy();
    clients.logs.destroy();
  }
}

function withTarget(command: Command): Command {
  return command
    .addOption(new Option('-e, --environment <name>', 'environment of the DR automation: the functions are <purpose>-<environment>-<identifier>').env('VAULT_DR_ENVIRONMENT'))
    .addOption(new Option('-i, --identifier <name>', 'identifier of the DR automation').env('VAULT_DR_IDENTIFIER'))
    .addOption(new Option('--function-name <name>', 'the dr-operations function by name (instead of -e/-i)').env('VAULT_DR_FUNCTION_NAME'))
    .addOption(new Option('--dns-switch-function-name <name>', 'the dns-switch function by name'))
    .addOption(new Option('--token-generator-function-name <name>', 'the dr-token-generator function by name'))
    .addOption(new Option('--watchdog-function-name <name>', 'the dr-watchdog function by name'))
    .addOption(new Option('--region <region>', "the functions' AWS region (default: the SDK's, AWS_REGION or the profile's)"))
    .addOption(new Option('--profile <name>', 'AWS profile from the shared config (SSO included); default: AWS_PROFILE, then the default chain'))
    .option('--json', 'print the answer (or error) as JSON on stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .addOption(new Option('--follow <how>', "how the steps are followed while the function runs: the function's log group by live tail, by polling, auto (live tail, else polling), or none").choices(['auto', 'live', 'poll', 'none']).default('auto'))
    .addOption(
      new Option('--poll-interval <ms>', 'between two reads of the log group when polling')
        .default(1000)
        .argParser((value) => {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 100 || n > 60_000) throw new FlagError(`--poll-interval: must be a whole number of ms from 100 to 60000, got ${JSON.stringify(value)}`);
          return n;
        }),
    );
}

function changing(command: Command, force: string | undefined): Command {
  command.option('--dry-run', 'check everything and say what would be done; change nothing (no confirmation asked)').option('-y, --yes', 'do not ask for confirmation');
  if (force !== undefined) command.option('--force', force);
  return command;
}

/** `--reason`, for every dr-operations command that changes a cluster: logged on each of the invocation's lines and returned. */
function withReason(command: Command): Command {
  return command.addOption(new Option('--reason <text>', 'why this is run (a ticket, an incident): logged with every line of the invocation and returned in the answer'));
}

/** `--dr-operation-token-file`: the break-glass DR operation token for this invocation only (failover, switchover, link). */
function withOperationToken(command: Command): Command {
  return command.addOption(
    new Option('--dr-operation-token-file <file>', `break glass: a DR operation token for this invocation only, when the stored one has expired (- reads standard input; default: ${OPERATION_TOKEN_ENV})`),
  );
}

/** The break-glass token of a failover, switchover or link, read where it does not show. */
async function operationToken(o: Record<string, unknown>, io: CliIo): Promise<string | undefined> {
  const file = o.drOperationTokenFile as string | undefined;
  const token = await readOperationToken(file, io.env, io.stdin);
  if (file === '-' && o.yes !== true && o.dryRun !== true) {
    throw new FlagError('--dr-operation-token-file -: standard input holds the token, so it cannot answer the confirmation: pass --yes');
  }
  return token;
}

/** The dr-operations event, checked here as the function checks it (its own parser), before anything is invoked. */
function operationEvent(event: Record<string, unknown>): Record<string, unknown> {
  parseOperationEvent(event);
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined && v !== false));
}

export function buildProgram(io: CliIo, run: (inv: Invocation, options: CommonOptions) => Promise<number>): Command {
  const program = new Command('vault-dr')
    .description('Operate the Vault DR functions of one deployment: status, failover, switchover, link, bootstrap, dns-switch, refresh-token, watchdog.')
    .version(VERSION)
    .showHelpAfterError('(vault-dr <command> --help lists the flags)')
    .exitOverride()
    .configureOutput({ writeOut: writer(io.stdout), writeErr: writer(io.stderr) });

  const action = (build: (opts: Record<string, unknown>) => Promise<Invocation> | Invocation) => async (opts: Record<string, unknown>) => {
    throw new Exit(await run(await build(opts), opts as unknown as CommonOptions));
  };

  withTarget(program.command('status').description("both clusters' roles and replication, the DR token's expiry, the operation running; read-only")).action(
    action(() => ({ title: 'status', fn: 'dr-operations', event: operationEvent({ operation: 'status' }), isStatus: true })),
  );

  withTarget(
    withOperationToken(
      withReason(
        changing(
          program.command('failover').description('disaster: promote the DR secondary once the primary is confirmed down, move DNS').addOption(new Option('--target <cluster>', 'the cluster to promote, when you must choose')),
          'skip the confirmation that the primary is down; with a primary that answers, demote it first',
        ),
      ),
    ),
  ).action(
    action(async (o) => ({
      title: 'failover',
      fn: 'dr-operations',
      event: operationEvent({ operation: 'failover', dryRun: o.dryRun === true, force: o.force === true, target: o.target, reason: o.reason, drOperationToken: await operationToken(o, io) }),
      plan: { command: 'failover', force: o.force === true, ...(o.target ? { target: String(o.target) } : {}) },
    })),
  );

  withTarget(
    withOperationToken(withReason(changing(program.command('switchover').description('planned: demote the primary, promote the secondary, move DNS, re-link the old primary'), 'switch over to a secondary that is not connected to the primary'))),
  ).action(
    action(async (o) => ({
      title: 'switchover',
      fn: 'dr-operations',
      event: operationEvent({ operation: 'switchover', dryRun: o.dryRun === true, force: o.force === true, reason: o.reason, drOperationToken: await operationToken(o, io) }),
      plan: { command: 'switchover', force: o.force === true },
    })),
  );

  withTarget(
    withOperationToken(
      withReason(
        changing(
          program
            .command('link')
            .description('re-attach a returned or demoted cluster as DR secondary; in a split brain, --demote names the cluster to demote; --performance-secondary makes that cluster follow the DR primary')
            .addOption(new Option('--demote <cluster>', 'split brain only: the cluster clients did not write to'))
            .addOption(new Option('--performance-secondary <name>', 'a cluster of VAULT_PERFORMANCE_SECONDARIES to point at the current DR primary (update-primary); the DR pair is left as it is').conflicts('demote')),
          're-link a secondary whose primary connection is down (it resyncs)',
        ),
      ),
    ),
  ).action(
    action(async (o) => ({
      title: 'link',
      fn: 'dr-operations',
      event: operationEvent({
        operation: 'link',
        dryRun: o.dryRun === true,
        force: o.force === true,
        demote: o.demote,
        performanceSecondary: o.performanceSecondary,
        reason: o.reason,
        drOperationToken: await operationToken(o, io),
      }),
      plan: {
        command: 'link',
        force: o.force === true,
        ...(o.demote ? { demote: String(o.demote) } : {}),
        ...(o.performanceSecondary ? { performanceSecondary: String(o.performanceSecondary) } : {}),
      },
    })),
  );

  withTarget(
    withReason(
      changing(
        program
          .command('bootstrap')
          .description(
            'set up DR replication once: enable the primary, enable the other cluster as its DR secondary (its data is replaced), wait until it streams; ' +
              'with --performance-secondary, make that cluster a performance secondary of the current DR primary the same way',
          )
          .addOption(new Option('--primary <cluster>', 'the cluster that leads, when neither is a DR primary yet'))
          .addOption(new Option('--performance-secondary <name>', 'a cluster of VAULT_PERFORMANCE_SECONDARIES to enable as performance secondary of the current DR primary (the DR pair is left as it is)').conflicts('primary'))
          .addOption(new Option('--secondary-token-file <file>', `a file holding a token of the cluster that becomes the secondary (- reads standard input; default: ${SECONDARY_TOKEN_ENV})`)),
        'go on although the other cluster holds data or replicates from another primary (its data is erased)',
      ),
    ),
  ).action(
    action(async (o) => {
      const token = await readSecondaryToken(o.secondaryTokenFile as string | undefined, io.env, io.stdin);
      if (o.secondaryTokenFile === '-' && o.yes !== true && o.dryRun !== true) {
        throw new FlagError('--secondary-token-file -: standard input holds the token, so it cannot answer the confirmation: pass --yes');
      }
      return {
        title: 'bootstrap',
        fn: 'dr-operations',
        event: operationEvent({
          operation: 'bootstrap',
          dryRun: o.dryRun === true,
          force: o.force === true,
          primary: o.primary,
          performanceSecondary: o.performanceSecondary,
          secondaryToken: token,
          reason: o.reason,
        }),
        plan: {
          command: 'bootstrap',
          force: o.force === true,
          ...(o.primary ? { primary: String(o.primary) } : {}),
          ...(o.performanceSecondary ? { performanceSecondary: String(o.performanceSecondary) } : {}),
        },
      };
    }),
  );

  withTarget(changing(program.command('dns-switch').description('point the high-level name at the cluster that answers as the only active primary'), undefined)).action(
    action((o) => ({ title: 'dns-switch', fn: 'dns-switch', event: o.dryRun === true ? { dryRun: true } : {}, plan: { command: 'dns-switch', force: false } })),
  );

  withTarget(program.command('refresh-token').description('have dr-token-generator store a fresh batch DR token now (it also runs on its schedule)')).action(
    action(() => ({ title: 'refresh-token', fn: 'dr-token-generator', event: {} })),
  );

  withTarget(
    program
      .command('watchdog')
      .description("the watchdog's mode, arming, the rule on its kept runs and their evidence (status); allow an automatic failover again (arm) or none until armed (disarm)")
      .addArgument(new Argument('<command>', 'status, arm or disarm').choices(WATCHDOG_OPERATOR_COMMANDS))
      .addOption(new Option('--reason <text>', 'arm and disarm: why (kept in the watchdog\'s state and logged)')),
  ).action(async (command: string, opts: Record<string, unknown>) => {
    if (opts.reason !== undefined && command === 'status') throw new FlagError('--reason: is only accepted by watchdog arm and watchdog disarm');
    const event = { command, ...(opts.reason === undefined ? {} : { reason: opts.reason }) };
    throw new Exit(await run({ title: `watchdog ${command}`, fn: 'dr-watchdog', event }, opts as unknown as CommonOptions));
  });

  return program;
}

/** Runs vault-dr with `argv` (after the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io, (inv, options) => execute(inv, options, io));
  const fail = (reason: ExitReason, message: string, options?: Partial<CommonOptions>): number => {
    if (options?.json) io.stdout.write(`${JSON.stringify({ ok: false, exitCode: EXIT_CODES[reason], error: { type: reason, kind: reason === 'input' ? 'input' : null, message, details: null }, nextCommand: null }, null, 2)}\n`);
    io.stderr.write(`vault-dr: ${message}\n`);
    return EXIT_CODES[reason];
  };
  try {
    await program.parseAsync([...argv], { from: 'user' });
    // No command given: commander printed the help.
    return EXIT_CODES.input;
  } catch (err) {
    const options = (program.commands.find((c) => c.name() === argv[0])?.opts() ?? {}) as Partial<CommonOptions>;
    if (err instanceof Exit) return err.code;
    if (err instanceof CommanderError) {
      // --help and --version asked for; anything else (no command, an unknown flag) is input.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_CODES.succeeded;
      return EXIT_CODES.input;
    }
    if (err instanceof FlagError || err instanceof InputError) return fail('input', err.message, options);
    if (err instanceof InvokeFailedError) return fail(err.busy ? 'busy' : 'invokeFailed', err.message, options);
    return fail('unexpected', `${(err as Error).name}: ${(err as Error).message}`, options);
  }
}

if (require.main === module) {
  // The SDK warns that its releases after January 2027 need Node 22; this bundle pins its own
  // copy, so the warning says nothing about vault-dr (its documented switch turns it off).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`vault-dr: ${(err as Error).message}\n`);
      process.exitCode = EXIT_CODES.unexpected;
    },
  );
}

/**
 * dr-watchdog: runs in the DR region on a schedule (docs/contracts.md). Each run probes both
 * clusters from here and reads the DR secondary's replication view of the primary, publishes what
 * it saw as CloudWatch metrics, keeps the run in its history (an item of the lease table), and
 * decides (decision.ts, pure) whether the primary has failed by the rule. In `notify` mode it pages
 * "would fail over now" with the evidence; in `auto` it disarms itself, pages, runs the failover
 * through dr-operations with the evidence as its reason, and pages the outcome. It never fails back
 * and never fails over twice: an operator re-arms it (`{"command":"arm"}`).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { awsClientOptions } from '../shared/aws-client-options';
import { readCaFile } from '../shared/ca-file';
import { Deadline, type LambdaContextLike } from '../shared/deadline';
import { describeNext, type NextCommand } from '../shared/errors';
import { finalizeError, lambdaError } from '../shared/failure';
import { invokeJson, InvokedFunctionError } from '../shared/invoke-function';
import { LeaseTable } from '../shared/lease';
import { createLogger, type Logger } from '../shared/log';
import type { Env } from '../shared/settings/variables';
import { VaultClusters } from '../shared/vault-clusters';
import { arm, decide, disarm, keepRounds, type Action, type Decision, type DecisionSettings, type Round, type WatchdogState } from './decision';
import { parseWatchdogEvent, type WatchdogCommand } from './event';
import { watchdogMetricLines } from './metrics';
import { observe, type Observation } from './observation';
import { snsPager, type Page } from './pager';
import { probeBoth } from './probe';
import { WATCHDOG_LOCAL_BUDGET_MS, parseWatchdogSettings, type WatchdogMode, type WatchdogSettings } from './settings';
import { WatchdogStateStore } from './state-store';

/** Runs kept in the history item: enough for any window the settings allow at one run a minute, far under DynamoDB's 400 KB. */
export const MAX_KEPT_ROUNDS = 200;

/** dr-operations' `reason` field takes at most this (functions/dr-operations/event.ts). */
const REASON_LIMIT = 4096;

export interface FailoverOutcome {
  readonly outcome: 'succeeded' | 'no-op' | 'failed';
  readonly summary: string;
  readonly next: NextCommand | null;
}

export interface WatchdogAnswer {
  readonly command: WatchdogCommand;
  readonly mode: WatchdogMode;
  readonly armed: boolean;
  readonly state: WatchdogState;
  /** observe and status: what the rule decides. */
  readonly action?: Action;
  readonly evidence?: readonly string[];
  /** observe: this run's votes. */
  readonly round?: Round;
  /** observe: whether a page went out, or why not. */
  readonly page?: { readonly sent: boolean; readonly error?: string };
  /** observe, when it ran the failover. */
  readonly failover?: FailoverOutcome;
  /** status: the runs kept. */
  readonly rounds?: readonly Round[];
}

/** What the handler can be given instead of the real clock (a drill on a scaled clock). */
export interface WatchdogRuntime {
  /** The clock the rule reads (observation times, the window). @default Date.now */
  readonly now?: () => number;
}

export async function handler(event: unknown, context?: LambdaContextLike): Promise<WatchdogAnswer> {
  try {
    return await runWatchdog(event, process.env, context);
  } catch (err) {
    throw lambdaError(finalizeError(err, { changed: [], clusters: [], defaultNext: null }));
  }
}

export function decisionSettings(settings: WatchdogSettings): DecisionSettings {
  return { windowMs: settings.windowMs, minRounds: settings.minRounds, maxRoundGapMs: settings.maxRoundGapMs, probes: settings.probes, maxWalGap: settings.maxWalGap };
}

export async function runWatchdog(event: unknown, env: Env, context?: LambdaContextLike, runtime: WatchdogRuntime = {}): Promise<WatchdogAnswer> {
  const request = parseWatchdogEvent(event);
  const settings = parseWatchdogSettings(env);
  const now = runtime.now ?? Date.now;
  const requestId = context?.awsRequestId ?? randomUUID();
  const log = createLogger({ function: 'dr-watchdog', command: request.command, mode: settings.mode, requestId }, settings.logLevel);
  const deadline = Deadline.forInvocation(context, settings.deadlineReserveMs, WATCHDOG_LOCAL_BUDGET_MS);
  const aws = { connectTimeoutMs: settings.awsConnectTimeoutMs, requestTimeoutMs: settings.awsRequestTimeoutMs, maxAttempts: settings.awsMaxAttempts };
  const dynamodb = new DynamoDBClient(awsClientOptions(aws, deadline));
  const store = new WatchdogStateStore(dynamodb, settings.leaseTableName, deadline);
  try {
    if (request.command === 'status') {
      const lease = new LeaseTable(dynamodb, settings.leaseTableName, deadline);
      const [stored, holder] = await Promise.all([store.read(), lease.current().then((h) => (h === undefined ? undefined : `${h.holder}, until ${h.expiresAt}`))]);
      const decision = decide({ mode: settings.mode, state: stored.state, rounds: stored.rounds, leaseHolder: holder, nowMs: now(), settings: decisionSettings(settings) });
      return { command: 'status', mode: settings.mode, armed: stored.state.armed, state: stored.state, action: decision.action, evidence: decision.evidence, rounds: stored.rounds };
    }
    if (request.command === 'arm' || request.command === 'disarm') {
      const stored = await store.read();
      const by = request.reason ?? `by an operator (request ${requestId})`;
      const state = request.command === 'arm' ? arm(stored.state) : disarm(stored.state, now(), `disarmed ${by}`);
      await store.write(stored.version, state, stored.rounds, now());
      log.info(request.command === 'arm' ? 'watchdog armed' : 'watchdog disarmed', { reason: by, state });
      return { command: request.command, mode: settings.mode, armed: state.armed, state };
    }
    return await observeAndAct(settings, { log, deadline, dynamodb, store, now, requestId });
  } catch (err) {
    log.error(`${request.command} did not complete`, { error: { name: (err as Error).name, message: (err as Error).message } });
    throw err;
  } finally {
    dynamodb.destroy();
  }
}

interface RunContext {
  readonly log: Logger;
  readonly deadline: Deadline;
  readonly dynamodb: DynamoDBClient;
  readonly store: WatchdogStateStore;
  readonly now: () => number;
  readonly requestId: string;
}

async function observeAndAct(settings: WatchdogSettings, run: RunContext): Promise<WatchdogAnswer> {
  const { log, deadline, store, now } = run;
  const aws = { connectTimeoutMs: settings.awsConnectTimeoutMs, requestTimeoutMs: settings.awsRequestTimeoutMs, maxAttempts: settings.awsMaxAttempts };
  const clusters = new VaultClusters(settings.clusters, settings, readCaFile(settings.caFile), deadline);
  const lease = new LeaseTable(run.dynamodb, settings.leaseTableName, deadline);
  const sns = settings.pageTopicArn === undefined ? undefined : new SNSClient(awsClientOptions(aws, deadline));
  const pager = snsPager(sns, settings.pageTopicArn, deadline);
  try {
    const [stored, probes, holder] = await Promise.all([
      store.read(),
      probeBoth(clusters, settings.probes),
      lease.current().then(
        (h) => (h === undefined ? undefined : `${h.holder}, until ${h.expiresAt}`),
        // A lease that cannot be read may be held: that blocks a failover, as a held one does.
        (err: unknown) => `unknown: the lease could not be read (${(err as Error).name}: ${(err as Error).message})`,
      ),
    ]);
    const atMs = now();
    const observation = observe(atMs, probes, stored.rounds.at(-1), settings.heartbeatStaleMs);
    const rounds = [...stored.rounds, observation.round];
    const decision = decide({ mode: settings.mode, state: stored.state, rounds, leaseHolder: holder, nowMs: atMs, settings: decisionSettings(settings) });
    // The commit point: the new state (disarmed, for a failover) is stored before anything is done,
    // and only if no other run wrote since this one read. A run that loses the race does nothing.
    const kept = keepRounds(rounds, decisionSettings(settings), atMs, MAX_KEPT_ROUNDS);
    const version = await store.write(stored.version, decision.state, kept, atMs);

    let page: { sent: boolean; error?: string } | undefined;
    let failover: FailoverOutcome | undefined;
    let state = decision.state;
    if (decision.action.kind === 'hold' && decision.page) {
      page = await pager.send(holdPage(settings, decision));
    } else if (decision.action.kind === 'failover') {
      const { primary, secondary } = decision.action;
      page = await pager.send(failoverStartingPage(settings, decision));
      failover = await runFailover(settings, run, decision, primary, secondary);
      state = { ...state, lastFailover: { atMs, primary, target: secondary, outcome: failover.outcome } };
      await store.write(version, state, kept, now()).catch((err: unknown) =>
        log.warn('could not record the failover outcome in the watchdog state (it stays disarmed)', { error: { name: (err as Error).name, message: (err as Error).message } }),
      );
      const after = await pager.send(failoverEndedPage(settings, failover, primary, secondary));
      page = after.sent && page.sent ? after : { sent: false, error: page.error ?? after.error ?? 'a page was not sent' };
    }
    printMetrics(settings, atMs, observation, decision, state, failover !== undefined, page !== undefined && !page.sent && settings.pageTopicArn !== undefined);
    const level = decision.action.kind === 'none' ? 'info' : 'warn';
    log[level](summaryOf(decision.action), {
      action: decision.action,
      evidence: decision.evidence,
      round: observation.round,
      armed: state.armed,
      ...(page ? { page } : {}),
      ...(failover ? { failover } : {}),
      clusters: observation.clusters.map((c) => ({ name: c.name, views: c.probes.map((p) => p.view) })),
    });
    return {
      command: 'observe',
      mode: settings.mode,
      armed: state.armed,
      state,
      action: decision.action,
      evidence: decision.evidence,
      round: observation.round,
      ...(page ? { page } : {}),
      ...(failover ? { failover } : {}),
    };
  } finally {
    sns?.destroy();
    await clusters.close();
  }
}

function summaryOf(action: Action): string {
  switch (action.kind) {
    case 'none':
      return `no failover: ${action.why}`;
    case 'hold':
      return `rule met, no failover (${action.because}): ${action.why}`;
    case 'failover':
      return `failing over from ${action.primary} to ${action.secondary}`;
  }
}

function printMetrics(settings: WatchdogSettings, atMs: number, observation: Observation, decision: Decision, state: WatchdogState, failoverStarted: boolean, pageFailed: boolean): void {
  for (const line of watchdogMetricLines(settings.metricEnvironment, atMs, {
    observation,
    armed: state.armed,
    action: decision.action,
    agreedNow: decision.agreedNow,
    failoverStarted,
    pageFailed,
  })) {
    process.stdout.write(`${line}\n`);
  }
}

const ARM_COMMAND = '{"command":"arm"}';

function holdPage(settings: WatchdogSettings, decision: Decision): Page {
  const action = decision.action as Extract<Action, { kind: 'hold' }>;
  const headline =
    action.because === 'mode-notify'
      ? `Vault DR ${settings.metricEnvironment}: would fail over now from ${action.primary} to ${action.secondary}`
      : `Vault DR ${settings.metricEnvironment}: ${action.primary} is down by every vantage point; NO automatic failover (${action.because})`;
  return {
    subject: headline,
    lines: [
      action.why,
      '',
      'Evidence:',
      ...decision.evidence.map((e) => `- ${e}`),
      '',
      `To fail over by hand: invoke ${settings.operationsFunctionName} with {"operation":"failover"} (runbook, section 5).`,
    ],
  };
}

function failoverStartingPage(settings: WatchdogSettings, decision: Decision): Page {
  const action = decision.action as Extract<Action, { kind: 'failover' }>;
  return {
    subject: `Vault DR ${settings.metricEnvironment}: automatic failover from ${action.primary} to ${action.secondary} starting`,
    lines: [
      `The watchdog judged ${action.primary} failed and runs ${settings.operationsFunctionName} {"operation":"failover"} now. It is disarmed: it will not fail over again (or back) until an operator invokes it with ${ARM_COMMAND}.`,
      '',
      'Evidence:',
      ...decision.evidence.map((e) => `- ${e}`),
    ],
  };
}

function failoverEndedPage(settings: WatchdogSettings, outcome: FailoverOutcome, primary: string, secondary: string): Page {
  return {
    subject: `Vault DR ${settings.metricEnvironment}: automatic failover ${outcome.outcome === 'failed' ? 'FAILED' : outcome.outcome} (${primary} -> ${secondary})`,
    lines: [
      outcome.summary,
      '',
      `Next: ${describeNext(outcome.next)}`,
      `When ${primary} returns it still believes it is primary: follow the runbook, section 6, then re-arm the watchdog with ${ARM_COMMAND}.`,
    ],
  };
}

/** The failover's reason: who, why, and the evidence, within dr-operations' limit. */
export function failoverReason(requestId: string, decision: Decision): string {
  const head = `dr-watchdog (request ${requestId}): ${decision.action.kind === 'failover' ? `${decision.action.primary} judged failed by every vantage point` : 'rule met'}. Evidence: `;
  const text = head + decision.evidence.join('; ');
  return text.length <= REASON_LIMIT ? text : `${text.slice(0, REASON_LIMIT - 3)}...`;
}

interface OperationsAnswer {
  readonly outcome: 'succeeded' | 'no-op' | 'dry-run';
  readonly summary: string;
  readonly next: NextCommand | null;
}

async function runFailover(settings: WatchdogSettings, run: RunContext, decision: Decision, primary: string, secondary: string): Promise<FailoverOutcome> {
  const aws = { connectTimeoutMs: settings.awsConnectTimeoutMs, requestTimeoutMs: settings.awsRequestTimeoutMs, maxAttempts: settings.awsMaxAttempts };
  // One attempt: a failover is never repeated behind anyone's back (a second one is a no-op, but
  // the answer of the first must be the one reported). The invoke may take what is left of the run.
  const lambda = new LambdaClient({ ...awsClientOptions(aws, run.deadline, run.deadline.remainingMs()), maxAttempts: 1 });
  try {
    const answer = await invokeJson<OperationsAnswer>(lambda, settings.operationsFunctionName, { operation: 'failover', reason: failoverReason(run.requestId, decision) }, run.deadline);
    return { outcome: answer.outcome === 'succeeded' ? 'succeeded' : 'no-op', summary: answer.summary, next: answer.next };
  } catch (err) {
    const details = err instanceof InvokedFunctionError ? err.details : undefined;
    return {
      outcome: 'failed',
      summary: `the failover from ${primary} to ${secondary} did not complete: ${(err as Error).message}`,
      next: details?.next ?? { function: 'dr-operations', event: { operation: 'status' }, why: 'find out where the clusters are, then follow the runbook, section 5' },
    };
  } finally {
    lambda.destroy();
  }
}


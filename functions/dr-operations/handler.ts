/**
 * dr-operations: status, failover, switchover, link and bootstrap between the two Vault clusters
 * (docs/contracts.md). Configuration and event are parsed at the edge; a changing operation holds
 * the one-operation-at-a-time lease; every step is bounded by the invocation's deadline; every
 * refusal or failure says what was changed, the clusters' state and the next command.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from '../shared/aws-client-options';
import { readCaFile } from '../shared/ca-file';
import type { ClusterView } from '../shared/cluster-probe';
import { Deadline, type LambdaContextLike } from '../shared/deadline';
import { readDrToken } from '../shared/dr-token-store';
import { LeaseBusyError, type NextCommand } from '../shared/errors';
import { finalizeError, lambdaError } from '../shared/failure';
import { LeaseTable } from '../shared/lease';
import { PrimaryRecordStore } from '../shared/primary-record';
import { createLogger } from '../shared/log';
import type { Env } from '../shared/settings/variables';
import { Timeline, type TimelineEntry } from '../shared/timeline';
import { VaultClusters } from '../shared/vault-clusters';
import { credentialsFromEnv, LoginCache } from '../shared/vault-login';
import { invocationIdOf, logSteps } from '../shared/progress';
import { bootstrap } from './bootstrap';
import { BREAK_GLASS_TOKEN_PLACEHOLDER, parseOperationEvent, type OperationName, type OperationRequest } from './event';
import { failover } from './failover';
import { Journal } from './journal';
import { link } from './link';
import type { OperationContext, OperationResult } from './operation-context';
import { DR_OPERATIONS_LOCAL_BUDGET_MS, parseDrOperationsSettings } from './settings';
import { status } from './status';
import { switchover } from './switchover';

export { parseOperationEvent } from './event';

export interface OperationAnswer extends OperationResult {
  readonly operation: OperationName;
  readonly dryRun: boolean;
  /** The event's `reason`, when it gave one. */
  readonly reason?: string;
  /** True when the event gave a break-glass DR operation token (used for this invocation only; never returned). */
  readonly breakGlassToken?: true;
  readonly clusters: readonly ClusterView[];
  /** What this invocation changed, in order. */
  readonly changed: readonly string[];
  readonly timeline: readonly TimelineEntry[];
}

const CHANGING: Record<OperationName, (ctx: OperationContext) => Promise<OperationResult>> = {
  status: () => Promise.reject(new Error('status changes nothing')),
  failover,
  switchover,
  link,
  bootstrap,
};

/** The event that repeats this request (for "run it again" next commands). */
function eventOf(request: OperationRequest): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      operation: request.operation,
      dryRun: request.dryRun,
      force: request.force,
      demote: request.demote,
      target: request.target,
      primary: request.primary,
      performanceSecondary: request.performanceSecondary,
      // Never the secondary token: a next command names what to run, not the credential.
      // A break-glass token is never repeated: the placeholder says it must be given again.
      drOperationToken: request.drOperationToken === undefined ? undefined : BREAK_GLASS_TOKEN_PLACEHOLDER,
    }).filter(([, v]) => v !== undefined && v !== false),
  );
}

/** The Lambda entry point. */
export async function handler(event: unknown, context?: LambdaContextLike): Promise<OperationAnswer> {
  try {
    return await runOperation(event, process.env, context);
  } catch (err) {
    throw lambdaError(finalizeError(err, { changed: [], clusters: [], defaultNext: null }));
  }
}

export async function runOperation(event: unknown, env: Env, context?: LambdaContextLike): Promise<OperationAnswer> {
  const request = parseOperationEvent(event);
  const settings = parseDrOperationsSettings(env);
  const requestId = context?.awsRequestId ?? randomUUID();
  const invocation = invocationIdOf(context);
  const log = createLogger(
    {
      function: 'dr-operations',
      operation: request.operation,
      dryRun: request.dryRun,
      requestId,
      ...(invocation ? { invocation } : {}),
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      // That a break-glass token was given, never the token.
      ...(request.drOperationToken === undefined ? {} : { breakGlassToken: true }),
    },
    settings.logLevel,
  );
  const deadline = Deadline.forInvocation(context, settings.deadlineReserveMs, DR_OPERATIONS_LOCAL_BUDGET_MS);
  const aws = { connectTimeoutMs: settings.awsConnectTimeoutMs, requestTimeoutMs: settings.awsRequestTimeoutMs, maxAttempts: settings.awsMaxAttempts };
  const clusters = new VaultClusters(settings.clusters, settings, readCaFile(settings.caFile), deadline);
  const secrets = new SecretsManagerClient(awsClientOptions(aws, deadline));
  const dynamodb = new DynamoDBClient(awsClientOptions(aws, deadline));
  const lease = new LeaseTable(dynamodb, settings.leaseTableName, deadline);
  // dns-switch waits for INSYNC: the invoke may take what is left of the invocation.
  const lambda = settings.dnsSwitchFunctionName === undefined ? undefined : new LambdaClient(awsClientOptions(aws, deadline, deadline.remainingMs()));
  const timeline = new Timeline(logSteps(log));
  const journal = new Journal(settings.clusters);
  const changing = request.operation !== 'status' && !request.dryRun;
  const owner = changing ? `dr-operations/${requestId}/${randomUUID()}` : undefined;
  let held = false;
  const drToken = readDrToken(secrets, settings.secretId, deadline);
  // Read in parallel with the first probe; a rejection is awaited by whichever step needs the token.
  drToken.catch(() => undefined);
  const ctx: OperationContext = {
    request,
    settings,
    clusters,
    timeline,
    journal,
    log,
    deadline,
    logins: new LoginCache(settings, () => credentialsFromEnv(env)),
    lambda,
    leaseOwner: owner,
    primaryRecord: new PrimaryRecordStore(dynamodb, settings.leaseTableName, deadline, `dr-operations ${request.operation} (request ${requestId})`),
    drToken,
    now: () => new Date(),
  };
  try {
    if (owner !== undefined) {
      const got = await timeline.run('take lease', () => lease.acquire(owner, `dr-operations ${request.operation} (request ${requestId})`, deadline.endMs), (a) =>
        a.acquired ? `until ${new Date(deadline.endMs).toISOString()}` : 'held by another',
      );
      if (!got.acquired) {
        const holder = got.holder;
        const next: NextCommand = {
          function: 'dr-operations',
          event: eventOf(request),
          why: 'run it again once the other operation has ended (its lease expires at the latest then)',
          ...(holder ? { notBefore: holder.expiresAt } : {}),
        };
        throw new LeaseBusyError(
          `${request.operation} refused: another operation is running: ${holder ? `${holder.holder}, since ${holder.acquiredAt}, until ${holder.expiresAt} at the latest` : 'its lease could not be read'}`,
          { next },
        );
      }
      held = true;
    }
    const result = request.operation === 'status' ? await status(ctx, () => lease.current()) : await CHANGING[request.operation](ctx);
    log.info(result.summary, { outcome: result.outcome, clusters: result.clusters, changed: journal.changed, next: result.next, timeline: timeline.entries, warnings: result.warnings });
    return {
      operation: request.operation,
      dryRun: request.dryRun,
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      ...(request.drOperationToken === undefined ? {} : { breakGlassToken: true }),
      ...result,
      changed: [...journal.changed],
      timeline: timeline.entries,
    };
  } catch (err) {
    const error = finalizeError(err, {
      changed: journal.changed,
      clusters: journal.describeClusters(),
      ...(journal.dns === undefined ? {} : { dns: journal.dns }),
      defaultNext: journal.changed.length === 0
        ? { function: 'dr-operations', event: eventOf(request), why: 'nothing was changed: run it again once the cause is fixed' }
        : { function: 'dr-operations', event: { operation: 'failover' }, why: 'it finds the clusters as they are now, makes one the active primary if none is, and moves DNS to it' },
    });
    log.error(`${request.operation} did not complete`, { error: { name: error.name, message: error.message }, details: error.details, timeline: timeline.entries });
    throw error;
  } finally {
    if (held && owner !== undefined) {
      await lease.release(owner).catch((err: unknown) => log.warn('could not release the lease; it expires on its own', { error: { name: (err as Error).name, message: (err as Error).message } }));
    }
    secrets.destroy();
    dynamodb.destroy();
    lambda?.destroy();
    await clusters.close();
  }
}

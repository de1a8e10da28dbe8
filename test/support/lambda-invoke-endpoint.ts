/**
 * A local stand-in for the Lambda Invoke API: the functions' LambdaClient (pointed here with
 * AWS_ENDPOINT_URL_LAMBDA) calls POST /2015-03-31/functions/<name>/invocations and this runs the
 * named handler in-process with a Lambda-like context (remaining time from the function's timeout,
 * a request id, the caller's ClientContext), answering as Lambda does: a thrown error becomes
 * X-Amz-Function-Error with `{ errorType, errorMessage }`, the message carrying the DR error's
 * details as the Lambda runtime would (name and message only).
 *
 * With `logs`, it also does what Lambda does with a function's output: every line an invocation
 * writes to stdout goes to the CloudWatch Logs group `/aws/lambda/<function>` (moto), in a log
 * stream per function named as Lambda names them, between START and END/REPORT lines, shipped
 * every 100 ms while the invocation runs and in full before its answer is sent. Lines are told
 * apart by invocation with AsyncLocalStorage, so concurrent invocations (dr-operations invoking
 * dns-switch) each land in their own group.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, ResourceAlreadyExistsException } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaContextLike } from '../../functions/shared/deadline';
import { DrError } from '../../functions/shared/errors';

export type InvokableHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export interface LambdaInvokeEndpointOptions {
  /** Ship each invocation's stdout lines to CloudWatch Logs at this endpoint (moto). @default not shipped */
  readonly logs?: { readonly endpoint: string; readonly region: string };
}

export interface LambdaInvokeEndpoint {
  readonly endpoint: string;
  /** `timeoutMs` is the function's Lambda timeout: its context counts down from it. @default 60000 */
  register(functionName: string, handler: InvokableHandler, timeoutMs?: number): void;
  /** Forgets a function (a chaos run's own): its handler holds that run's whole world. */
  unregister(functionName: string): void;
  /** Names invoked so far, in order. */
  invocations(): readonly string[];
  /** The events each invocation received, in order. */
  events(): readonly { readonly name: string; readonly event: unknown }[];
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

type ClientContext = LambdaContextLike['clientContext'];

/** A context whose remaining time counts down from `timeoutMs`, as Lambda's does. */
export function lambdaContext(timeoutMs: number, awsRequestId: string = randomUUID(), clientContext?: ClientContext): LambdaContextLike {
  const end = Date.now() + timeoutMs;
  return { awsRequestId, getRemainingTimeInMillis: () => Math.max(0, end - Date.now()), ...(clientContext ? { clientContext } : {}) };
}

/** The Invoke API's ClientContext header: base64 of a JSON object (Lambda hands its `custom` etc. to the function). */
function clientContextOf(header: string | string[] | undefined): ClientContext {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as ClientContext) : undefined;
  } catch {
    return undefined;
  }
}

interface LogLine {
  readonly timestamp: number;
  readonly message: string;
}

/** One function's log group and stream in CloudWatch Logs, and the lines waiting to be put there. */
class FunctionLog {
  private readonly queue: LogLine[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly ready: Promise<void>;
  readonly group: string;
  readonly stream: string;

  constructor(
    private readonly client: CloudWatchLogsClient,
    functionName: string,
  ) {
    this.group = `/aws/lambda/${functionName}`;
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    // As Lambda names a stream: the date, the version, the execution environment's id.
    this.stream = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    this.ready = this.create();
    this.ready.catch(() => undefined);
  }

  private async create(): Promise<void> {
    try {
      await this.client.send(new CreateLogGroupCommand({ logGroupName: this.group }));
    } catch (err) {
      if (!(err instanceof ResourceAlreadyExistsException)) throw err;
    }
    await this.client.send(new CreateLogStreamCommand({ logGroupName: this.group, logStreamName: this.stream }));
  }

  push(message: string, timestamp = Date.now()): void {
    this.queue.push({ timestamp, message });
  }

  /** Puts what is queued (in order, one call at a time, as PutLogEvents wants). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      await this.ready;
      const batch = this.queue.splice(0).sort((a, b) => a.timestamp - b.timestamp);
      if (batch.length === 0) return;
      await this.client.send(new PutLogEventsCommand({ logGroupName: this.group, logStreamName: this.stream, logEvents: batch }));
    });
    return this.flushing;
  }
}

export async function startLambdaInvokeEndpoint(options: LambdaInvokeEndpointOptions = {}): Promise<LambdaInvokeEndpoint> {
  const handlers = new Map<string, { handler: InvokableHandler; timeoutMs: number; log: FunctionLog | undefined }>();
  const invoked: { name: string; event: unknown }[] = [];
  const logsClient = options.logs
    ? new CloudWatchLogsClient({ region: options.logs.region, endpoint: options.logs.endpoint, credentials: { accessKeyId: 'AKIALOCALLAMBDA00000', secretAccessKey: 'local-lambda' } })
    : undefined;
  // Which invocation a stdout line belongs to: the function's log, while its handler runs.
  const scope = new AsyncLocalStorage<FunctionLog>();
  const originalWrite = process.stdout.write;
  const shippingWrite = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    const log = scope.getStore();
    if (log === undefined) return (originalWrite as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    for (const line of String(chunk).split('\n')) if (line !== '') log.push(line);
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  } as typeof process.stdout.write;
  if (logsClient) process.stdout.write = shippingWrite;

  async function run(name: string, registered: { handler: InvokableHandler; timeoutMs: number; log: FunctionLog | undefined }, event: unknown, clientContext: ClientContext) {
    const requestId = randomUUID();
    const context = lambdaContext(registered.timeoutMs, requestId, clientContext);
    const log = registered.log;
    if (log === undefined) return registered.handler(event, context);
    const started = Date.now();
    log.push(`START RequestId: ${requestId} Version: $LATEST`, started);
    const ticker = setInterval(() => void log.flush().catch(() => undefined), 100);
    try {
      return await scope.run(log, () => registered.handler(event, context));
    } finally {
      clearInterval(ticker);
      log.push(`END RequestId: ${requestId}`);
      log.push(`REPORT RequestId: ${requestId}\tDuration: ${Date.now() - started} ms\tFunction: ${name}`);
      await log.flush().catch(() => undefined);
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = INVOKE_PATH.exec(req.url ?? '');
      const name = match ? decodeURIComponent(match[1] as string) : '';
      const registered = handlers.get(name);
      if (req.method !== 'POST' || !registered) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return;
      }
      let event: unknown;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        event = text ? JSON.parse(text) : {};
      } catch {
        event = undefined;
      }
      invoked.push({ name, event });
      run(name, registered, event, clientContextOf(req.headers['x-amz-client-context'])).then(
        (answer) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
          res.end(JSON.stringify(answer ?? null));
        },
        (err: Error) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
          res.end(JSON.stringify({ errorType: err.name, errorMessage: err instanceof DrError ? err.payloadMessage() : err.message }));
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('invoke endpoint has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    register: (name, handler, timeoutMs = 60_000) => handlers.set(name, { handler, timeoutMs, log: logsClient ? new FunctionLog(logsClient, name) : undefined }),
    unregister: (name) => {
      handlers.delete(name);
    },
    invocations: () => invoked.map((i) => i.name),
    events: () => [...invoked],
    stop: async () => {
      // Put back stdout unless something else has replaced it since.
      if (logsClient && process.stdout.write === shippingWrite) process.stdout.write = originalWrite;
      await new Promise<void>((r) => server.close(() => r()));
      logsClient?.destroy();
    },
  };
}

/**
 * A local stand-in for the Lambda Invoke API: the functions' LambdaClient (pointed here with
 * AWS_ENDPOINT_URL_LAMBDA) calls POST /2015-03-31/functions/<name>/invocations and this runs the
 * named handler in-process with a Lambda-like context (remaining time from the function's timeout,
 * a request id), answering as Lambda does: a thrown error becomes X-Amz-Function-Error with
 * `{ errorType, errorMessage }`, the message carrying the DR error's details as the Lambda runtime
 * would (name and message only).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { LambdaContextLike } from '../../functions/shared/deadline';
import { DrError } from '../../functions/shared/errors';

export type InvokableHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export interface LambdaInvokeEndpoint {
  readonly endpoint: string;
  /** `timeoutMs` is the function's Lambda timeout: its context counts down from it. @default 60000 */
  register(functionName: string, handler: InvokableHandler, timeoutMs?: number): void;
  /** Names invoked so far, in order. */
  invocations(): readonly string[];
  /** The events each invocation received, in order. */
  events(): readonly { readonly name: string; readonly event: unknown }[];
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

/** A context whose remaining time counts down from `timeoutMs`, as Lambda's does. */
export function lambdaContext(timeoutMs: number, awsRequestId: string = randomUUID()): LambdaContextLike {
  const end = Date.now() + timeoutMs;
  return { awsRequestId, getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}

export async function startLambdaInvokeEndpoint(): Promise<LambdaInvokeEndpoint> {
  const handlers = new Map<string, { handler: InvokableHandler; timeoutMs: number }>();
  const invoked: { name: string; event: unknown }[] = [];
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
      registered.handler(event, lambdaContext(registered.timeoutMs)).then(
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
    register: (name, handler, timeoutMs = 60_000) => handlers.set(name, { handler, timeoutMs }),
    invocations: () => invoked.map((i) => i.name),
    events: () => [...invoked],
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

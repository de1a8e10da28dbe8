/**
 * A local stand-in for the Lambda Invoke API: the functions' LambdaClient (pointed here with
 * AWS_ENDPOINT_URL_LAMBDA) calls POST /2015-03-31/functions/<name>/invocations and this runs the
 * named handler in-process, answering as Lambda does, including X-Amz-Function-Error on a throw.
 */
import { createServer, type Server } from 'node:http';

export type InvokableHandler = (event: unknown) => Promise<unknown>;

export interface LambdaInvokeEndpoint {
  readonly endpoint: string;
  register(functionName: string, handler: InvokableHandler): void;
  /** Names invoked so far, in order. */
  invocations(): readonly string[];
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

export async function startLambdaInvokeEndpoint(): Promise<LambdaInvokeEndpoint> {
  const handlers = new Map<string, InvokableHandler>();
  const invoked: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = INVOKE_PATH.exec(req.url ?? '');
      const name = match ? decodeURIComponent(match[1] as string) : '';
      const handler = handlers.get(name);
      if (req.method !== 'POST' || !handler) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return;
      }
      invoked.push(name);
      let event: unknown;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        event = text ? JSON.parse(text) : {};
      } catch {
        event = undefined;
      }
      handler(event).then(
        (answer) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
          res.end(JSON.stringify(answer ?? null));
        },
        (err: Error) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
          res.end(JSON.stringify({ errorType: err.name, errorMessage: err.message }));
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('invoke endpoint has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    register: (name, handler) => handlers.set(name, handler),
    invocations: () => [...invoked],
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

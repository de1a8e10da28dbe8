/**
 * A pass-through HTTP proxy in front of moto that can answer chosen AWS calls with the faults real
 * AWS shows and moto does not: a throttled Route 53 call, a change that stays PENDING for a while.
 * Everything else is forwarded to moto unchanged, so the SDK still talks real HTTP to real moto.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface AwsFaultProxy {
  readonly endpoint: string;
  /** The next `count` requests whose REST path or Action matches `action` are answered 400 Throttling. */
  throttle(action: RegExp, count?: number): void;
  /** The next `count` GetChange answers say PENDING instead of moto's INSYNC. */
  pendingChanges(count: number): void;
  /** Requests seen, as `METHOD path`, for assertions such as "exactly one ChangeResourceRecordSets". */
  calls(): readonly string[];
  clear(): void;
  stop(): Promise<void>;
}

const THROTTLED = `<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startAwsFaultProxy(upstream: string): Promise<AwsFaultProxy> {
  const target = new URL(upstream);
  const throttles: { action: RegExp; left: number }[] = [];
  let pending = 0;
  const seen: string[] = [];

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, rewrite?: (text: string) => string): void => {
    const upstreamReq = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (c: Buffer) => chunks.push(c));
        upstreamRes.on('end', () => {
          let out = Buffer.concat(chunks);
          if (rewrite) out = Buffer.from(rewrite(out.toString('utf8')));
          const headers = { ...upstreamRes.headers, 'content-length': String(out.length) };
          res.writeHead(upstreamRes.statusCode ?? 502, headers);
          res.end(out);
        });
      },
    );
    upstreamReq.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    upstreamReq.end(body);
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const label = `${req.method} ${req.url ?? ''}`;
      seen.push(label);
      const text = `${label} ${body.toString('utf8')}`;
      const rule = throttles.find((t) => t.left > 0 && t.action.test(text));
      if (rule) {
        rule.left--;
        res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fault-proxy' });
        res.end(THROTTLED);
        return;
      }
      if (pending > 0 && req.method === 'GET' && /\/change\//.test(req.url ?? '')) {
        pending--;
        forward(req, body, res, (xml) => xml.replace('<Status>INSYNC</Status>', '<Status>PENDING</Status>'));
        return;
      }
      forward(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    throttle: (action, count = 1) => throttles.push({ action, left: count }),
    pendingChanges: (count) => {
      pending = count;
    },
    calls: () => [...seen],
    clear: () => {
      seen.length = 0;
      throttles.length = 0;
      pending = 0;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A pass-through HTTP proxy in front of moto that can answer chosen AWS calls with the faults real
 * AWS shows and moto does not: a throttled Route 53 call, a change that stays PENDING for a while.
 * Everything else is forwarded to moto unchanged, so the SDK still talks real HTTP to real moto.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface AwsFaultProxy {
  readonly endpoint: string;
  /**
   * The next `count` requests whose REST path or Action matches `action` are answered 400
   * Throttling. `scope` names the rule for clear(scope) (runs sharing the proxy keep their own).
   */
  throttle(action: RegExp, count?: number, scope?: string): void;
  /** The next `count` requests whose REST path or Action matches `action` are answered 500 InternalFailure (a server-side error). */
  fail(action: RegExp, count?: number, scope?: string): void;
  /** The next `count` GetChange answers say PENDING instead of moto's INSYNC. */
  pendingChanges(count: number): void;
  /** The next `count` GetChange answers for changes made in hosted zone `zoneId` say PENDING. */
  pendingChangesIn(zoneId: string, count: number): void;
  /** Requests seen, as `METHOD path`, for assertions such as "exactly one ChangeResourceRecordSets". */
  calls(): readonly string[];
  /** Forgets every rule and the calls; with `scope`, only the rules of that scope (and that zone's PENDING count and calls). */
  clear(scope?: string): void;
  stop(): Promise<void>;
}

const THROTTLED = `<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;

const INTERNAL_FAILURE = `<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>An internal error occurred</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;

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
  let throttles: { action: RegExp; left: number; status: 400 | 500; scope: string | undefined }[] = [];
  let pending = 0;
  // Changes by hosted zone (from ChangeResourceRecordSets answers), for PENDING answers scoped to a zone.
  const pendingByZone = new Map<string, number>();
  const zoneOfChange = new Map<string, string>();
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
        res.writeHead(rule.status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fault-proxy' });
        res.end(rule.status === 400 ? THROTTLED : INTERNAL_FAILURE);
        return;
      }
      const changeId = /\/change\/([^/?]+)/.exec(req.url ?? '')?.[1];
      const zone = changeId === undefined ? undefined : zoneOfChange.get(changeId);
      if (req.method === 'GET' && changeId !== undefined && zone !== undefined && (pendingByZone.get(zone) ?? 0) > 0) {
        pendingByZone.set(zone, (pendingByZone.get(zone) ?? 0) - 1);
        forward(req, body, res, (xml) => xml.replace('<Status>INSYNC</Status>', '<Status>PENDING</Status>'));
        return;
      }
      if (pending > 0 && req.method === 'GET' && changeId !== undefined) {
        pending--;
        forward(req, body, res, (xml) => xml.replace('<Status>INSYNC</Status>', '<Status>PENDING</Status>'));
        return;
      }
      const changedZone = req.method === 'POST' ? /\/hostedzone\/([^/]+)\/rrset/.exec(req.url ?? '')?.[1] : undefined;
      if (changedZone !== undefined && pendingByZone.has(changedZone)) {
        forward(req, body, res, (xml) => {
          const id = /<Id>(?:\/change\/)?([^<]+)<\/Id>/.exec(xml)?.[1];
          if (id !== undefined) zoneOfChange.set(id, changedZone);
          return xml;
        });
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
    throttle: (action, count = 1, scope) => throttles.push({ action, left: count, status: 400, scope }),
    fail: (action, count = 1, scope) => throttles.push({ action, left: count, status: 500, scope }),
    pendingChanges: (count) => {
      pending = count;
    },
    pendingChangesIn: (zoneId, count) => {
      pendingByZone.set(zoneId, count);
    },
    calls: () => [...seen],
    clear: (scope) => {
      if (scope !== undefined) {
        throttles = throttles.filter((t) => t.scope !== scope);
        pendingByZone.delete(scope);
        // A long chaos run clears each run's zone: its calls go too, so the list stays small.
        for (let i = seen.length - 1; i >= 0; i--) if ((seen[i] as string).includes(scope)) seen.splice(i, 1);
        return;
      }
      seen.length = 0;
      throttles = [];
      pending = 0;
      pendingByZone.clear();
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

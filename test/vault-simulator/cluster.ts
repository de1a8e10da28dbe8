/**
 * One simulated cluster: its listener, the request log, and the application-level faults
 * ('sealed', 'error500') applied before the router. Transport faults live in listener.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MESSAGES, type SimResponse, errorBody } from './envelope';
import type { FaultListener } from './listener';
import type { ClusterNode } from './node';
import { type Route, dispatch } from './router';
import { healthResponse } from './routes/health';
import type { SharedState } from './state';
import type {
  ClusterFault,
  DrMode,
  DrStatusSnapshot,
  RecordedRequest,
  SecondaryReplicationState,
  SimulatedCluster,
} from './types';

const MAX_BODY_BYTES = 1024 * 1024;

function loggedPath(url: string | undefined): string {
  const pathname = (url ?? '').split('?')[0] as string;
  return pathname.startsWith('/v1/') ? pathname.slice('/v1/'.length) : pathname;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class SimulatedClusterImpl implements SimulatedCluster {
  private log: RecordedRequest[] = [];

  constructor(
    readonly node: ClusterNode,
    private readonly listener: FaultListener,
    private readonly state: SharedState,
    private readonly routes: readonly Route[],
  ) {
    listener.setHandlers(
      (req, res, arrivedAt) => void this.handle(req, res, arrivedAt),
      (req, arrivedAt) => this.record(req, 'no-answer', arrivedAt),
    );
  }

  get name(): string {
    return this.node.name;
  }

  get address(): string {
    return this.node.address;
  }

  get port(): number {
    return this.node.port;
  }

  setFault(fault: ClusterFault): Promise<void> {
    return this.listener.setFault(fault);
  }

  fault(): ClusterFault {
    return this.listener.fault();
  }

  drMode(): DrMode {
    return this.node.mode;
  }

  isAnsweringPrimary(): boolean {
    return this.node.isAnsweringPrimary();
  }

  requests(): readonly RecordedRequest[] {
    return [...this.log];
  }

  clearRequests(): void {
    this.log = [];
  }

  answerHealthFrom(node: 'active' | 'standby'): void {
    this.node.healthAnsweredBy = node;
  }

  setReplicationState(state: SecondaryReplicationState): void {
    this.state.replication.setReplicationState(this.node, state);
  }

  drStatus(): DrStatusSnapshot {
    return this.state.replication.status(this.node);
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  private record(req: IncomingMessage, status: number | 'no-answer', at: number): void {
    this.log.push({ method: req.method ?? '', path: loggedPath(req.url), status, at });
  }

  private async answer(req: IncomingMessage): Promise<SimResponse | 'no-answer'> {
    const rawBody = await readBody(req);
    // The fault may have changed during a 'slow' delay; the answer follows the fault now.
    switch (this.fault()) {
      case 'blackhole':
      case 'down':
        return 'no-answer';
      case 'error500':
        return { status: 500, body: errorBody([MESSAGES.internal]) };
      case 'sealed':
        if (loggedPath(req.url) !== 'sys/health') return { status: 503, body: errorBody([MESSAGES.sealed]) };
        break;
      default:
        break;
    }
    return dispatch(
      { node: this.node, state: this.state, routes: this.routes, health: healthResponse },
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, rawBody },
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse, arrivedAt: number): Promise<void> {
    let response: SimResponse | 'no-answer';
    try {
      response = await this.answer(req);
    } catch {
      response = 'no-answer';
    }
    // A 'down' set while this request was being answered has already cut its connection.
    if (response === 'no-answer' || res.destroyed || req.socket.destroyed) {
      this.record(req, 'no-answer', arrivedAt);
      res.socket?.destroy();
      return;
    }
    this.record(req, response.status, arrivedAt);
    const head = req.method === 'HEAD';
    if (response.body === undefined || head || response.status === 204) {
      res.writeHead(response.status, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

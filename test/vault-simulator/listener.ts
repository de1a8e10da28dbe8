/**
 * A cluster's TCP listener with the transport faults a test can inject. A plain net.Server accepts
 * connections and hands each one to an https.Server only when the fault allows it, so that
 * 'blackhole' can hold a socket without a TLS handshake and 'down' can really refuse connections
 * (the port is closed, then reopened on the same number).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ClusterFault } from './types';

/** Called for every request the fault lets through; `arrivedAt` is epoch ms of arrival. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, arrivedAt: number) => void;
/** Called for a request that will never be answered (blackhole, or stop during a 'slow' delay). */
export type SwallowedHandler = (req: IncomingMessage, arrivedAt: number) => void;

export interface FaultListenerOptions {
  readonly keyPem: string;
  readonly certPem: string;
  readonly slowMs: number;
}

const HOST = '127.0.0.1';

export class FaultListener {
  private readonly tcp: net.Server;
  private readonly tls: https.Server;
  /** Every raw socket accepted, so 'down' and stop() can cut them. */
  private readonly sockets = new Set<net.Socket>();
  /** Raw sockets accepted during 'blackhole': no byte is ever written to them. */
  private readonly heldSockets = new Set<net.Socket>();
  /** Requests that arrived on an open connection during 'blackhole'. */
  private readonly heldRequests = new Set<IncomingMessage>();
  private readonly delayed = new Map<NodeJS.Timeout, { req: IncomingMessage; arrivedAt: number }>();
  private current: ClusterFault = 'none';
  private changing: Promise<void> = Promise.resolve();
  private listening = false;
  private stopped = false;
  private handler: RequestHandler = (_req, res) => res.destroy();
  private swallowed: SwallowedHandler = () => undefined;
  port = 0;

  private constructor(private readonly options: FaultListenerOptions) {
    this.tls = https.createServer({ key: options.keyPem, cert: options.certPem }, (req, res) => this.onRequest(req, res));
    // Clients that reject the certificate abort the handshake; that is expected, not an error.
    this.tls.on('tlsClientError', (_error, socket) => socket.destroy());
    this.tcp = net.createServer((socket) => this.onConnection(socket));
  }

  static async start(options: FaultListenerOptions): Promise<FaultListener> {
    const listener = new FaultListener(options);
    await listener.listen();
    return listener;
  }

  setHandlers(handler: RequestHandler, swallowed: SwallowedHandler): void {
    this.handler = handler;
    this.swallowed = swallowed;
  }

  fault(): ClusterFault {
    return this.current;
  }

  /** Calls are serialised, so a test that does not await one change cannot interleave two closes/listens. */
  setFault(next: ClusterFault): Promise<void> {
    const change = this.changing.then(() => this.applyFault(next));
    this.changing = change.catch(() => undefined);
    return change;
  }

  private async applyFault(next: ClusterFault): Promise<void> {
    if (this.stopped) throw new Error('setFault after stop');
    const previous = this.current;
    this.current = next;
    if (previous === 'blackhole' && next !== 'blackhole') this.releaseHeld();
    if (next === 'down' && this.listening) {
      // A crashed node also drops its open connections, keep-alive ones included.
      this.destroyAllSockets();
      await this.close();
    } else if (next !== 'down' && !this.listening) {
      await this.listen();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const [timer, pending] of this.delayed) {
      clearTimeout(timer);
      this.swallowed(pending.req, pending.arrivedAt);
    }
    this.delayed.clear();
    this.releaseHeld();
    this.destroyAllSockets();
    if (this.listening) await this.close();
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.heldSockets.delete(socket);
    });
    // Resets from clients giving up are part of the tests; they must not crash the process.
    socket.on('error', () => undefined);
    if (this.stopped || this.current === 'down') {
      socket.destroy();
      return;
    }
    if (this.current === 'blackhole') {
      this.heldSockets.add(socket);
      return;
    }
    this.tls.emit('connection', socket);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const arrivedAt = Date.now();
    if (this.current === 'blackhole') {
      this.heldRequests.add(req);
      this.swallowed(req, arrivedAt);
      return;
    }
    if (this.current === 'slow') {
      const timer = setTimeout(() => {
        this.delayed.delete(timer);
        this.handler(req, res, arrivedAt);
      }, this.options.slowMs);
      this.delayed.set(timer, { req, arrivedAt });
      return;
    }
    this.handler(req, res, arrivedAt);
  }

  private releaseHeld(): void {
    for (const socket of this.heldSockets) socket.destroy();
    this.heldSockets.clear();
    for (const req of this.heldRequests) req.socket.destroy();
    this.heldRequests.clear();
  }

  private destroyAllSockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.tcp.once('error', onError);
      this.tcp.listen({ host: HOST, port: this.port }, () => {
        this.tcp.off('error', onError);
        this.listening = true;
        this.port = (this.tcp.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tcp.close((error) => {
        this.listening = false;
        if (error) reject(error);
        else resolve();
      });
    });
  }
}

/**
 * One load balancer listener of a cluster on one network (functions or clients). A plain
 * net.Server accepts connections; each new connection goes to a node the target group picks
 * (seeded), and is handed to that node's https.Server only when nothing stops it:
 *
 * - network 'refused': the port is closed (connections are refused); 'blackhole': connections are
 *   accepted and never answered. Both also stop requests on connections already open.
 * - node 'refused': the connection is reset at once (a crashed process); when every candidate node
 *   refuses, the port itself is closed, as the old whole-cluster 'down' did.
 * - node 'blackhole': the connection is held without a TLS handshake; requests arriving on an open
 *   connection to it are swallowed.
 * - node 'slow': each request waits `slowMs` simulated ms before it is handled.
 *
 * The node a connection went to keeps it (keep-alive requests stay on one node), as with an NLB.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { SimTimer, SimulatedClock } from './clock';
import type { VaultNode } from './node';
import type { NetworkState } from './types';

/** Called for every request that reached a node; `arrivedAt` is real epoch ms of arrival. */
export type NodeRequestHandler = (node: VaultNode, req: IncomingMessage, res: ServerResponse, arrivedAt: number) => void;
/** Called for a request that will never be answered (held by a blackhole, or cut by stop). */
export type SwallowedHandler = (node: VaultNode | undefined, req: IncomingMessage, arrivedAt: number) => void;

export interface LoadBalancerListenerOptions {
  readonly keyPem: string;
  readonly certPem: string;
  readonly clock: SimulatedClock;
  readonly slowMs: number;
  /** The node for a new connection, or undefined when the cluster has none. */
  readonly pick: () => VaultNode | undefined;
  /** Whether any node a connection could go to accepts connections at all. */
  readonly anyCandidateAccepts: () => boolean;
  readonly handle: NodeRequestHandler;
  readonly swallowed: SwallowedHandler;
}

const HOST = '127.0.0.1';
/** Held by the network cut rather than by a node. */
const NETWORK = 'network';
type Holder = VaultNode | typeof NETWORK;

export class LoadBalancerListener {
  private readonly tcp: net.Server;
  private readonly servers = new Map<VaultNode, https.Server>();
  /** Every raw socket accepted, with the node it went to (undefined: not routed yet). */
  private readonly sockets = new Map<net.Socket, VaultNode | undefined>();
  private readonly heldSockets = new Map<net.Socket, Holder>();
  private readonly heldRequests = new Map<IncomingMessage, Holder>();
  private readonly delayed = new Map<SimTimer, { node: VaultNode; req: IncomingMessage; arrivedAt: number }>();
  private current: NetworkState = 'up';
  private changing: Promise<void> = Promise.resolve();
  private listening = false;
  private stopped = false;
  port = 0;

  private constructor(private readonly options: LoadBalancerListenerOptions) {
    this.tcp = net.createServer((socket) => this.onConnection(socket));
  }

  static async start(options: LoadBalancerListenerOptions): Promise<LoadBalancerListener> {
    const listener = new LoadBalancerListener(options);
    await listener.listen();
    return listener;
  }

  state(): NetworkState {
    return this.current;
  }

  /** Serialised, so that a test that does not await one change cannot interleave two closes/listens. */
  setState(next: NetworkState): Promise<void> {
    return this.serialise(async () => {
      if (this.stopped) throw new Error('setNetwork after stop');
      const previous = this.current;
      this.current = next;
      if (previous === 'blackhole' && next !== 'blackhole') this.release(NETWORK);
      if (next === 'refused') this.destroyAll();
      await this.syncListening();
    });
  }

  /** Re-checks whether the port should be open (every candidate node refusing closes it). */
  refresh(): Promise<void> {
    return this.serialise(() => this.syncListening());
  }

  /** A node crashed or left rotation: the connections routed to it are reset. */
  resetConnectionsOf(node: VaultNode): void {
    for (const [socket, routed] of this.sockets) {
      if (routed === node) {
        socket.destroy();
        this.sockets.delete(socket);
      }
    }
    this.release(node);
  }

  /** A node's blackhole ended: what it held is dropped (the client long gave up or will time out). */
  releaseHeldBy(node: VaultNode): void {
    this.release(node);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const [timer, pending] of this.delayed) {
      this.options.clock.cancel(timer);
      this.options.swallowed(pending.node, pending.req, pending.arrivedAt);
    }
    this.delayed.clear();
    this.release(undefined);
    this.destroyAll();
    await this.changing;
    if (this.listening) await this.close();
  }

  private serialise(change: () => Promise<void>): Promise<void> {
    const next = this.changing.then(change);
    this.changing = next.catch(() => undefined);
    return next;
  }

  private async syncListening(): Promise<void> {
    const shouldListen = !this.stopped && this.current !== 'refused' && this.options.anyCandidateAccepts();
    if (shouldListen && !this.listening) await this.listen();
    else if (!shouldListen && this.listening) {
      this.destroyAll();
      await this.close();
    }
  }

  private serverFor(node: VaultNode): https.Server {
    let server = this.servers.get(node);
    if (server === undefined) {
      server = https.createServer({ key: this.options.keyPem, cert: this.options.certPem }, (req, res) => this.onRequest(node, req, res));
      // Clients that reject the certificate abort the handshake; that is expected, not an error.
      server.on('tlsClientError', (_error, socket) => socket.destroy());
      this.servers.set(node, server);
    }
    return server;
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.set(socket, undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.heldSockets.delete(socket);
    });
    // Resets from clients giving up are part of the tests; they must not crash the process.
    socket.on('error', () => undefined);
    if (this.stopped || this.current === 'refused') {
      socket.destroy();
      return;
    }
    if (this.current === 'blackhole') {
      this.heldSockets.set(socket, NETWORK);
      return;
    }
    const node = this.options.pick();
    if (node === undefined) {
      socket.destroy();
      return;
    }
    this.sockets.set(socket, node);
    switch (node.fault()) {
      case 'refused':
        socket.resetAndDestroy();
        return;
      case 'blackhole':
        this.heldSockets.set(socket, node);
        return;
      default:
        this.serverFor(node).emit('connection', socket);
    }
  }

  private onRequest(node: VaultNode, req: IncomingMessage, res: ServerResponse): void {
    const arrivedAt = Date.now();
    if (this.current !== 'up') {
      this.hold(NETWORK, req, arrivedAt);
      return;
    }
    switch (node.fault()) {
      case 'refused':
        req.socket.destroy();
        this.options.swallowed(node, req, arrivedAt);
        return;
      case 'blackhole':
        this.hold(node, req, arrivedAt);
        return;
      case 'slow': {
        const timer = this.options.clock.after(this.options.slowMs, () => {
          this.delayed.delete(timer);
          this.options.handle(node, req, res, arrivedAt);
        });
        this.delayed.set(timer, { node, req, arrivedAt });
        return;
      }
      default:
        this.options.handle(node, req, res, arrivedAt);
    }
  }

  private hold(holder: Holder, req: IncomingMessage, arrivedAt: number): void {
    this.heldRequests.set(req, holder);
    this.options.swallowed(holder === NETWORK ? undefined : holder, req, arrivedAt);
  }

  /** Drops what `holder` held (every hold when undefined). */
  private release(holder: Holder | undefined): void {
    for (const [socket, by] of this.heldSockets) {
      if (holder === undefined || by === holder) {
        socket.destroy();
        this.heldSockets.delete(socket);
      }
    }
    for (const [req, by] of this.heldRequests) {
      if (holder === undefined || by === holder) {
        req.socket.destroy();
        this.heldRequests.delete(req);
      }
    }
  }

  private destroyAll(): void {
    for (const socket of this.sockets.keys()) socket.destroy();
    this.sockets.clear();
    this.heldSockets.clear();
    this.heldRequests.clear();
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

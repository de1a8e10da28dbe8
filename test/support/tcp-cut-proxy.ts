/**
 * A TCP forwarder on 127.0.0.1 in front of one simulated cluster, for a network cut that only ONE
 * vantage point sees: point a function's VAULT_CLUSTERS at `address` and cut it, and that function
 * alone loses the cluster while the cluster itself, and DR replication, carry on. TLS passes through
 * untouched (the simulator's certificate names IP 127.0.0.1), so the client still verifies it.
 *
 * States: 'up' forwards; 'blackhole' accepts connections and never answers (packets dropped);
 * 'refused' resets every new connection. A cut also drops the connections already open.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type CutState = 'up' | 'blackhole' | 'refused';

export interface TcpCutProxy {
  /** `https://127.0.0.1:<port>`: the cluster's address as the cut-off vantage point sees it. */
  readonly address: string;
  readonly port: number;
  set(state: CutState): void;
  state(): CutState;
  /** Connections accepted so far (a probe opens one per request). */
  connections(): number;
  stop(): Promise<void>;
}

export async function startTcpCutProxy(targetPort: number): Promise<TcpCutProxy> {
  let current: CutState = 'up';
  let accepted = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    accepted += 1;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (current === 'refused') {
      client.resetAndDestroy();
      return;
    }
    if (current === 'blackhole') return; // held open, never answered
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the cut proxy has no port');
  return {
    address: `https://127.0.0.1:${address.port}`,
    port: address.port,
    set(state) {
      current = state;
      if (state !== 'up') for (const socket of open) socket.destroy();
    },
    state: () => current,
    connections: () => accepted,
    stop: () =>
      new Promise<void>((r) => {
        for (const socket of open) socket.destroy();
        server.close(() => r());
      }),
  };
}

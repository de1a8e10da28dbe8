/**
 * undici's connector with a precise connect timeout. undici arms its own connect timeout on a
 * coarse shared timer (a 500 ms tick), so "1000 ms" can take 1.5 s, and two attempts against a
 * blackholed primary would cost three seconds of a failover. This wraps undici's connector (which
 * still does the TCP + TLS work, with verification on) and gives up exactly at the bound.
 */
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import buildConnector from 'undici/lib/core/connect';

type Connector = ReturnType<typeof buildConnector>;
type ConnectOptions = Parameters<Connector>[0];
type ConnectCallback = Parameters<Connector>[1];

export function boundedConnector(connectTimeoutMs: number, caPem: string | undefined): Connector {
  // undici's own timer stays as a backstop well after ours.
  const connect = buildConnector({ timeout: connectTimeoutMs * 4, ...(caPem === undefined ? {} : { ca: caPem }) });
  return (options: ConnectOptions, callback: ConnectCallback): void => {
    let settled = false;
    const socket = (connect as unknown as (o: ConnectOptions, cb: ConnectCallback) => Socket | TLSSocket | undefined)(options, (...args) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      callback(...args);
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket?.destroy();
      const error = Object.assign(new Error(`no TCP/TLS connection to ${options.hostname}:${options.port} within ${connectTimeoutMs} ms`), {
        code: 'UND_ERR_CONNECT_TIMEOUT',
      });
      callback(error, null);
    }, connectTimeoutMs);
  };
}

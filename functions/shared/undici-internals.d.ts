/**
 * Types for the two undici modules the functions import by path. undici's root module also loads
 * fetch, WebSocket, caches and mocks (about 50 ms of a cold start); the Vault client needs only a
 * connection Agent and `request`. The pinned version (package.json) is what these paths are for.
 */
declare module 'undici/lib/dispatcher/agent' {
  import { Agent } from 'undici';
  export default Agent;
}

declare module 'undici/lib/api/api-request' {
  import type { Dispatcher } from 'undici';
  /** Called with the dispatcher as `this`, as undici's own Dispatcher.prototype.request does. */
  export default function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

declare module 'undici/lib/core/connect' {
  import { buildConnector } from 'undici';
  /** Its connector also returns the socket it starts connecting, which undici's typings leave out. */
  export default buildConnector;
}

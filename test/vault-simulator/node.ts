/**
 * One Vault server of a cluster: its fault, and the predicates the rest of the simulator agrees
 * on (does it vote in Raft, does it answer requests). Whether it is the active node is the
 * cluster's business (cluster.ts); what it says in sys/health is routes/health.ts's.
 */
import { randomUUID } from 'node:crypto';
import type { NodeFault } from './types';

/** Faults under which the process is gone, hung, unreachable, or not unsealed: no Raft vote, no HA lock. */
const NOT_A_VOTER: ReadonlySet<NodeFault> = new Set(['refused', 'blackhole', 'sealed', 'uninitialized', 'removed']);

export class VaultNode {
  private current: NodeFault = 'none';
  /** The node's own id in sys/health and sys/seal-status (the cluster's id, as Vault reports it). */
  readonly healthClusterId: string;
  /** The Vault binary it runs: what its sys/health `version` says. */
  version: string;
  /**
   * Its suffrage in the Raft configuration: a non-voter (a node of a newer version that autopilot's
   * automated upgrades has not promoted yet) replicates the log but neither votes nor leads.
   */
  voter = true;

  constructor(
    readonly cluster: string,
    readonly index: number,
    healthClusterId: string = randomUUID(),
    version = '0.0.0',
  ) {
    this.healthClusterId = healthClusterId;
    this.version = version;
  }

  get id(): string {
    return `${this.cluster}-${this.index}`;
  }

  fault(): NodeFault {
    return this.current;
  }

  /** Set through the cluster, which reconciles elections and load balancer rotation after it. */
  applyFault(fault: NodeFault): void {
    this.current = fault;
  }

  /** Takes part in Raft and can hold the HA lock: alive, unsealed, and a voter. */
  raftVoter(): boolean {
    return this.voter && !NOT_A_VOTER.has(this.current);
  }

  /** Answers requests with its real state ('slow' only delays it). */
  serving(): boolean {
    return this.current === 'none' || this.current === 'slow';
  }
}

/**
 * One cluster's replication record. It is plain data plus the derived predicates every other part
 * of the simulator agrees on (reachable, transitioning, answering primary); the rules that change
 * it live in replication.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterFault, DrMode, SecondaryReplicationState } from './types';

export type NodeReplicationState = 'running' | SecondaryReplicationState;

/** A promote or demote that was accepted and has not completed yet. */
export interface PendingTransition {
  readonly kind: 'promote' | 'demote';
  readonly timer: NodeJS.Timeout;
}

export class ClusterNode {
  mode: DrMode = 'disabled';
  state: NodeReplicationState = 'running';
  /** The replication set's id, reported as dr/status cluster_id; shared by a primary and its secondaries. */
  replicationClusterId: string | undefined;
  /** A secondary's primary, by cluster name. */
  primaryName: string | undefined;
  /** A secondary's id as its primary knows it. */
  secondaryId: string | undefined;
  /** A primary's known_secondaries. */
  knownSecondaries: string[] = [];
  /** The key from generate-public-key, which an activation token may be bound to. */
  publicKey: string | undefined;
  /** Set by demote: the cluster needs an activation token, update_primary_addrs is refused. */
  demoted = false;
  transition: PendingTransition | undefined;
  /**
   * Which node behind the cluster's load balancer answers sys/health: the active one, or a standby
   * that reaches it (the load balancer keeps standbys in service, so a probe can land on either).
   */
  healthAnsweredBy: 'active' | 'standby' = 'active';
  /** The node's own cluster id (sys/health, sys/seal-status); unlike replicationClusterId it never changes. */
  readonly healthClusterId = randomUUID();

  constructor(
    readonly name: string,
    readonly address: string,
    readonly port: number,
    private readonly currentFault: () => ClusterFault,
  ) {}

  fault(): ClusterFault {
    return this.currentFault();
  }

  /** The listener answers requests with the cluster's real state ('slow' only delays it). */
  reachable(): boolean {
    const fault = this.fault();
    return fault === 'none' || fault === 'slow';
  }

  transitioning(): boolean {
    return this.transition !== undefined;
  }

  isAnsweringPrimary(): boolean {
    return this.mode === 'primary' && !this.transitioning() && this.reachable();
  }
}

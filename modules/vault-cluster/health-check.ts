import { VAULT_API_PORT } from './defaults';

/*
 * Load balancer health checks: what "healthy" means for a Vault node, and why.
 *
 * GET /v1/sys/health answers by node state (Vault API docs, system/health): 200 active, 429 standby,
 * 472 DR secondary (active or standby), 473 performance standby, 474 standby that cannot reach
 * its active node, 501 not initialised, 503 sealed, 530 removed from Raft. Precedence is
 * uninitialised, removed, sealed, HA-unhealthy, DR secondary, perf standby, standby.
 *
 * API target group (8200): `?standbyok=true&perfstandbyok=true&drsecondarycode=200`, matcher 200.
 *  - active, standby (429 -> 200), perf standby (473 -> 200): in service. Standbys forward
 *    requests to the active node, so they serve clients, and a leader election does not empty
 *    the target group.
 *  - DR secondary (472 -> 200): in service. The DR cluster's own address must answer, because
 *    the DR functions call sys/replication/dr/status and secondary/promote there. With 472
 *    counted as unhealthy every node of the DR cluster would fail the check: the Auto Scaling
 *    group (ELB health checks) would replace the whole replica again and again, the NLB would
 *    fail open to every target (sealed ones included) and the quorum alarm would never clear.
 *    Being in service already also means a promotion needs no health-check ramp-up (two
 *    intervals) before the new primary takes traffic. Clients that reach a DR secondary by
 *    mistake get Vault's own 400 "path disabled in replication DR secondary mode".
 *  - 474, 501, 503, 530: out of service. Such a node can neither answer nor forward, and the
 *    group replaces it (a replacement joins Raft and auto-unseals). The instance maintenance
 *    policy launches the replacement first and waits for it to be healthy, so a cluster-wide
 *    seal (KMS outage) does not turn into every node being terminated with its Raft data.
 *
 * Cluster target group (8201): same query, checked on 8200 because the cluster port speaks only
 * Vault's mutually authenticated TLS (no HTTP to probe). What replication needs there is a
 * member that can name the active node: a secondary reaching any unsealed, initialised member of
 * the primary in contact with its leader asks it for the active node (resolver_discover_servers,
 * on by default) and then connects to that node directly (the peer CIDRs are open on 8201). A
 * DR secondary's members stay in service so the path already works the moment it is promoted
 * and the old primary connects back with update-primary.
 *
 * So for the quorum alarm, "healthy" = an initialised, unsealed node that is the leader or in
 * contact with it, whatever its replication role: HealthyHostCount below floor(n/2)+1 means
 * fewer live, connected Raft voters than a quorum.
 */

/** Query that keeps every unsealed, initialised, connected cluster member in service. */
export const VAULT_MEMBER_HEALTH_PATH = '/v1/sys/health?standbyok=true&perfstandbyok=true&drsecondarycode=200';

export interface HealthCheckSettings {
  readonly protocol: 'HTTPS';
  readonly port: string;
  readonly path: string;
  readonly matcher: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/**
 * Shared by both target groups. Two failures 10 s apart take a node out within ~20 s; two
 * successes bring a replacement in as fast. NLB HTTPS health checks do not verify the
 * certificate, so the probe needs no CA.
 */
export const VAULT_HEALTH_CHECK: HealthCheckSettings = Object.freeze({
  protocol: 'HTTPS',
  port: String(VAULT_API_PORT),
  path: VAULT_MEMBER_HEALTH_PATH,
  matcher: '200',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
});

/** Smallest number of voters that is a Raft quorum. */
export function raftQuorum(nodeCount: number): number {
  return Math.floor(nodeCount / 2) + 1;
}

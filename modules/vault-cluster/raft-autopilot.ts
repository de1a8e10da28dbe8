import type { TerraformProvider } from '../internal/cdktf';
import { Construct } from 'constructs';
import { PropsValidationError } from '../shared/props-validation-error';
import { RaftAutopilot } from '../internal/vault';
import { raftQuorum } from './health-check';

/** Props of VaultRaftAutopilot. */
export interface VaultRaftAutopilotProps {
  /** Number of nodes of the cluster (VaultCluster's nodeCount): 3 or 5. */
  readonly nodeCount: number;
  /**
   * How long a node must be out of contact with the leader before autopilot removes it from Raft
   * (a Go duration: `24h`, `90m`). HashiCorp strongly recommends a high value such as a day: a
   * low one removes nodes that are not dead (a node rebooting, an availability zone cut off for
   * an hour), and such a node must be wiped before it can join again. Vault refuses less than 1m.
   * Nodes that the Auto Scaling group replaces are removed by the operator as part of the
   * replacement (docs/runbook.md, "Node replacements and dead servers"), not by this timer.
   * @default '24h'
   */
  readonly deadServerLastContactThreshold?: string;
  /**
   * Voters autopilot never prunes below. Vault refuses less than 3 when dead-server cleanup is on.
   * The default, the quorum of the node count but at least 3 (3 for 5 nodes), lets autopilot
   * remove up to two dead voters of a five-node cluster when no replacement arrives, which keeps
   * the survivors' failure tolerance at one; the node count itself would block that pruning.
   * @default max(3, floor(nodeCount / 2) + 1)
   */
  readonly minQuorum?: number;
  /**
   * The Vault provider of the cluster (root namespace).
   * @default - the scope's default Vault provider
   */
  readonly provider?: TerraformProvider;
}

/** Every default of VaultRaftAutopilot. */
export const VAULT_RAFT_AUTOPILOT_DEFAULTS = Object.freeze({
  deadServerLastContactThreshold: '24h',
  cleanupDeadServers: true,
  /** Vault's own lower bounds (vault/logical_system_raft.go refuses anything less). */
  minimumMinQuorum: 3,
  minimumDeadServerSeconds: 60,
});

/** What VaultRaftAutopilot writes to sys/storage/raft/autopilot/configuration. */
export interface RaftAutopilotConfiguration {
  readonly cleanupDeadServers: boolean;
  /** In Go's form (`24h0m0s`), as Vault reads it back. */
  readonly deadServerLastContactThreshold: string;
  readonly minQuorum: number;
}

const DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;

/** Seconds of a Go duration made of hours, minutes and seconds (`24h`, `1h30m`); undefined otherwise. */
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (value === '' || match === null) return undefined;
  const [, h, m, s] = match;
  return (h ? parseInt(h, 10) * 3600 : 0) + (m ? parseInt(m, 10) * 60 : 0) + (s ? parseInt(s, 10) : 0);
}

/**
 * A duration as Go's time.Duration.String() writes it (`24h0m0s`, `10m0s`, `45s`): what Vault
 * answers on read, and so what the provider keeps in state. Writing `24h` would show a change on
 * every plan (the provider reads back `24h0m0s` and has no diff suppression for this field).
 */
export function goDurationString(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The validated configuration of VaultRaftAutopilot's props (the drill applies it to a real server). */
export function resolveRaftAutopilotConfiguration(props: Omit<VaultRaftAutopilotProps, 'provider'>): RaftAutopilotConfiguration {
  const d = VAULT_RAFT_AUTOPILOT_DEFAULTS;
  const fail = (prop: string, problem: string): never => {
    throw new PropsValidationError('VaultRaftAutopilot', prop, problem);
  };
  if (![3, 5].includes(props.nodeCount)) fail('nodeCount', `must be the cluster's node count, 3 or 5 (got ${props.nodeCount})`);
  const threshold = props.deadServerLastContactThreshold ?? d.deadServerLastContactThreshold;
  const seconds = durationSeconds(threshold);
  if (seconds === undefined) fail('deadServerLastContactThreshold', `must be a duration such as "24h" or "90m" (got "${threshold}")`);
  if (seconds! < d.minimumDeadServerSeconds) {
    fail('deadServerLastContactThreshold', `must be at least 1m, Vault refuses less (got "${threshold}"); HashiCorp recommends about a day`);
  }
  const minQuorum = props.minQuorum ?? Math.max(d.minimumMinQuorum, raftQuorum(props.nodeCount));
  if (!Number.isInteger(minQuorum) || minQuorum < d.minimumMinQuorum || minQuorum > props.nodeCount) {
    fail('minQuorum', `must be a whole number from ${d.minimumMinQuorum} (Vault's minimum with dead-server cleanup) to nodeCount ${props.nodeCount} (got ${minQuorum})`);
  }
  return { cleanupDeadServers: d.cleanupDeadServers, deadServerLastContactThreshold: goDurationString(seconds!), minQuorum };
}

/**
 * Raft autopilot for a cluster whose nodes are replaced by an Auto Scaling group: dead-server
 * cleanup on, with HashiCorp's recommended threshold of about a day, and min_quorum at the
 * cluster's quorum (never below Vault's minimum of 3).
 * https://developer.hashicorp.com/vault/docs/commands/operator/raft#autopilot-set-config
 *
 * Autopilot's configuration is an `ignored` storage entry, not replicated: this resource
 * configures the cluster its provider points at (the primary). The DR secondary is configured
 * with a DR operation token (docs/runbook.md, "Raft autopilot on the DR secondary").
 * https://developer.hashicorp.com/vault/docs/enterprise/replication#replicated-data
 */
export class VaultRaftAutopilot extends Construct {
  /** The configuration written (for status checks and the restore drill). */
  public readonly configuration: RaftAutopilotConfiguration;

  constructor(scope: Construct, id: string, props: VaultRaftAutopilotProps) {
    super(scope, id);
    this.configuration = resolveRaftAutopilotConfiguration(props);
    new RaftAutopilot(this, 'Autopilot', {
      provider: props.provider,
      cleanupDeadServers: this.configuration.cleanupDeadServers,
      deadServerLastContactThreshold: this.configuration.deadServerLastContactThreshold,
      minQuorum: this.configuration.minQuorum,
    });
  }
}

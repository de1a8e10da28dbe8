import type { TerraformProvider } from '../internal/cdktf';
import { Construct } from 'constructs';
import { PropsValidationError } from '../shared/props-validation-error';
import { RaftAutopilot } from '../internal/vault';

/** Props of VaultRaftAutopilot. */
export interface VaultRaftAutopilotProps {
  /** Number of nodes of the cluster (VaultCluster's nodeCount): 3 or 5. */
  readonly nodeCount: number;
  /**
   * How long a node must be out of contact before autopilot removes it from Raft. It must be
   * longer than a node's ordinary absences (a reboot) and short enough that the nodes the Auto
   * Scaling group replaces leave Raft before the next replacement.
   * @default '10m'
   */
  readonly deadServerLastContactThreshold?: string;
  /**
   * The Vault provider of the cluster (root namespace).
   * @default - the scope's default Vault provider
   */
  readonly provider?: TerraformProvider;
}

/** Every default of VaultRaftAutopilot. */
export const VAULT_RAFT_AUTOPILOT_DEFAULTS = Object.freeze({
  deadServerLastContactThreshold: '10m',
});

/**
 * Raft autopilot for a cluster whose nodes are replaced by an Auto Scaling group. A replaced node
 * does not leave Raft by itself; without dead-server cleanup every replacement leaves a dead voter
 * behind, and a few instance refreshes later the dead outnumber the quorum. min_quorum (the node
 * count) keeps autopilot from pruning a healthy cluster below its size.
 *
 * Autopilot's configuration is per cluster, not replicated: this resource configures the cluster
 * its provider points at (the primary). The DR secondary is configured with a DR operation token
 * (docs/runbook.md, "Raft autopilot on the DR secondary").
 */
export class VaultRaftAutopilot extends Construct {
  constructor(scope: Construct, id: string, props: VaultRaftAutopilotProps) {
    super(scope, id);
    if (![3, 5].includes(props.nodeCount)) {
      throw new PropsValidationError('VaultRaftAutopilot', 'nodeCount', `must be the cluster's node count, 3 or 5 (got ${props.nodeCount})`);
    }
    const threshold = props.deadServerLastContactThreshold ?? VAULT_RAFT_AUTOPILOT_DEFAULTS.deadServerLastContactThreshold;
    if (!/^\d+[smh]$/.test(threshold)) {
      throw new PropsValidationError('VaultRaftAutopilot', 'deadServerLastContactThreshold', `must be a duration such as "10m" (got "${threshold}")`);
    }
    new RaftAutopilot(this, 'Autopilot', {
      provider: props.provider,
      cleanupDeadServers: true,
      deadServerLastContactThreshold: threshold,
      minQuorum: props.nodeCount,
    });
  }
}

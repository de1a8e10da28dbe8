import { RaftSnapshotAgentConfig } from '../internal/vault';
import { Construct } from 'constructs';
import { snapshotAgentConfigs } from './agent-config';
import type { VaultSnapshotScheduleProps } from './types';
import { validateSnapshotScheduleProps } from './validate';

/**
 * Vault Enterprise automated Raft snapshots (sys/storage/raft/snapshot-auto), one configuration
 * per destination, written through the Vault provider to the primary cluster.
 *
 * Where the configuration lives decides what happens after a failover: it is stored in the
 * primary's replicated storage, so the DR secondary holds the same list and, once promoted, runs
 * it. Hence one configuration per REGION's bucket rather than one per cluster role: whichever
 * cluster is primary writes every snapshot to both regions, and when a region is lost the
 * survivor keeps writing to its own region's bucket (the configuration aimed at the lost region
 * reports errors until it returns). See docs/runbook.md.
 *
 * Construct ids are the destination names: renaming a destination replaces its configuration.
 */
export class VaultSnapshotSchedule extends Construct {
  /** Names of the configurations (`<environment>-<destination>`), for status checks. */
  public readonly configurationNames: readonly string[];

  constructor(scope: Construct, id: string, props: VaultSnapshotScheduleProps) {
    super(scope, id);
    validateSnapshotScheduleProps(this, props);
    const configs = snapshotAgentConfigs(props);
    configs.forEach((config, i) => {
      new RaftSnapshotAgentConfig(this, props.destinations[i].name, { provider: props.provider, ...config });
    });
    this.configurationNames = configs.map((c) => c.name);
  }
}

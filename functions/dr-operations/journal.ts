/**
 * What an operation changed and the clusters as last seen, recorded as it goes, so that a failure
 * at any step can say what was changed and the state the clusters were left in.
 */
import { describeView, type ClusterView } from '../shared/cluster-probe';
import type { ClusterRef } from '../shared/settings/clusters';

export class Journal {
  readonly changed: string[] = [];
  private readonly latest = new Map<string, ClusterView>();
  /** What is known about DNS, once this invocation has tried to move it. */
  dns: string | undefined;

  constructor(private readonly refs: readonly ClusterRef[]) {}

  /** Records a change that took effect (or was accepted by Vault). */
  change(what: string): void {
    this.changed.push(what);
  }

  see(...views: readonly ClusterView[]): void {
    for (const view of views) this.latest.set(view.name, view);
  }

  /** Each cluster as last seen, in configuration order (clusters never seen are left out). */
  views(): ClusterView[] {
    return this.refs.map((r) => this.latest.get(r.name)).filter((v): v is ClusterView => v !== undefined);
  }

  describeClusters(): string[] {
    return this.views().map(describeView);
  }
}

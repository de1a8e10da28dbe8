/**
 * One timer per replication kind that runs world.changed() when the next lagged WAL falls due
 * (`walLagMs` after its write), so that a secondary receives it without any other change to
 * trigger a reconcile. The earliest due time wins; a later one waits for the next reconcile.
 */
import type { SimTimer } from './clock';
import type { WorldContext } from './context';

export class WalPump {
  private timer: SimTimer | undefined;

  constructor(private readonly world: WorldContext) {}

  schedule(due: number | undefined): void {
    if (due === undefined) return;
    if (this.timer !== undefined && this.timer.due <= due) return;
    this.world.clock.cancel(this.timer);
    this.timer = this.world.clock.after(due - this.world.clock.now(), () => {
      this.timer = undefined;
      this.world.changed();
    });
  }

  stop(): void {
    this.world.clock.cancel(this.timer);
    this.timer = undefined;
  }
}

/**
 * A cluster's load balancer: which nodes are in rotation (the NLB target group's active health
 * checks) and which node a new connection goes to (seeded, per connection).
 *
 * AWS NLB target group health checks: each target is probed every interval; `unhealthyThreshold`
 * consecutive failures take it out of rotation and `healthyThreshold` consecutive passes bring it
 * back; when every target is unhealthy the load balancer fails open and routes to all of them.
 * A target leaving rotation has the connections routed to it reset. The probe is the project's
 * (HTTPS sys/health?standbyok=true&perfstandbyok=true&drsecondarycode=200, matcher 200, timeout).
 */
import type { SimTimer, SimulatedClock } from './clock';
import type { VaultNode } from './node';
import type { SeededRandom } from './rng';
import type { TargetHealthChecks } from './types';

/** The probe's outcome for one node, as the target group would see it. */
export type ProbeNode = (node: VaultNode) => boolean;

interface TargetState {
  inRotation: boolean;
  passes: number;
  failures: number;
}

export class TargetGroup {
  private readonly targets = new Map<VaultNode, TargetState>();
  private timer: SimTimer | undefined;

  constructor(
    private readonly nodes: readonly VaultNode[],
    private readonly checks: TargetHealthChecks | false,
    private readonly clock: SimulatedClock,
    private readonly probe: ProbeNode,
    /** Told when a node enters or leaves rotation. */
    private readonly onRotationChange: (node: VaultNode, inRotation: boolean) => void,
  ) {
    for (const node of nodes) this.targets.set(node, { inRotation: true, passes: 0, failures: 0 });
    this.schedule();
  }

  /** A new target: in rotation once it passes `healthyThreshold` checks (at once without health checks). */
  register(node: VaultNode): void {
    this.targets.set(node, { inRotation: this.checks === false, passes: 0, failures: 0 });
  }

  /** The target is gone (its node was removed from the cluster's node list by the caller). */
  deregister(node: VaultNode): void {
    this.targets.delete(node);
  }

  inRotation(node: VaultNode): boolean {
    return this.targets.get(node)?.inRotation ?? false;
  }

  /** The nodes new connections may go to: those in rotation, or every node when none is (fail open). */
  candidates(): VaultNode[] {
    const healthy = this.nodes.filter((node) => this.inRotation(node));
    return healthy.length > 0 ? healthy : [...this.nodes];
  }

  failingOpen(): boolean {
    return !this.nodes.some((node) => this.inRotation(node));
  }

  /** A node for a new connection; each listener draws from its own stream. */
  pick(random: SeededRandom): VaultNode | undefined {
    return random.pick(this.candidates());
  }

  stop(): void {
    this.clock.cancel(this.timer);
    this.timer = undefined;
  }

  private schedule(previous: number = this.clock.now()): void {
    if (this.checks === false) return;
    const due = previous + this.checks.intervalMs;
    this.timer = this.clock.at(due, () => {
      this.check();
      this.schedule(due);
    });
  }

  private check(): void {
    if (this.checks === false) return;
    for (const node of this.nodes) {
      const target = this.targets.get(node) as TargetState;
      if (this.probe(node)) {
        target.passes += 1;
        target.failures = 0;
        if (!target.inRotation && target.passes >= this.checks.healthyThreshold) {
          target.inRotation = true;
          this.onRotationChange(node, true);
        }
      } else {
        target.failures += 1;
        target.passes = 0;
        if (target.inRotation && target.failures >= this.checks.unhealthyThreshold) {
          target.inRotation = false;
          this.onRotationChange(node, false);
        }
      }
    }
  }
}

/**
 * The checks bootstrap makes on a would-be secondary, with the operator's token of it, before any
 * change: the token may enable it (sys/capabilities-self on the kind's `secondary/enable` and
 * `secondary/generate-public-key`), and the cluster holds no data that enabling it would erase
 * (cluster-data.ts), unless forced. Shared by the DR bootstrap (bootstrap.ts) and the performance
 * secondary's (bootstrap-performance.ts): the same token rules, the same data rules.
 */
import { RefusedError, type NextCommand } from '../shared/errors';
import type { Secret } from '../shared/secret';
import type { ClusterRef } from '../shared/settings/clusters';
import type { ReplicationKind } from '../shared/vault-api';
import { inspectClusterData, type ClusterData } from './cluster-data';
import type { OperationContext } from './operation-context';

/** How a finding list reads in a message. */
export function describeData(data: ClusterData): string {
  return [...data.holds, ...data.unchecked.map((u) => `could not check ${u}`)].join('; ');
}

export const holdsData = (data: ClusterData): boolean => data.holds.length + data.unchecked.length > 0;

/** What the operator is asked to run again, for each refusal: bootstrap's own next command. */
export type BootstrapAgain = (why: string, options: { needsToken?: string; force?: boolean }) => NextCommand;

export interface WouldBeSecondary {
  readonly kind: ReplicationKind;
  /** `DR secondary` or `performance secondary`, as the messages name the role. */
  readonly role: string;
  readonly secondary: ClusterRef;
  readonly primaryName: string;
  readonly force: boolean;
  readonly again: BootstrapAgain;
  /**
   * The call that attaches it: `enable` (a cluster with that replication disabled) or
   * `update-primary` (a performance secondary of another primary, forced).
   * @default 'enable'
   */
  readonly attach?: 'enable' | 'update-primary';
}

const may = (caps: readonly string[]): boolean => caps.includes('root') || caps.includes('update') || caps.includes('create');

/** Refuses unless `token` may enable the cluster as a secondary of `kind` and generate its public key there. */
export async function checkSecondaryToken(ctx: OperationContext, token: Secret, w: WouldBeSecondary): Promise<void> {
  const { secondary, kind } = w;
  const api = ctx.clusters.api(secondary);
  const enablePath = `sys/replication/${kind}/secondary/${w.attach ?? 'enable'}`;
  const keyPath = `sys/replication/${kind}/secondary/generate-public-key`;
  const caps = await ctx.timeline
    .run(`check the token given for ${secondary.name}`, () => Promise.all([api.capabilitiesSelf(token, enablePath), api.capabilitiesSelf(token, keyPath)]))
    .catch((err: unknown) => {
      throw new RefusedError(`bootstrap refused: the token given for ${secondary.name} could not be checked there (${(err as Error).message})`, {
        next: w.again(`run it again with a valid token of ${secondary.name}`, { needsToken: secondary.name }),
      });
    });
  if (!may(caps[0]) || !may(caps[1])) {
    throw new RefusedError(
      `bootstrap refused: the token given for ${secondary.name} may not ${w.attach === 'update-primary' ? `point it at ${w.primaryName}` : 'enable it'} as a ${w.role} (capabilities on ${enablePath}: ${caps[0].join(', ') || 'none'}; on generate-public-key: ${caps[1].join(', ') || 'none'})`,
      { next: w.again(`run it again with a token of ${secondary.name} that may`, { needsToken: secondary.name }) },
    );
  }
}

/** What the cluster holds (asked with `token`); refuses when it holds data, or some could not be checked, unless forced. */
export async function checkNoData(ctx: OperationContext, token: Secret, w: WouldBeSecondary): Promise<ClusterData> {
  const { secondary } = w;
  const data = await ctx.timeline.run(`check ${secondary.name} holds no data`, () => inspectClusterData(ctx.clusters.api(secondary), token), (d) =>
    holdsData(d) ? describeData(d) : `none${d.ignored.length ? ` (${d.ignored.join('; ')})` : ''}`,
  );
  if (holdsData(data) && !w.force) {
    throw new RefusedError(
      `bootstrap refused: enabling ${secondary.name} as a ${w.role} erases all its data, and it holds some (${describeData(data)}). ` + 'Back it up, or remove it, or pass force: true to erase it',
      { next: w.again(`erases ${secondary.name}'s data and makes it the ${w.role} of ${w.primaryName}`, { needsToken: secondary.name, force: true }) },
    );
  }
  return data;
}

/** Both checks, in that order. */
export async function checkWouldBeSecondary(ctx: OperationContext, token: Secret, w: WouldBeSecondary): Promise<ClusterData> {
  await checkSecondaryToken(ctx, token, w);
  return checkNoData(ctx, token, w);
}

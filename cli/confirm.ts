/**
 * Before anything that changes a cluster: the clusters as status sees them now, what the command
 * will do to each of them by name, and a question that only "y" or "yes" answers. Without a
 * terminal to ask on, `--yes` is required.
 */
import { createInterface } from 'node:readline/promises';
import type { ClusterLine, FunctionAnswer } from './render';
import { clustersTable } from './render';

export interface PlanRequest {
  readonly command: 'failover' | 'switchover' | 'link' | 'bootstrap' | 'dns-switch';
  readonly force: boolean;
  readonly demote?: string;
  readonly target?: string;
  readonly primary?: string;
  /** bootstrap: the cluster to enable as performance secondary of the current DR primary; link: the one to point at it. */
  readonly performanceSecondary?: string;
}

const names = (list: readonly ClusterLine[]): string => (list.length ? list.map((c) => `${c.name} (${c.role ?? 'unknown'})`).join(' and ') : 'none');

/** What the command is about to do, by cluster name, from the clusters status reported. */
export function describePlan(request: PlanRequest, status: FunctionAnswer): string[] {
  const clusters = status.clusters ?? [];
  const primaries = clusters.filter((c) => c.role === 'primary');
  const others = clusters.filter((c) => c.role !== 'primary');
  const secondaries = clusters.filter((c) => c.role === 'dr-secondary');
  switch (request.command) {
    case 'failover': {
      const target = request.target ? clusters.filter((c) => c.name === request.target) : secondaries;
      if (primaries.length === 1 && request.force) {
        return [`failover --force: demotes ${names(primaries)} although it answers as primary, promotes ${names(target)}, moves DNS to it.`];
      }
      return [
        `failover: promotes ${names(target)} once ${names(primaries.length ? primaries : clusters.filter((c) => !target.includes(c)))} is confirmed down${request.force ? ' (--force: without the confirmation)' : ''}, then moves DNS to it.`,
      ];
    }
    case 'switchover': {
      return [`switchover: demotes ${names(primaries)}, promotes ${names(secondaries)}, moves DNS to it, then re-attaches ${names(primaries)} as its DR secondary.`];
    }
    case 'link':
      if (request.performanceSecondary !== undefined) {
        return [`link --performance-secondary ${request.performanceSecondary}: makes ${request.performanceSecondary} follow ${names(primaries)}, the DR primary (update-primary; it keeps its own data and resyncs); the DR pair is left as it is.`];
      }
      return request.demote
        ? [`link --demote ${request.demote}: demotes ${request.demote} (its writes since the split are lost) and re-attaches it as DR secondary of ${clusters.filter((c) => c.name !== request.demote).map((c) => c.name).join(', ')}.`]
        : [`link: re-attaches ${names(others)} as DR secondary of ${names(primaries)}.`];
    case 'bootstrap': {
      if (request.performanceSecondary !== undefined) {
        const name = request.performanceSecondary;
        return [
          `bootstrap --performance-secondary ${name}: makes ${name} a performance secondary of ${names(primaries)}, the DR primary (enabling performance replication on it if needed); the DR pair is left as it is.`,
          `ALL DATA ON ${name} IS REPLACED by ${primaries.map((c) => c.name).join(', ') || 'the primary'}'s (bootstrap refuses if it finds data there${request.force ? '; --force erases it anyway' : ''}).`,
        ];
      }
      const lead = request.primary ? clusters.filter((c) => c.name === request.primary) : primaries;
      const follower = clusters.filter((c) => !lead.includes(c));
      return [
        `bootstrap: makes ${names(lead)} the DR primary and ${names(follower)} its DR secondary.`,
        `ALL DATA ON ${follower.map((c) => c.name).join(', ') || 'the other cluster'} IS REPLACED by ${lead.map((c) => c.name).join(', ') || 'the primary'}'s (bootstrap refuses if it finds data there${request.force ? '; --force erases it anyway' : ''}).`,
      ];
    }
    case 'dns-switch':
      return [`dns-switch: points the high-level name at the cluster that answers as the only active primary (now: ${names(primaries)}).`];
  }
}

export function confirmationText(request: PlanRequest, status: FunctionAnswer): string {
  const lines = ['', 'The clusters now (status):', clustersTable(status.clusters ?? [])];
  if (status.lease) lines.push(`Another operation holds the lease: ${status.lease.holder} until ${status.lease.expiresAt}.`);
  lines.push('', ...describePlan(request, status), '');
  return lines.join('\n');
}

/** Asks on the terminal; true only for "y" or "yes". */
export async function ask(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: false });
  try {
    // Input that ends without an answer is a no.
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    const answer = await Promise.race([rl.question(question), closed]);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * The result of an invocation as a person reads it: the outcome, the clusters and the timeline as
 * tables (cli-table3), what was changed, warnings and evidence, and the next command as the exact
 * vault-dr command line.
 */
import Table from 'cli-table3';
import type { ErrorDetails, NextCommand } from '../functions/shared/errors';
import type { TimelineEntry } from '../functions/shared/timeline';
import { nextCommandLine } from './next-command';
import type { TargetFlags } from './target';

/** What the DR functions answer (dr-operations, dns-switch, dr-token-generator): the fields shown here. */
export interface FunctionAnswer {
  readonly operation?: string;
  readonly outcome?: string;
  readonly summary?: string;
  readonly clusters?: readonly ClusterLine[];
  readonly changed?: readonly string[];
  readonly warnings?: readonly string[];
  readonly evidence?: readonly string[];
  readonly next?: NextCommand | null;
  readonly timeline?: readonly TimelineEntry[];
  readonly drToken?: { readonly present: boolean; readonly expiresAt?: string; readonly secondsToExpiry?: number; readonly problem?: string };
  readonly lease?: { readonly holder: string; readonly acquiredAt: string; readonly expiresAt: string } | null;
  readonly weightsBefore?: Readonly<Record<string, number>>;
  readonly weightsAfter?: Readonly<Record<string, number>>;
  readonly expiresAt?: string;
  /** dr-operations: the event's reason, and whether a break-glass DR operation token was given. */
  readonly reason?: string;
  readonly breakGlassToken?: boolean;
  readonly [field: string]: unknown;
}

export interface ClusterLine {
  readonly name: string;
  readonly address?: string;
  readonly role?: string;
  readonly reachable?: boolean;
  readonly drState?: string;
  readonly connectedToPrimary?: boolean;
  readonly problem?: string;
}

const TABLE_STYLE = { head: [], border: [] };

function width(): number {
  return Math.max(80, Math.min(process.stdout.columns ?? 120, 200));
}

export function clustersTable(clusters: readonly ClusterLine[]): string {
  const table = new Table({ head: ['cluster', 'role', 'DR state', 'primary link', 'address / problem'], style: TABLE_STYLE, wordWrap: true, colWidths: [14, 14, 13, 14, Math.max(20, width() - 64)] });
  for (const c of clusters) {
    const link = c.connectedToPrimary === undefined ? '' : c.connectedToPrimary ? 'connected' : 'down';
    table.push([c.name, c.role ?? '', c.drState ?? '', link, c.problem ? `${c.address ?? ''}\n${c.problem}` : (c.address ?? '')]);
  }
  return table.toString();
}

export function timelineTable(timeline: readonly TimelineEntry[]): string {
  // Entries are recorded as they end; the first to start is the origin.
  const start = Math.min(...timeline.map((e) => Date.parse(e.startedAt)).filter(Number.isFinite));
  const table = new Table({ head: ['step', 'at (ms)', 'took (ms)', 'outcome', 'detail'], style: TABLE_STYLE, wordWrap: true, colWidths: [34, 9, 11, 11, Math.max(20, width() - 80)], colAligns: ['left', 'right', 'right', 'left', 'left'] });
  for (const e of timeline) {
    const at = Number.isFinite(start) ? Date.parse(e.startedAt) - start : 0;
    table.push([e.step, String(at), String(e.durationMs), e.outcome, e.detail ?? '']);
  }
  return table.toString();
}

function nextLines(next: NextCommand | null | undefined, flags: TargetFlags): string[] {
  if (next === null || next === undefined) return ['Next: nothing to do.'];
  const lines = [`Next: ${nextCommandLine(next, flags)}`, `      ${next.why}`];
  if (next.choose) lines.push(`      choose ${next.choose.field} from: ${next.choose.from.join(', ')}`);
  if (next.notBefore) lines.push(`      not before ${next.notBefore} (another operation holds the lease until then)`);
  return lines;
}

/** A successful answer. */
export function renderAnswer(title: string, answer: FunctionAnswer, flags: TargetFlags): string {
  const out: string[] = [`${title} ${answer.outcome ?? 'answered'}: ${answer.summary ?? ''}`.trimEnd(), ''];
  if (typeof answer.reason === 'string') out.push(`Reason: ${answer.reason}`);
  if (answer.breakGlassToken === true) out.push('Break glass: the DR operation token given was used for this invocation only (not stored)');
  if (typeof answer.reason === 'string' || answer.breakGlassToken === true) out.push('');
  if (answer.clusters?.length) out.push('Clusters', clustersTable(answer.clusters), '');
  if (answer.drToken) {
    const t = answer.drToken;
    out.push(t.present ? `DR token: expires ${t.expiresAt} (in ${Math.round((t.secondsToExpiry ?? 0) / 60)} min)` : `DR token: missing (${t.problem ?? 'unknown'})`);
  }
  if (answer.lease !== undefined) out.push(answer.lease ? `Lease: held by ${answer.lease.holder} since ${answer.lease.acquiredAt}, until ${answer.lease.expiresAt}` : 'Lease: free (no operation running)');
  if (answer.weightsAfter) out.push(`DNS weights: ${JSON.stringify(answer.weightsBefore ?? {})} -> ${JSON.stringify(answer.weightsAfter)}`);
  if (answer.expiresAt && answer.operation === undefined && answer.outcome === undefined) out.push(`New DR token expires ${answer.expiresAt}`);
  if (answer.drToken || answer.lease !== undefined || answer.weightsAfter || answer.expiresAt) out.push('');
  if (answer.timeline?.length) out.push('Timeline', timelineTable(answer.timeline), '');
  if (answer.evidence?.length) out.push('Evidence:', ...answer.evidence.map((e) => `  - ${e}`), '');
  if (answer.changed !== undefined) out.push(`Changed: ${answer.changed.length ? answer.changed.join('; ') : 'nothing'}`);
  if (answer.warnings?.length) out.push(...answer.warnings.map((w) => `Warning: ${w}`));
  out.push(...nextLines(answer.next, flags));
  return `${out.join('\n')}\n`;
}

/** A DR function's error: the reason, what was changed, the clusters, and the next command. */
export function renderFunctionError(title: string, message: string, details: ErrorDetails | undefined, flags: TargetFlags): string {
  // The human text already lists changed/clusters/next; show the reason alone and the rest structured.
  const reason = details ? message.replace(/\. Changed: [\s\S]*$/, '') : message;
  // The functions' own reasons often start with the operation ("failover refused: ..."); no need to say it twice.
  const head = reason.startsWith(`${title} `) ? reason : `${title} ${details?.kind ?? 'failed'}: ${reason}`;
  const out = [head, ''];
  if (details) {
    out.push(`Changed: ${details.changed.length ? details.changed.join('; ') : 'nothing'}`);
    if (details.clusters.length) out.push('Clusters:', ...details.clusters.map((c) => `  - ${c}`));
    if (details.dns) out.push(`DNS: ${details.dns}`);
    if (details.kind === 'input' && details.next === null) out.push('Next: correct what the message names and run it again.');
    else out.push(...nextLines(details.next, flags));
  }
  return `${out.join('\n')}\n`;
}

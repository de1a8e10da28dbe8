/**
 * `make restore-drill`: runs the restore drill (./drill.ts) and prints each step with its duration
 * and outcome, then the total. Exits non-zero on any failure, after printing the servers' last log
 * lines. Every process it started is stopped and its temporary directory deleted either way.
 */
import { runRestoreDrill, RestoreDrillFailure, type DrillRow } from './drill';
import { VAULT_TO_OPENBAO } from './runbook-commands';

function table(rows: readonly DrillRow[]): string {
  const header = ['step', 'took (ms)', 'outcome', 'detail'];
  const cells = rows.map((r) => [r.step, String(r.tookMs), r.outcome, r.detail.length > 90 ? `${r.detail.slice(0, 87)}...` : r.detail]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  console.log('Restore drill: the runbook\'s restore commands against a real three-node Raft cluster (OpenBao)');
  console.log(VAULT_TO_OPENBAO.map((m) => `  ${m.vault} -> ${m.drill} (${m.why})`).join('\n'));
  console.log('');
  try {
    const report = await runRestoreDrill();
    console.log(table(report.rows));
    console.log(`\nrestore drill passed in ${report.totalMs} ms`);
  } catch (error) {
    if (error instanceof RestoreDrillFailure) {
      console.log(table(error.rows));
      console.error(`\nrestore drill FAILED: ${error.message}\n\nlast server log lines:\n${error.logs}`);
    } else {
      console.error(`restore drill FAILED: ${(error as Error).message}`);
    }
    process.exitCode = 1;
  }
}

void main();

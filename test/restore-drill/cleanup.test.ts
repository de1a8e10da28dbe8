/**
 * The drill leaves nothing behind: on a failure half-way it stops every server it started and
 * deletes its temporary directory, and with a runbook that lacks a command it starts nothing.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRestoreDrill, RestoreDrillFailure } from '../../scripts/restore-drill/drill';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('restore drill cleanup', () => {
  it('stops the servers and deletes its directory when a step fails after the cluster started', async () => {
    const seen: { workDir?: string; pids?: number[] } = {};
    const run = runRestoreDrill({
      observe: (resources) => Object.assign(seen, resources),
      afterStep: (step) => {
        if (step.startsWith('cluster-a: start')) throw new Error('injected failure');
      },
    });
    await expect(run).rejects.toThrow(RestoreDrillFailure);
    await expect(run).rejects.toThrow('injected failure');
    expect(seen.pids).toHaveLength(3);
    expect(seen.pids!.filter(alive)).toEqual([]);
    expect(existsSync(seen.workDir!)).toBe(false);
  }, 60_000);

  it('starts nothing when the runbook lacks a command it runs', async () => {
    const runbookFile = join(tmpdir(), `runbook-without-force-${process.pid}.md`);
    writeFileSync(runbookFile, '<!-- restore-drill -->\n```sh\nvault status\n```\n');
    const observe = jest.fn();
    try {
      await expect(runRestoreDrill({ runbookFile, observe })).rejects.toThrow('docs/runbook.md no longer gives the command(s) the restore drill runs');
      expect(observe).not.toHaveBeenCalled();
    } finally {
      rmSync(runbookFile, { force: true });
    }
  });
});

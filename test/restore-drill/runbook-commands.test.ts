import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markedVaultCommands, RUNBOOK_STEPS, runbookCommandsForDrill, runbookDataFile, toOpenBaoArgs } from '../../scripts/restore-drill/runbook-commands';

const RUNBOOK = readFileSync(join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');

const marked = (...lines: string[]) => ['<!-- restore-drill -->', '```sh', ...lines, '```'].join('\n');

describe('markedVaultCommands', () => {
  it('takes the vault lines of marked shell blocks only, continuations joined and comments dropped', () => {
    const markdown = [
      '```sh',
      'vault operator raft snapshot save /not/marked.snap',
      '```',
      marked('vault status   # is it unsealed?', 'aws s3 cp s3://b/k /opt/vault/data/restore.snap', 'vault operator raft snapshot restore \\', '  -force /opt/vault/data/restore.snap'),
      '',
      '<!-- restore-drill -->',
      '',
      '```sh',
      'vault operator raft list-peers',
      '```',
    ].join('\n');
    expect(markedVaultCommands(markdown)).toEqual(['vault status', 'vault operator raft snapshot restore -force /opt/vault/data/restore.snap', 'vault operator raft list-peers']);
  });

  it('refuses a marker that is not followed by a shell block', () => {
    expect(() => markedVaultCommands('text\n<!-- restore-drill -->\nvault status\n')).toThrow('docs/runbook.md line 2: <!-- restore-drill --> must be followed by a ```sh block');
  });
});

describe('runbookCommandsForDrill', () => {
  it('finds every command the drill runs in docs/runbook.md, as the runbook writes it', () => {
    expect(runbookCommandsForDrill(RUNBOOK)).toEqual({
      save: 'vault operator raft snapshot save /opt/vault/data/pre-restore.snap',
      restore: 'vault operator raft snapshot restore /opt/vault/data/restore.snap',
      restoreForce: 'vault operator raft snapshot restore -force /opt/vault/data/restore.snap',
      status: 'vault status',
      listPeers: 'vault operator raft list-peers',
      autopilotState: 'vault operator raft autopilot state',
    });
  });

  it('tells the plain restore from the forced one', () => {
    expect(RUNBOOK_STEPS.restore.test('vault operator raft snapshot restore -force /f')).toBe(false);
    expect(RUNBOOK_STEPS.restoreForce.test('vault operator raft snapshot restore /f')).toBe(false);
  });

  it('refuses, naming the missing steps, when the runbook no longer gives a command', () => {
    const markdown = marked('vault operator raft snapshot save /opt/vault/data/a.snap', 'vault status');
    expect(() => runbookCommandsForDrill(markdown)).toThrow(/no longer gives the command\(s\) the restore drill runs: restore \(.*\); restoreForce .*; listPeers .*; autopilotState .*Put them in a shell block marked <!-- restore-drill -->/);
  });
});

describe('toOpenBaoArgs', () => {
  it('drops the vault binary and moves /opt/vault/data/ files into the drill\'s snapshot directory', () => {
    expect(toOpenBaoArgs('vault operator raft snapshot restore -force /opt/vault/data/restore.snap', '/tmp/drill/snapshots')).toEqual([
      'operator', 'raft', 'snapshot', 'restore', '-force', '/tmp/drill/snapshots/restore.snap',
    ]);
    expect(runbookDataFile('vault operator raft snapshot save /opt/vault/data/pre-restore.snap')).toBe('pre-restore.snap');
  });

  it.each(['vault status; rm -rf /', 'vault read $(whoami)', 'vault status | tee x', 'vault read "a b"'])('refuses shell syntax: %s', (command) => {
    expect(() => toOpenBaoArgs(command, '/tmp')).toThrow(`runbook command "${command}" uses shell syntax the drill does not interpret`);
  });

  it('refuses a command that is not vault\'s', () => {
    expect(() => toOpenBaoArgs('aws s3 ls', '/tmp')).toThrow('not a vault command: "aws s3 ls"');
  });
});

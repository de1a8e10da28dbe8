/**
 * The restore drill runs the runbook's own commands, not a copy of them: it reads the `vault ...`
 * lines of the shell blocks that docs/runbook.md marks with `<!-- restore-drill -->`, picks the ones
 * each drill step needs, and translates them for OpenBao's CLI with the table below. When the
 * runbook changes a command, the drill runs the new one; when it drops one, the drill refuses
 * before starting anything.
 */

/** How a runbook line reads in Vault's CLI and what the drill runs instead, with why. */
export interface CommandMapping {
  readonly vault: string;
  readonly drill: string;
  readonly why: string;
}

/**
 * Vault -> OpenBao, every difference the drill relies on (README and docs/runbook.md repeat it).
 * OpenBao is a fork of Vault's open-source code: same subcommands and flags, other binary name and
 * environment variable prefix.
 */
export const VAULT_TO_OPENBAO: readonly CommandMapping[] = Object.freeze([
  { vault: 'vault <args>', drill: 'bao <args>', why: 'the binary is named bao' },
  { vault: 'VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT', drill: 'BAO_ADDR, BAO_TOKEN, BAO_CACERT', why: 'OpenBao reads the BAO_ prefix' },
  { vault: '/opt/vault/data/<file>', drill: '<temporary directory>/snapshots/<file>', why: 'no node filesystem: the drill runs on 127.0.0.1' },
  { vault: 'aws s3 cp s3://... restore.snap', drill: 'copy of the snapshot file', why: 'no S3 here; the drill restores the snapshot it just took' },
  {
    vault: 'vault operator raft snapshot inspect',
    drill: 'skipped',
    why: 'OpenBao 2.7.2 has no snapshot inspect subcommand',
  },
  {
    vault: 'KMS auto-unseal (seal "awskms")',
    drill: 'Shamir unseal keys, PUT sys/unseal on each node',
    why: 'no KMS here; the keys travel in request bodies, never on a command line',
  },
]);

/** The drill steps that run a runbook command, and how to recognise the line in the runbook. */
export const RUNBOOK_STEPS = Object.freeze({
  save: /^vault operator raft snapshot save \S+$/,
  restore: /^vault operator raft snapshot restore (?!-)\S+$/,
  restoreForce: /^vault operator raft snapshot restore -force \S+$/,
  status: /^vault status$/,
  listPeers: /^vault operator raft list-peers$/,
  autopilotState: /^vault operator raft autopilot state$/,
});

export type RunbookStep = keyof typeof RUNBOOK_STEPS;

export const MARKER = '<!-- restore-drill -->';
const RUNBOOK_DATA_DIR = '/opt/vault/data/';

/**
 * The `vault` command lines of the shell blocks that follow a `<!-- restore-drill -->` marker
 * (blank lines between them allowed), with `\` continuations joined and trailing comments dropped.
 */
export function markedVaultCommands(markdown: string): string[] {
  const lines = markdown.split('\n');
  const commands: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== MARKER) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (!/^\s*```(sh|shell|bash)\s*$/.test(lines[j] ?? '')) {
      throw new Error(`docs/runbook.md line ${i + 1}: ${MARKER} must be followed by a \`\`\`sh block`);
    }
    let pending = '';
    for (j = j + 1; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) {
      const line = lines[j]!.replace(/\s+#.*$/, '').trim();
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1).trim()} `;
        continue;
      }
      const command = (pending + line).trim();
      pending = '';
      if (command.startsWith('vault ')) commands.push(command);
    }
    i = j;
  }
  return commands;
}

/** For each drill step, the one runbook command that matches it; refuses when one is missing. */
export function runbookCommandsForDrill(markdown: string): Record<RunbookStep, string> {
  const commands = markedVaultCommands(markdown);
  const found = {} as Record<RunbookStep, string>;
  const missing: string[] = [];
  for (const [step, pattern] of Object.entries(RUNBOOK_STEPS) as Array<[RunbookStep, RegExp]>) {
    const match = commands.find((command) => pattern.test(command));
    if (match === undefined) missing.push(`${step} (${pattern.source})`);
    else found[step] = match;
  }
  if (missing.length > 0) {
    throw new Error(
      `docs/runbook.md no longer gives the command(s) the restore drill runs: ${missing.join('; ')}. ` +
        `Put them in a shell block marked ${MARKER}, or change scripts/restore-drill/runbook-commands.ts with the runbook.`,
    );
  }
  return found;
}

/**
 * The argv of OpenBao's CLI for a runbook command: `vault` becomes the bao binary's arguments and
 * every path under /opt/vault/data/ lands in the drill's snapshot directory. The runbook's
 * commands hold no shell syntax beyond words separated by spaces (checked here).
 */
export function toOpenBaoArgs(command: string, snapshotDir: string): string[] {
  if (/["'`$;&|<>()]/.test(command)) {
    throw new Error(`runbook command "${command}" uses shell syntax the drill does not interpret`);
  }
  const [binary, ...args] = command.split(/\s+/);
  if (binary !== 'vault') throw new Error(`not a vault command: "${command}"`);
  return args.map((arg) => (arg.startsWith(RUNBOOK_DATA_DIR) ? `${snapshotDir}/${arg.slice(RUNBOOK_DATA_DIR.length)}` : arg));
}

/** The runbook path a command writes or reads under /opt/vault/data/ (the snapshot file). */
export function runbookDataFile(command: string): string | undefined {
  const arg = command.split(/\s+/).find((word) => word.startsWith(RUNBOOK_DATA_DIR));
  return arg?.slice(RUNBOOK_DATA_DIR.length);
}

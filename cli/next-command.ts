/**
 * A DR function's next command (functions/shared/errors.ts `NextCommand`) as the exact vault-dr
 * command line to run, with the same deployment flags as this run. A field the operator must
 * choose (`choose`) shows its choices; a credential field (a token of any kind) never shows a
 * value: it becomes the file flag that reads it, so no token is ever printed.
 */
import type { NextCommand } from '../functions/shared/errors';
import { targetArgs, type TargetFlags } from './target';

/** Event fields of dr-operations and their flags. */
const FLAGS: Readonly<Record<string, string>> = {
  dryRun: '--dry-run',
  force: '--force',
  demote: '--demote',
  target: '--target',
  primary: '--primary',
};

/** A field that carries a credential: its value is never printed. */
export const isSecretField = (field: string): boolean => /token|secret|password|credential/i.test(field);

const kebab = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Quotes an argument for a POSIX shell when it needs it; a `<placeholder>` is left for the operator to replace. */
export function shellQuote(arg: string): string {
  if (/^<[^<>]+>$/.test(arg)) return arg;
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The argv (after `vault-dr`) of a next command. */
export function nextCommandArgs(next: NextCommand, flags: TargetFlags): string[] {
  const args: string[] = [];
  const event = next.event as Record<string, unknown>;
  if (next.function === 'dr-operations') {
    args.push(String(event.operation ?? 'status'));
  } else if (next.function === 'dns-switch') {
    args.push('dns-switch');
  } else {
    args.push('refresh-token');
  }
  for (const [field, value] of Object.entries(event)) {
    if (field === 'operation' || value === undefined || value === false || value === null) continue;
    if (isSecretField(field)) {
      args.push(`--${kebab(field)}-file`, '<file>');
      continue;
    }
    const flag = FLAGS[field] ?? `--${kebab(field)}`;
    if (value === true) {
      args.push(flag);
      continue;
    }
    const choice = next.choose?.field === field ? `<${next.choose.from.join('|')}>` : String(value);
    args.push(flag, choice);
  }
  return [...args, ...targetArgs(flags)];
}

/** `vault-dr <args>`, quoted for a shell. */
export function nextCommandLine(next: NextCommand, flags: TargetFlags): string {
  return ['vault-dr', ...nextCommandArgs(next, flags).map(shellQuote)].join(' ');
}

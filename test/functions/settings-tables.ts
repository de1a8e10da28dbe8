/**
 * The README's configuration tables, rendered from the settings modules: one table per group,
 * between `<!-- settings:<group> -->` and `<!-- /settings -->` markers. settings-docs.test.ts checks
 * the README against them; `npx tsx test/functions/settings-tables.ts --write` rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DNS_SWITCH_OWN_VARIABLES } from '../../functions/dns-switch/settings';
import { DR_OPERATIONS_OWN_VARIABLES } from '../../functions/dr-operations/settings';
import { GENERATOR_OWN_VARIABLES } from '../../functions/dr-token-generator/settings';
import { WATCHDOG_OWN_VARIABLES } from '../../functions/dr-watchdog/settings';
import { COMMON_VARIABLES } from '../../functions/shared/settings/common';
import { LOGIN_VARIABLES } from '../../functions/shared/settings/login';
import { documentation, type Variable } from '../../functions/shared/settings/variables';

export const README = join(__dirname, '..', '..', 'README.md');

export const GROUPS: Readonly<Record<string, Readonly<Record<string, Variable<unknown>>>>> = {
  common: COMMON_VARIABLES,
  login: LOGIN_VARIABLES,
  'dr-token-generator': GENERATOR_OWN_VARIABLES,
  'dr-operations': DR_OPERATIONS_OWN_VARIABLES,
  'dns-switch': DNS_SWITCH_OWN_VARIABLES,
  'dr-watchdog': WATCHDOG_OWN_VARIABLES,
};

export function renderTable(variables: Readonly<Record<string, Variable<unknown>>>): string {
  const rows = documentation(Object.values(variables)).map((d) => `| \`${d.name}\` | ${d.defaultText} | ${d.meaning.replace(/\|/g, '\\|')} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

const block = (group: string) => new RegExp(`(<!-- settings:${group} -->\\n)([\\s\\S]*?)\\n?(<!-- /settings -->)`);

/** The table the README holds for `group`, or undefined when its markers are missing. */
export function readmeTable(readme: string, group: string): string | undefined {
  return block(group).exec(readme)?.[2];
}

export function withTables(readme: string): string {
  return Object.entries(GROUPS).reduce((text, [group, variables]) => text.replace(block(group), (_m, open: string, _old: string, close: string) => `${open}${renderTable(variables)}\n${close}`), readme);
}

if (require.main === module) {
  const text = readFileSync(README, 'utf8');
  if (process.argv.includes('--write')) writeFileSync(README, withTables(text));
  else for (const [group, variables] of Object.entries(GROUPS)) console.log(`<!-- settings:${group} -->\n${renderTable(variables)}\n<!-- /settings -->\n`);
}

/**
 * The README's configuration tables are the settings modules' own declarations: every variable a
 * function reads is documented with its default, and nothing else is.
 */
import { readFileSync } from 'node:fs';
import { GROUPS, README, readmeTable, renderTable } from './settings-tables';

const readme = readFileSync(README, 'utf8');

it.each(Object.keys(GROUPS))('the README table of %s matches its settings module (npx tsx test/functions/settings-tables.ts --write)', (group) => {
  expect(readmeTable(readme, group)).toBe(renderTable(GROUPS[group]!));
});

it('documents no variable that no settings module declares', () => {
  const declared = new Set(Object.values(GROUPS).flatMap((g) => Object.values(g).map((v) => v.name)));
  const section = readme.slice(readme.indexOf('## The functions'), readme.indexOf('## How it is tested'));
  const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.length).toBeGreaterThan(20);
  expect(documented.filter((name) => !declared.has(name as string))).toEqual([]);
});

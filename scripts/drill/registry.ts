/**
 * The drill scenarios: every file of scripts/drill/scenarios/ that default-exports a DrillScenario
 * whose name is the file's name. Adding a scenario is adding a file.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DrillScenario } from './scenario';

export const SCENARIO_DIR = join(__dirname, 'scenarios');

export function loadScenarios(dir: string = SCENARIO_DIR): DrillScenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = (require(join(dir, file)) as { default?: DrillScenario }).default;
      const name = basename(file, '.ts');
      if (loaded === undefined || typeof loaded.expect !== 'function' || loaded.schedule === undefined) {
        throw new Error(`scripts/drill/scenarios/${file}: must default-export a DrillScenario (name, summary, story, schedule, expect)`);
      }
      if (loaded.name !== name) throw new Error(`scripts/drill/scenarios/${file}: its scenario is named "${loaded.name}"; name it "${name}", after its file`);
      return loaded;
    });
}

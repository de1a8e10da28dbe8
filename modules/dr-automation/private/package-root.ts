import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * `dist/functions` of this package, wherever it is: the source tree (modules/dr-automation/private)
 * and the published package (dist/lib/dr-automation/private) sit at different depths, so the
 * package root is the nearest folder above this file that has a package.json.
 */
export function defaultFunctionBundlesDirectory(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}: cannot locate dist/functions`);
    dir = parent;
  }
  return join(dir, 'dist', 'functions');
}

/**
 * Bundles each function in functions/<name>/handler.ts into dist/functions/<name>/index.js.
 *
 * The bundles are what the DR automation construct zips into the Lambda archives, so they must be
 * byte-identical for identical sources on any machine and in any checkout location: no source maps,
 * no legal comments, no paths. Each bundle carries only the AWS SDK clients its function imports
 * (the SDK is bundled and tree-shaken, not taken from the runtime), which is what keeps cold start
 * low.
 */
import { buildSync } from 'esbuild';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DETERMINISTIC_NODE_BUNDLE } from './bundle-options';

export const FUNCTION_NAMES = ['dr-token-generator', 'dr-operations', 'dns-switch', 'dr-watchdog'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Lambda runtime the bundles target; the construct uses the same runtime. */
export const NODE_TARGET = 'node22';

export function buildFunctions(repoRoot: string, outDir = join(repoRoot, 'dist', 'functions')): Record<FunctionName, string> {
  const built = {} as Record<FunctionName, string>;
  for (const name of FUNCTION_NAMES) {
    const entry = join(repoRoot, 'functions', name, 'handler.ts');
    const outfile = join(outDir, name, 'index.js');
    rmSync(join(outDir, name), { recursive: true, force: true });
    mkdirSync(join(outDir, name), { recursive: true });
    buildSync({ ...DETERMINISTIC_NODE_BUNDLE, mainFields: [...DETERMINISTIC_NODE_BUNDLE.mainFields], absWorkingDir: repoRoot, entryPoints: [entry], outfile, target: NODE_TARGET });
    built[name] = outfile;
  }
  return built;
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const present = FUNCTION_NAMES.filter((n) => {
    try {
      return statSync(join(root, 'functions', n, 'handler.ts')).isFile();
    } catch {
      return false;
    }
  });
  if (present.length !== FUNCTION_NAMES.length) {
    const missing = FUNCTION_NAMES.filter((n) => !present.includes(n));
    console.error(`build-functions: missing functions/<name>/handler.ts for: ${missing.join(', ')}`);
    process.exit(1);
  }
  const out = buildFunctions(root);
  for (const [name, file] of Object.entries(out)) {
    const size = statSync(file).size;
    console.log(`${name.padEnd(20)} ${(size / 1024).toFixed(1).padStart(8)} KiB  ${file.slice(root.length + 1)}`);
  }
}

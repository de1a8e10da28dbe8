/**
 * Bundles the operator CLI (cli/main.ts) into dist/cli/vault-dr.js, the package's `vault-dr` bin.
 *
 * Bundled, not installed: its libraries (commander, cli-table3, nanospinner, the AWS SDK's Lambda
 * and CloudWatch Logs clients) are devDependencies pinned in package.json and go into the one file,
 * so a consumer of the construct library gets no runtime dependency and no second copy of the AWS
 * SDK in node_modules for a command most of their builds never run. Their licences go beside it
 * (THIRD-PARTY-LICENSES.txt). Deterministic like the function bundles: no source maps, no paths.
 */
import { buildSync } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DETERMINISTIC_NODE_BUNDLE } from './bundle-options';

/** The lowest Node the package supports (package.json engines). */
export const CLI_NODE_TARGET = 'node20';

interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly text: string | undefined;
}

/** The package a bundled input file belongs to (its nearest node_modules package.json). */
function packageOf(repoRoot: string, input: string): PackageInfo | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
  const dir = join(repoRoot, input.slice(0, at), 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string };
  const licenseFile = existsSync(dir) ? readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(f)) : undefined;
  return { name, version: manifest.version, license: manifest.license ?? 'see package', text: licenseFile ? readFileSync(join(dir, licenseFile), 'utf8') : undefined };
}

export function buildCli(repoRoot: string, outDir = join(repoRoot, 'dist', 'cli')): string {
  const outfile = join(outDir, 'vault-dr.js');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const result = buildSync({
    ...DETERMINISTIC_NODE_BUNDLE,
    mainFields: [...DETERMINISTIC_NODE_BUNDLE.mainFields],
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'cli', 'main.ts')],
    outfile,
    target: CLI_NODE_TARGET,
    banner: { js: '#!/usr/bin/env node' },
    define: { __VAULT_DR_VERSION__: JSON.stringify(version) },
    metafile: true,
  });
  chmodSync(outfile, 0o755);
  const packages = new Map<string, PackageInfo>();
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    const info = packageOf(repoRoot, input);
    if (info) packages.set(`${info.name}@${info.version}`, info);
  }
  // Each distinct licence text once, with the packages it covers (most of the AWS SDK shares one).
  const byText = new Map<string, PackageInfo[]>();
  for (const p of [...packages.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const text = p.text?.trim() ?? `Licensed under ${p.license}; the package ships no licence file.`;
    byText.set(text, [...(byText.get(text) ?? []), p]);
  }
  const notices = [...byText.entries()].map(([text, list]) => `${list.map((p) => `${p.name} ${p.version} (${p.license})`).join('\n')}\n${'-'.repeat(72)}\n${text}\n`);
  writeFileSync(join(outDir, 'THIRD-PARTY-LICENSES.txt'), `vault-dr bundles these packages:\n\n${notices.join('\n')}`);
  return outfile;
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const out = buildCli(root);
  console.log(`vault-dr ${(statSync(out).size / 1024).toFixed(1).padStart(8)} KiB  ${out.slice(root.length + 1)} (${dirname(out).slice(root.length + 1)}/THIRD-PARTY-LICENSES.txt)`);
}

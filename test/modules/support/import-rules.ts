import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'cdktf.out', '.releases', '.tools', 'coverage', 'fixtures']);

/** Every source file under the given folders (or the given files), relative to the repository. */
export function sourceFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder another engineer has not created yet
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(join(dir, entry.name));
      } else if (SOURCE_FILE.test(entry.name)) {
        files.push(relative(REPO_ROOT, join(dir, entry.name)));
      }
    }
  };
  for (const path of paths) {
    if (SOURCE_FILE.test(path)) {
      if (existsSync(join(REPO_ROOT, path))) files.push(path);
    } else {
      walk(join(REPO_ROOT, path));
    }
  }
  return files.sort();
}

/** The module specifiers a source text imports, requires or re-exports. */
export function importedModules(text: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bfrom\s*(['"])([^'"\n]+)\1/g, // import ... from 'x' / export ... from 'x'
    /\bimport\s*(['"])([^'"\n]+)\1/g, // import 'x'
    /\b(?:require|import)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g, // require('x') / import('x')
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) specifiers.push(match[2]!);
  }
  return specifiers;
}

/** A provider package loaded from its root (`@cdktf/provider-aws`), which loads every class of it. */
export function isProviderRootImport(specifier: string): boolean {
  return /^@cdktf\/provider-[a-z0-9-]+$/.test(specifier);
}

/** cdktf itself, or one of its prebuilt providers. */
export function isCdktfImport(specifier: string): boolean {
  return specifier === 'cdktf' || specifier.startsWith('cdktf/') || specifier.startsWith('@cdktf/');
}

export function read(file: string): string {
  return readFileSync(join(REPO_ROOT, file), 'utf8');
}

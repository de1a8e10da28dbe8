/**
 * The repository stands alone, and what it cites exists: every relative link of its Markdown files
 * and every repository path its comments and prose cite (`docs/runbook.md`,
 * `modules/vault-cluster/health-check.ts`, `../shared/...`) points to a file or folder of this
 * repository. Placeholders (`environments/<env>.ts`, `functions/**`, `modules/...ts`) and generated
 * folders (dist/, cdktf.out/, .releases/) are not citations of a file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

/** Generated or installed folders, and the repository's own metadata. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'dist', 'cdktf.out', '.releases', '.tools', 'coverage', '.bench', 'plans', '.terraform']);
/** The folders a repository path starts with. */
const TOP_FOLDERS = ['docs', 'modules', 'functions', 'stacks', 'environments', 'scripts', 'test', 'ci', '.ci'];
/** Files whose comments start with '#'. */
const HASH_COMMENTED = /(^|\/)(Makefile|Dockerfile|run)$|\.(ya?ml|sh)$/;
/** Files that cite removed files on purpose (history), or cite examples (this test). */
const NOT_CITING = new Set(['CHANGELOG.md', 'test/delivery/repository-links.test.ts']);
/** Files whose comments are // and /* *\/. */
const SLASH_COMMENTED = /\.(?:[cm]?[jt]s|tsx)$|(^|\/)Jenkinsfile$/;

/** Every file of the repository that is not generated, relative to its root. */
function repositoryFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile()) {
        files.push(relative(REPO_ROOT, join(dir, entry.name)));
      }
    }
  };
  walk(REPO_ROOT);
  return files.sort();
}

/** Markdown without its fenced code blocks (examples, not citations). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The targets of a Markdown text's inline links and link definitions. */
export function markdownLinks(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  const definitions = [...text.matchAll(/^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((match) => match[1]!);
  return [...inline, ...definitions];
}

/** The comments of a source file: // and /* *\/ ones, or # ones. */
export function comments(file: string, text: string): string {
  if (HASH_COMMENTED.test(file)) return [...text.matchAll(/(?:^|\s)#+([^\n]*)/g)].map((match) => match[1]).join('\n');
  if (SLASH_COMMENTED.test(file)) return [...text.matchAll(/\/\*[\s\S]*?\*\/|(?<![:"'`\w])\/\/[^\n]*/g)].map((match) => match[0]).join('\n');
  return '';
}

/** Repository paths a text cites: `docs/x.md`, `modules/a/b.ts`, `../shared/c.md`, folders with a trailing slash. */
export function citedPaths(text: string): string[] {
  const top = TOP_FOLDERS.map((folder) => folder.replace('.', '\\.')).join('|');
  const pattern = new RegExp(`(?<![\\w.@/-])((?:\\.{1,2}/)+[\\w.-]+(?:/[\\w.-]+)*/?|(?:${top})/(?:[\\w.-]+/?)*)`, 'g');
  const paths: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const next = text[match.index! + match[0].length] ?? '';
    let path = match[1]!;
    if (/[<*{$…[]/.test(next) || path.includes('...')) continue; // a placeholder, a glob or an example
    path = path.replace(/[.,:;]+$/, '');
    if (/^\.{1,2}\/?$/.test(path)) continue;
    paths.push(path);
  }
  return paths;
}

/** Whether a cited path, relative to `fromDir` when it starts with ./ or ../, else to the root, exists. */
function resolves(fromDir: string, cited: string): boolean {
  const base = cited.startsWith('./') || cited.startsWith('../') ? fromDir : '';
  const target = normalize(join(REPO_ROOT, base, cited));
  if (!target.startsWith(REPO_ROOT)) return false;
  return [target, `${target}.ts`, join(target, 'index.ts')].some((candidate) => existsSync(candidate) && (candidate === target || statSync(candidate).isFile()));
}

describe('repository links and citations', () => {
  const files = repositoryFiles();

  it('finds the files it checks', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/runbook.md', 'docs/vault-api.md', 'environments/app.ts', 'Makefile', 'Jenkinsfile']));
  });

  it('has no relative Markdown link to a file that does not exist', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      for (const link of markdownLinks(readFileSync(join(REPO_ROOT, file), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#')) continue; // a URL or an anchor of the same page
        const path = decodeURI(link.split('#')[0]!);
        const target = normalize(path.startsWith('/') ? join(REPO_ROOT, path) : join(REPO_ROOT, dirname(file), path));
        if (!target.startsWith(REPO_ROOT) || !existsSync(target)) broken.push(`${file}: ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('cites, in comments and Markdown prose, only repository paths that exist', () => {
    // `make test/checkov` is a target, not a path.
    const targets = new Set([...readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8').matchAll(/^([\w./-]+):/gm)].map((match) => match[1]!));
    const broken: string[] = [];
    for (const file of files.filter((f) => !NOT_CITING.has(f))) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      const cited = file.endsWith('.md') ? prose(text) : comments(file, text);
      for (const path of citedPaths(cited)) {
        if (!targets.has(path) && !resolves(dirname(file), path)) broken.push(`${file}: ${path}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('points nowhere outside the repository (the shared reference is restated in docs/vault-api.md)', () => {
    const outside = files.filter((file) => /\.(md|ts|js|json|ya?ml)$|Makefile|Jenkinsfile/.test(file) && !file.endsWith('repository-links.test.ts'));
    const offenders = outside.filter((file) => /\/work\/shared|shared\/reference|vault-dr-api\.md|cdktf-notes\.md/.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  describe('the rules themselves', () => {
    it('reads links, not code examples', () => {
      const markdown = 'See [the runbook](docs/runbook.md#4) and [ref].\n\n[ref]: ./CHANGELOG.md\n\n```ts\nconst a = b[0](c);\n```\n[site](https://example.com)';
      expect(markdownLinks(markdown)).toEqual(['docs/runbook.md#4', 'https://example.com', './CHANGELOG.md']);
    });

    it('reads cited paths, and skips placeholders, globs and URLs', () => {
      const text = 'see docs/runbook.md, modules/vault-cluster/health-check.ts and ../shared/reference/x.md; ' +
        'not environments/<env>.ts, functions/**, modules/...ts, https://example.com/docs/x.md or dist/functions/a.js';
      expect(citedPaths(text)).toEqual(['docs/runbook.md', 'modules/vault-cluster/health-check.ts', '../shared/reference/x.md']);
    });

    it('finds the comments of each kind of file', () => {
      expect(comments('a.ts', "const u = 'https://x/y'; // see docs/a.md\n/* and docs/b.md */")).toBe('// see docs/a.md\n/* and docs/b.md */');
      expect(comments('Makefile', 'x: y\n\t@echo hi # docs/c.md\n## help: docs/d.md')).toContain('docs/d.md');
    });

    it('resolves ./ and ../ from the citing file, and the rest from the root', () => {
      expect(resolves('test/vault-simulator', '../../docs/vault-api.md')).toBe(true);
      expect(resolves('functions/shared', '../shared/reference/vault-dr-api.md')).toBe(false);
      expect(resolves('anywhere', 'modules/internal/')).toBe(true);
      expect(resolves('anywhere', 'stacks/vault-dr-stack')).toBe(true);
      expect(resolves('anywhere', 'docs/missing.md')).toBe(false);
    });
  });
});

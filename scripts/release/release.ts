/**
 * Cuts a release of the constructs, the stack composition and the function bundles from main:
 *
 *   make release VERSION=x.y.z        (npx tsx scripts/release/release.ts x.y.z)
 *
 * 1. checks: a clean work tree on main, x.y.z newer than every recorded release, no tag vx.y.z yet;
 * 2. release commit "Release x.y.z": package.json and package-lock.json at x.y.z, and the
 *    CHANGELOG's [Unreleased] entries moved under "## [x.y.z] - <date>" (when HEAD is already
 *    x.y.z with its CHANGELOG section, as 0.1.0 was, HEAD itself is the release commit);
 * 3. record commit "Record release x.y.z": releases.json maps x.y.z to the release commit's SHA
 *    (a commit cannot name itself, hence two commits);
 * 4. annotated tag vx.y.z on the release commit, mirroring the record.
 * Nothing is pushed: the script prints the push. Options: --date YYYY-MM-DD (CHANGELOG date),
 * --branch NAME (release from another branch than main; its commits must reach main by a merge).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compareVersions, isVersion, readRecord, RECORD_FILE, tagOf, versionsOf } from '../../environments/releases/record';
import { git, gitOrThrow, writeRecord } from './record';

class ReleaseError extends Error {}

interface Options {
  readonly version: string;
  readonly date: string;
  readonly branch: string;
}

function parse(argv: string[]): Options {
  const rest = [...argv];
  let date = new Date().toISOString().slice(0, 10);
  let branch = 'main';
  const positional: string[] = [];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--date') date = rest.shift() ?? '';
    else if (arg === '--branch') branch = rest.shift() ?? '';
    else positional.push(arg);
  }
  if (positional.length !== 1 || positional[0] === '') throw new ReleaseError('usage: make release VERSION=x.y.z');
  const version = positional[0]!.replace(/^v/, '');
  if (!isVersion(version)) throw new ReleaseError(`"${positional[0]}" is not a version: VERSION=x.y.z (semver, no pre-release)`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ReleaseError(`--date must be YYYY-MM-DD (got "${date}")`);
  return { version, date, branch };
}

/** The CHANGELOG with [Unreleased]'s entries under a new "## [version] - date" heading. */
export function changelogFor(text: string, version: string, date: string): string {
  if (new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm').test(text)) return text;
  const unreleased = /^## \[Unreleased\][^\n]*\n/m;
  if (!unreleased.test(text)) throw new ReleaseError('CHANGELOG.md has no "## [Unreleased]" section to release');
  return text.replace(unreleased, (heading) => `${heading}\n## [${version}] - ${date}\n`);
}

function main(argv: string[]): void {
  const options = parse(argv);
  const root = gitOrThrow(process.cwd(), ['rev-parse', '--show-toplevel']);
  const { version } = options;

  const branch = git(root, ['symbolic-ref', '--short', 'HEAD']).stdout;
  if (branch !== options.branch) throw new ReleaseError(`releases are cut on ${options.branch}, and HEAD is on "${branch || 'a detached HEAD'}"`);
  if (gitOrThrow(root, ['status', '--porcelain', '--untracked-files=no']) !== '') {
    throw new ReleaseError('the work tree has uncommitted changes: a release is a commit, so commit or set them aside first');
  }
  const record = readRecord(root);
  if (record[version] !== undefined) throw new ReleaseError(`${version} is already released (${RECORD_FILE}: ${record[version]})`);
  const newer = versionsOf(record).filter((v) => compareVersions(v, version) >= 0);
  if (newer.length > 0) throw new ReleaseError(`${version} is not newer than the released ${newer.join(', ')}`);
  if (git(root, ['rev-parse', '-q', '--verify', `refs/tags/${tagOf(version)}`]).status === 0) {
    throw new ReleaseError(`tag ${tagOf(version)} exists already but is not in ${RECORD_FILE}: remove it or record it`);
  }

  // 2. The release commit.
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  if (manifest.version !== version) {
    const bumped = spawnSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version', '--loglevel=error'], { cwd: root, encoding: 'utf8' });
    if (bumped.status !== 0) throw new ReleaseError(`npm version ${version} failed: ${bumped.stderr}`);
  }
  const changelog = join(root, 'CHANGELOG.md');
  const before = readFileSync(changelog, 'utf8');
  const after = changelogFor(before, version, options.date);
  if (after !== before) writeFileSync(changelog, after);
  gitOrThrow(root, ['add', 'package.json', 'package-lock.json', 'CHANGELOG.md']);
  if (git(root, ['diff', '--cached', '--quiet']).status !== 0) gitOrThrow(root, ['commit', '--quiet', '-m', `Release ${version}`]);
  const commit = gitOrThrow(root, ['rev-parse', 'HEAD']);

  // 3. The record commit, 4. the tag.
  writeRecord(root, { ...record, [version]: commit });
  gitOrThrow(root, ['add', RECORD_FILE]);
  gitOrThrow(root, ['commit', '--quiet', '-m', `Record release ${version} (${commit.slice(0, 12)})`]);
  gitOrThrow(root, ['tag', '-a', tagOf(version), commit, '-m', `Release ${version}`]);

  console.log(`Released ${version}: commit ${commit}, recorded in ${RECORD_FILE}, tagged ${tagOf(version)}.`);
  console.log(`Publish it:   git push --atomic origin HEAD:${options.branch} ${tagOf(version)}`);
  console.log(`Then pin it:  make pin ENV=stage VERSION=${version}   (README "Release flow")`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`release: ${error.message}`);
    process.exitCode = 2;
  }
}

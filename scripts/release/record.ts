/**
 * The release record's checks against git: a recorded release must be a commit of main's history
 * carrying its version, and its tag, where present, must agree. Reading the record itself runs no
 * git and lives with the app that reads it (environments/releases/record.ts); writing it is here.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, RECORD_FILE, tagOf, type ReleaseRecord } from '../../environments/releases/record';

/** Writes the record with its versions in release order. */
export function writeRecord(repoRoot: string, record: ReleaseRecord): void {
  const sorted = Object.fromEntries(Object.keys(record).sort(compareVersions).map((v) => [v, record[v]!]));
  writeFileSync(join(repoRoot, RECORD_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git in a repository (GIT_DIR and the other GIT_* variables are honoured). */
export function git(repoRoot: string, args: string[], input?: string): GitResult {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** Like git(), but throws with git's message when it fails. */
export function gitOrThrow(repoRoot: string, args: string[]): string {
  const result = git(repoRoot, args);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * Why a release commit cannot be used from this repository, or undefined when it can: it must be a
 * commit of HEAD's history (releases are cut on main, and CI clones main alone), its package.json
 * must carry the recorded version, and the tag, where this clone has it, must point at it.
 */
export function releaseCommitProblem(repoRoot: string, version: string, commit: string): string | undefined {
  if (git(repoRoot, ['rev-parse', '--git-dir']).status !== 0) {
    return `${repoRoot} is not a git repository, so commit ${commit} cannot be read. Prepare pinned releases in a clone of the repository (or point GIT_DIR at one).`;
  }
  if (git(repoRoot, ['cat-file', '-e', `${commit}^{commit}`]).status !== 0) {
    const shallow = git(repoRoot, ['rev-parse', '--is-shallow-repository']).stdout === 'true';
    return shallow
      ? `commit ${commit} is not in this clone, which is shallow: run \`git fetch --unshallow\` (in Jenkins, turn shallow clone off).`
      : `commit ${commit} is not in this repository. Fetch main (\`git fetch origin main\`); if it is still missing, the ${RECORD_FILE} entry for ${version} is wrong.`;
  }
  const ancestor = git(repoRoot, ['merge-base', '--is-ancestor', commit, 'HEAD']);
  if (ancestor.status !== 0) {
    return `commit ${commit} is not in the history of HEAD: a release must be a commit of main (merge release commits, do not squash or rebase them), and ${RECORD_FILE} must name it.`;
  }
  const tagged = git(repoRoot, ['rev-parse', '-q', '--verify', `refs/tags/${tagOf(version)}^{commit}`]);
  if (tagged.status === 0 && tagged.stdout !== commit) {
    return `tag ${tagOf(version)} points at ${tagged.stdout}, but ${RECORD_FILE} records ${commit}: the record is the source of truth, so fix the tag (\`git tag -f -a ${tagOf(version)} ${commit}\`) or the record.`;
  }
  const manifest = git(repoRoot, ['show', `${commit}:package.json`]);
  if (manifest.status !== 0) return `commit ${commit} has no package.json.`;
  const packaged = (JSON.parse(manifest.stdout) as { version?: string }).version;
  if (packaged !== version) {
    return `commit ${commit} is version ${packaged} in its package.json, not ${version}: the ${RECORD_FILE} entry is wrong.`;
  }
  return undefined;
}

/**
 * Mirrors the release record as tags: creates the annotated tag v<version> of every recorded release
 * that has none in this clone, and fails when an existing tag points elsewhere than the record says.
 * Checks, too, that every recorded commit is a commit of HEAD's history carrying its version.
 *
 *   make release-tags        then   git push origin --tags
 *
 * With --check it only checks (creates nothing); a missing tag is not a problem then.
 */
import { readRecord, tagOf, versionsOf } from '../../environments/releases/record';
import { git, gitOrThrow, releaseCommitProblem } from './record';
import { join } from 'node:path';

function main(argv: string[]): number {
  const root = join(__dirname, '..', '..');
  const checkOnly = argv.includes('--check');
  const record = readRecord(root);
  let failed = 0;
  for (const version of versionsOf(record)) {
    const commit = record[version]!;
    const problem = releaseCommitProblem(root, version, commit);
    if (problem !== undefined) {
      console.error(`${version}: ${problem}`);
      failed++;
      continue;
    }
    const tagged = git(root, ['rev-parse', '-q', '--verify', `refs/tags/${tagOf(version)}^{commit}`]);
    if (tagged.status === 0) {
      console.log(`${version}: ${tagOf(version)} -> ${commit}`);
    } else if (checkOnly) {
      console.log(`${version}: ${commit} (no tag ${tagOf(version)} in this clone)`);
    } else {
      gitOrThrow(root, ['tag', '-a', tagOf(version), commit, '-m', `Release ${version}`]);
      console.log(`${version}: tagged ${tagOf(version)} -> ${commit}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

/**
 * The release record (releases.json at the repository root): every released version of the
 * constructs, the stack composition and the function bundles, mapped to the full SHA of its release
 * commit on main. The git tag v<version> mirrors it, but tags are not needed to use a release: a
 * clone of main alone (no tags, as CI clones it) resolves every pin from this committed file and
 * main's own history. Reading it runs no git: synthesis reads it too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RECORD_FILE = 'releases.json';

/** Released version (x.y.z) to the full SHA of its release commit. */
export type ReleaseRecord = Readonly<Record<string, string>>;

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const COMMIT = /^[0-9a-f]{40}$/;

export function isVersion(text: string): boolean {
  return VERSION.test(text);
}

/** Orders x.y.z versions numerically. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    const d = pa![i]! - pb![i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** The tag that mirrors a release. */
export function tagOf(version: string): string {
  return `v${version}`;
}

export class ReleaseRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseRecordError';
  }
}

export function readRecord(repoRoot: string): ReleaseRecord {
  const file = join(repoRoot, RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ReleaseRecordError(`${RECORD_FILE} not found at ${repoRoot}: the release record is committed at the repository root`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ReleaseRecordError(`${RECORD_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ReleaseRecordError(`${RECORD_FILE} must be an object of "x.y.z": "<full commit SHA>"`);
  }
  for (const [version, commit] of Object.entries(parsed)) {
    if (!isVersion(version)) throw new ReleaseRecordError(`${RECORD_FILE}: "${version}" is not a version (x.y.z)`);
    if (typeof commit !== 'string' || !COMMIT.test(commit)) {
      throw new ReleaseRecordError(`${RECORD_FILE}: release ${version} must map to a full 40-character commit SHA, not ${JSON.stringify(commit)}`);
    }
  }
  return parsed as ReleaseRecord;
}

export function versionsOf(record: ReleaseRecord): string[] {
  return Object.keys(record).sort(compareVersions);
}

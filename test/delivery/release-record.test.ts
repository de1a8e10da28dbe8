/**
 * This repository's release record and pins, and the release tooling's rules. (The mechanism end to
 * end, in a repository of its own, is pinned-environments.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecord, releaseCommitProblem, versionsOf, compareVersions, RECORD_FILE } from '../../scripts/release/record';
import { dependencyFingerprint } from '../../scripts/release/pinned-code';
import { changelogFor } from '../../scripts/release/release';
import { PIN_LINE, readPin } from '../../scripts/release/pin';

const REPO_ROOT = join(__dirname, '..', '..');

describe('this repository', () => {
  const record = readRecord(REPO_ROOT);

  it('records each release as a commit of main whose package.json carries its version (tags, where present, agree)', () => {
    expect(versionsOf(record).length).toBeGreaterThan(0);
    for (const version of versionsOf(record)) {
      expect({ version, problem: releaseCommitProblem(REPO_ROOT, version, record[version]!) }).toEqual({ version, problem: undefined });
    }
  });

  it('pins stage and prod to recorded releases, prod no newer than stage; dev tracks main', () => {
    expect(readPin(REPO_ROOT, 'dev')).toBeUndefined();
    const stage = readPin(REPO_ROOT, 'stage');
    const prod = readPin(REPO_ROOT, 'prod');
    for (const pin of [stage, prod]) expect(versionsOf(record)).toContain(pin);
    expect(compareVersions(prod!, stage!)).toBeLessThanOrEqual(0);
  });
});

describe('release tooling', () => {
  it('moves the CHANGELOG entries of [Unreleased] under the new version', () => {
    const text = '# Changelog\n\n## [Unreleased]\n\n### Fixed\n- A bug.\n\n## [0.1.0] - 2026-01-01\n';
    expect(changelogFor(text, '0.2.0', '2026-02-02')).toBe('# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-02-02\n\n### Fixed\n- A bug.\n\n## [0.1.0] - 2026-01-01\n');
    expect(changelogFor(text, '0.1.0', '2026-02-02')).toBe(text); // already has its section
    expect(() => changelogFor('# Changelog\n', '0.2.0', '2026-02-02')).toThrow('no "## [Unreleased]" section');
  });

  it('orders versions numerically', () => {
    expect(['0.10.0', '0.2.0', '1.0.0', '0.2.10'].sort(compareVersions)).toEqual(['0.2.0', '0.2.10', '0.10.0', '1.0.0']);
  });

  it('finds the pin line it rewrites', () => {
    expect(PIN_LINE.exec("x\nexport const pinnedRelease = '1.2.3';\n")?.[1]).toBe('1.2.3');
  });

  describe('on files of its own', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'vault-dr-record-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('rejects a record that maps a version to anything but a full commit SHA', () => {
      writeFileSync(join(dir, RECORD_FILE), JSON.stringify({ '0.1.0': 'abc123' }));
      expect(() => readRecord(dir)).toThrow('release 0.1.0 must map to a full 40-character commit SHA');
      writeFileSync(join(dir, RECORD_FILE), JSON.stringify({ 'v0.1.0': 'a'.repeat(40) }));
      expect(() => readRecord(dir)).toThrow('"v0.1.0" is not a version (x.y.z)');
    });

    it('links a release to this checkout\'s node_modules when only the package\'s own version differs', () => {
      const lock = (version: string, esbuild: string) => ({
        name: '@vault-dr/cdktf',
        version,
        lockfileVersion: 3,
        packages: { '': { name: '@vault-dr/cdktf', version, devDependencies: { esbuild } }, 'node_modules/esbuild': { version: esbuild } },
      });
      const fingerprint = (content: object) => {
        const file = join(dir, `${Math.random()}.json`);
        writeFileSync(file, JSON.stringify(content, null, 2));
        return dependencyFingerprint(file);
      };
      expect(fingerprint(lock('0.1.0', '0.28.2'))).toBe(fingerprint(lock('0.2.0', '0.28.2')));
      expect(fingerprint(lock('0.1.0', '0.28.2'))).not.toBe(fingerprint(lock('0.1.0', '0.28.3')));
    });
  });
});

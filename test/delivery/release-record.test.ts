/**
 * This repository's release record and pins, and the release tooling's rules. (The mechanism end to
 * end, in a repository of its own, is pinned-environments.test.ts.)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ENVIRONMENT_NAMES } from '../../environments/names';
import { formatPins, parsePins, PinFileError, PINS_FILE, readPins } from '../../environments/releases/pins';
import { dependencyFingerprint, LAYOUT, MARKER_FILE, preparedRelease, ReleasePinError, resolvePin, unpreparedReason } from '../../environments/releases/prepared';
import { compareVersions, readRecord, RECORD_FILE, versionsOf } from '../../environments/releases/record';
import { releaseCommitProblem } from '../../scripts/release/record';
import { changelogFor } from '../../scripts/release/release';
import { typeBridgeFile, typeBridgeText } from '../../scripts/release/type-bridges';

const REPO_ROOT = join(__dirname, '..', '..');
const PREPARE = 'tsx scripts/release/prepare.ts';

/** What `make -n` would run (nothing is run). */
async function dryRun(...args: string[]): Promise<string> {
  const env = { ...process.env };
  for (const name of ['ENV', 'VERSION', 'MAKEFLAGS', 'MAKELEVEL']) delete env[name];
  const { stdout } = await promisify(execFile)('make', ['--no-print-directory', '-n', ...args], { cwd: REPO_ROOT, env });
  return stdout;
}

function expectBefore(output: string, first: string, then: string): void {
  expect({ first: output.indexOf(first) >= 0, then: output.indexOf(then) >= 0 }).toEqual({ first: true, then: true });
  expect(output.indexOf(first)).toBeLessThan(output.indexOf(then));
}

describe('make targets', () => {
  it('prepares the pinned releases before synthesis, the type check and the tests', async () => {
    expectBefore(await dryRun('synth', 'ENV=stage'), PREPARE, 'npm run --silent synth -- stage');
    expectBefore(await dryRun('typecheck'), PREPARE, 'tsc --noEmit -p tsconfig.json');
    const test = await dryRun('test');
    expectBefore(test, PREPARE, 'tsc --noEmit -p tsconfig.json');
    expectBefore(test, PREPARE, 'jest --ci');
    expectBefore(await dryRun('plan', 'ENV=prod'), PREPARE, 'npm run --silent synth -- prod');
  }, 60_000);

  it('pins and promotes with the pin tool, which edits environments/pins.json', async () => {
    expect(await dryRun('pin', 'ENV=stage', 'VERSION=1.2.3')).toContain('tsx scripts/release/pin.ts stage 1.2.3');
    expect(await dryRun('promote')).toContain('tsx scripts/release/pin.ts prod --from stage');
  }, 30_000);
});

describe('this repository', () => {
  const record = readRecord(REPO_ROOT);
  const pins = readPins(REPO_ROOT);

  it('records each release as a commit of main whose package.json carries its version (tags, where present, agree)', () => {
    expect(versionsOf(record).length).toBeGreaterThan(0);
    for (const version of versionsOf(record)) {
      expect({ version, problem: releaseCommitProblem(REPO_ROOT, version, record[version]!) }).toEqual({ version, problem: undefined });
    }
  });

  it('pins stage and prod to recorded releases, prod no newer than stage; dev tracks main', () => {
    expect(pins.dev).toBeUndefined();
    for (const pin of [pins.stage, pins.prod]) expect(versionsOf(record)).toContain(pin);
    expect(compareVersions(pins.prod!, pins.stage!)).toBeLessThanOrEqual(0);
  });

  it('keeps the pins file in the form make pin writes', () => {
    expect(readFileSync(join(REPO_ROOT, PINS_FILE), 'utf8')).toBe(formatPins(pins));
  });

  it('has type bridges that follow the pins (make releases writes them from the same file)', () => {
    for (const environment of ENVIRONMENT_NAMES) {
      const version = pins[environment];
      const release = version === undefined ? undefined : preparedRelease(REPO_ROOT, environment, version);
      const bridge = join(REPO_ROOT, typeBridgeFile(environment));
      if (!existsSync(bridge)) throw new Error(`${typeBridgeFile(environment)} is missing: run \`make releases\``);
      expect({ environment, bridge: readFileSync(bridge, 'utf8') }).toEqual({ environment, bridge: typeBridgeText(REPO_ROOT, environment, release) });
    }
  });
});

describe('the pins file', () => {
  it('takes environments with released versions, and none', () => {
    expect(parsePins({ stage: '0.2.1', prod: '0.2.0' })).toEqual({ stage: '0.2.1', prod: '0.2.0' });
    expect(parsePins({})).toEqual({});
  });

  it.each([
    [{ stage: 'v0.2.1' }, 'environments/pins.json: "stage" must be a version x.y.z (no "v", no pre-release), got "v0.2.1"; fix: make pin ENV=stage VERSION=x.y.z'],
    [{ prod: 2 }, 'environments/pins.json: "prod" must be a version string "x.y.z", got 2; fix: make pin ENV=prod VERSION=x.y.z'],
    [{ qa: '0.2.1' }, 'environments/pins.json: "qa" is not an environment (dev, stage, prod): remove it, or name one of them'],
    [['0.2.1'], 'environments/pins.json must be an object of environment to version'],
    ['0.2.1', 'environments/pins.json must be an object of environment to version'],
  ])('refuses %j, naming the environment and the fix', (content, message) => {
    expect(() => parsePins(content)).toThrow(PinFileError);
    expect(() => parsePins(content)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => parsePins({ stage: '1', prod: '2', qa: '3' })).toThrow(/"stage"[^]*"prod"[^]*"qa"/);
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

  describe('on files of its own', () => {
    let dir: string;
    const commit = 'c'.repeat(40);
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

    it('calls a release prepared only when its marker names the commit in the current layout', () => {
      writeFileSync(join(dir, RECORD_FILE), JSON.stringify({ '1.0.0': commit }));
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ version: '1.0.0', packages: {} }));
      const { root } = resolvePin(dir, 'stage', '1.0.0');
      expect(root).toBe(join(dir, '.releases', `1.0.0-${commit}`));
      expect(unpreparedReason(dir, root, commit)).toBe('it is not prepared yet');
      mkdirSync(root, { recursive: true });
      expect(unpreparedReason(dir, root, commit)).toBe('its preparation did not finish');
      writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ version: '0.9.0', packages: {} }));
      const mark = (marker: object) => writeFileSync(join(root, MARKER_FILE), JSON.stringify({ layout: LAYOUT, version: '1.0.0', commit, dependencies: 'linked', ...marker }));
      mark({ layout: LAYOUT - 1 });
      expect(unpreparedReason(dir, root, commit)).toBe('it was prepared by an older version of the release tooling');
      mark({});
      expect(unpreparedReason(dir, root, commit)).toBeUndefined();
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ version: '1.0.0', packages: { 'node_modules/x': { version: '2.0.0' } } }));
      expect(unpreparedReason(dir, root, commit)).toBe("it runs on this checkout's node_modules, and package-lock.json changed since");
      mark({ dependencies: 'installed' });
      expect(unpreparedReason(dir, root, commit)).toBeUndefined();
    });

    it('stops a synthesis on a release that is not prepared, naming make releases', () => {
      writeFileSync(join(dir, RECORD_FILE), JSON.stringify({ '1.0.0': commit }));
      expect(() => preparedRelease(dir, 'prod', '1.0.0')).toThrow(ReleasePinError);
      expect(() => preparedRelease(dir, 'prod', '1.0.0')).toThrow(
        `Environment "prod" pins release "1.0.0" (environments/pins.json), commit cccccccccccc, which is not prepared in .releases/ (it is not prepared yet). Run \`make releases\` first`,
      );
      expect(() => preparedRelease(dir, 'prod', '1.0.1')).toThrow('which is not a release: releases.json records 1.0.0.');
    });
  });
});

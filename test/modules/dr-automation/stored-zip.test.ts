import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedZip } from '../../../modules/dr-automation/private/stored-zip';

describe('storedZip', () => {
  const entries = [
    { name: 'vault-ca.pem', data: Buffer.from('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n') },
    { name: 'index.js', data: Buffer.from('"use strict";exports.handler=async()=>"ü";\n') },
  ];

  it('gives the same bytes for the same entries, whatever their order', () => {
    expect(storedZip(entries).equals(storedZip([...entries].reverse()))).toBe(true);
  });

  it('gives other bytes when a byte of content changes', () => {
    const changed = [entries[0]!, { name: 'index.js', data: Buffer.from('"use strict";exports.handler=async()=>"u";\n') }];
    expect(storedZip(entries).equals(storedZip(changed))).toBe(false);
  });

  it('is a zip that standard tools read back, with fixed times and mode 0644', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stored-zip-'));
    try {
      const file = join(dir, 'function.zip');
      writeFileSync(file, storedZip(entries));
      const script = [
        'import sys, zipfile, json',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'print(json.dumps([[i.filename, i.date_time, i.external_attr >> 16, i.compress_type, z.read(i).decode()] for i in z.infolist()]))',
      ].join('\n');
      const listed = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
      expect(listed).toEqual([
        ['index.js', [1980, 1, 1, 0, 0, 0], 0o100644, 0, entries[1]!.data.toString()],
        ['vault-ca.pem', [1980, 1, 1, 0, 0, 0], 0o100644, 0, entries[0]!.data.toString()],
      ]);
      expect(readFileSync(file).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

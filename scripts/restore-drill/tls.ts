/**
 * The drill's listeners speak TLS with verification on, as the real clusters do: a throw-away CA
 * and one certificate for 127.0.0.1 made with the openssl CLI (EC P-256: tens of milliseconds).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface DrillTls {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export async function createDrillTls(dir: string, openssl = 'openssl'): Promise<DrillTls> {
  const caFile = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const keyFile = join(dir, 'node.key');
  const csrFile = join(dir, 'node.csr');
  const certFile = join(dir, 'node.pem');
  const extFile = join(dir, 'node.ext');
  await run(openssl, [
    'req', '-x509', ...EC_KEY, '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', '/CN=restore-drill-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  writeFileSync(
    extFile,
    ['subjectAltName=IP:127.0.0.1', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth,clientAuth'].join('\n'),
  );
  await run(openssl, ['req', ...EC_KEY, '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=127.0.0.1']);
  await run(openssl, ['x509', '-req', '-in', csrFile, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '1', '-extfile', extFile]);
  return { caFile, certFile, keyFile };
}

/**
 * Test certificate authorities made with the openssl CLI. The trusted CA and the listeners'
 * certificate are generated once per process (every pair in a jest worker shares them) and kept in
 * a temporary directory that is removed when the process exits. EC P-256 keys keep generation in
 * the tens of milliseconds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = '/usr/bin/openssl';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface TestCa {
  readonly caPem: string;
  readonly caFile: string;
}

export interface ServerTls extends TestCa {
  readonly keyPem: string;
  readonly certPem: string;
}

let workDir: string | undefined;

/** One directory per process; removed synchronously at exit because the files are tiny. */
function processDir(): string {
  if (workDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'vault-simulator-tls-'));
    workDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

async function createCa(dir: string, commonName: string): Promise<TestCa & { keyFile: string }> {
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca.key');
  await run(OPENSSL, [
    'req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', caFile, '-days', '2',
    '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { caFile, keyFile, caPem: readFileSync(caFile, 'utf8') };
}

async function createServerTls(): Promise<ServerTls> {
  const dir = mkdtempSync(join(processDir(), 'trusted-'));
  const ca = await createCa(dir, 'Vault Simulator Test CA');
  const keyFile = join(dir, 'server.key');
  const csrFile = join(dir, 'server.csr');
  const certFile = join(dir, 'server.pem');
  const extFile = join(dir, 'server.ext');
  writeFileSync(
    extFile,
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  await run(OPENSSL, ['req', ...EC_KEY, '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=localhost']);
  await run(OPENSSL, [
    'x509', '-req', '-in', csrFile, '-CA', ca.caFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-out', certFile, '-days', '2', '-extfile', extFile,
  ]);
  return {
    caPem: ca.caPem,
    caFile: ca.caFile,
    keyPem: readFileSync(keyFile, 'utf8'),
    certPem: readFileSync(certFile, 'utf8'),
  };
}

let serverTls: Promise<ServerTls> | undefined;

/** The process-wide trusted CA and the listeners' certificate (IP:127.0.0.1, DNS:localhost). */
export function getServerTls(): Promise<ServerTls> {
  if (serverTls === undefined) {
    serverTls = createServerTls();
    // A failed generation must not be cached forever: the next caller retries.
    serverTls.catch(() => {
      serverTls = undefined;
    });
  }
  return serverTls;
}

/** A fresh CA that signed nothing the simulator serves, for "unknown CA is rejected" tests. */
export async function createUntrustedCa(): Promise<TestCa> {
  const dir = mkdtempSync(join(processDir(), 'untrusted-'));
  const { caPem, caFile } = await createCa(dir, 'Untrusted Test CA');
  return { caPem, caFile };
}

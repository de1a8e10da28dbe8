import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from '../../internal/cdktf';
import { BUNDLE_FILE_NAME, VAULT_CA_FILE_NAME } from '../defaults';
import { storedZip } from './stored-zip';

export interface FunctionArchiveProps {
  /** The esbuild bundle of the function (dist/functions/<name>/index.js). */
  readonly bundleFile: string;
  /** PEM text shipped beside it as vault-ca.pem. */
  readonly vaultCaBundlePem: string;
}

// Archives are staged here, named by their SHA-256, so equal archives are written once and the
// staging area holds one file per distinct archive instead of growing with every synth. A staged
// file is checked against its name before it is reused.
const STAGING_DIRECTORY = join(tmpdir(), 'vault-dr-cdktf-archives');
const ARCHIVE_FILE_NAME = 'function.zip';

/**
 * A function's Lambda archive (bundle + CA bundle) as a Terraform asset.
 *
 * The archive is byte-for-byte the same for the same bundle and CA bundle, on any machine and in any
 * checkout, so `sourceCodeHash` (the archive's base64 SHA-256, the value Lambda reports as
 * CodeSha256) only changes when the code does: no redeploy on a rebuild.
 */
export class FunctionArchive extends Construct {
  /** Path of the archive relative to the synthesized stack folder (Terraform's working directory). */
  readonly path: string;
  /** Base64 SHA-256 of the archive. */
  readonly sourceCodeHash: string;

  constructor(scope: Construct, id: string, props: FunctionArchiveProps) {
    super(scope, id);
    const archive = storedZip([
      { name: BUNDLE_FILE_NAME, data: readFileSync(props.bundleFile) },
      { name: VAULT_CA_FILE_NAME, data: Buffer.from(props.vaultCaBundlePem, 'utf8') },
    ]);
    const sha256 = createHash('sha256').update(archive).digest();
    const stagedFile = stageArchive(sha256.toString('hex'), archive);
    const asset = new TerraformAsset(this, 'Asset', {
      path: stagedFile,
      type: AssetType.FILE,
      assetHash: sha256.toString('hex'),
    });
    this.path = asset.path;
    this.sourceCodeHash = sha256.toString('base64');
  }
}

function stageArchive(hexDigest: string, archive: Buffer): string {
  const folder = join(STAGING_DIRECTORY, hexDigest);
  const file = join(folder, ARCHIVE_FILE_NAME);
  if (existsSync(file) && createHash('sha256').update(readFileSync(file)).digest('hex') === hexDigest) return file;
  mkdirSync(folder, { recursive: true });
  // Write then rename: two synths running at once (parallel jest workers) never see half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, archive);
  renameSync(partial, file);
  return file;
}

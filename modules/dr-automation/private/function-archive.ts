import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { DataArchiveFile } from '../../internal/archive';
import { AssetType, TerraformAsset, type TerraformProvider } from '../../internal/cdktf';
import { BUNDLE_FILE_NAME, VAULT_CA_FILE_NAME } from '../defaults';

export interface FunctionArchiveProps {
  /** The esbuild bundle of the function (dist/functions/<name>/index.js). */
  readonly bundleFile: string;
  /** PEM text shipped beside it as vault-ca.pem. */
  readonly vaultCaBundlePem: string;
  /** The archive provider that zips the folder. @default - the stack's default archive provider */
  readonly provider?: TerraformProvider;
}

/**
 * Terraform's working directory at plan time (the synthesized stack folder, for a root module).
 * Written into the paths rather than left implicit so that they stay right under `-chdir`, and so
 * that no path of the machine that synthesized the stack ends up in the JSON.
 */
const MODULE_PATH = '${path.module}';

/** Mode of every file in the zip: the checkout's umask must not change the archive's hash. */
const ARCHIVE_FILE_MODE = '0644';

// The two files are staged here, in a folder named by their SHA-256, before the asset copies them
// into the stack folder: equal sources are staged once, and the staging area holds one folder per
// distinct source rather than growing with every synth. A staged folder is checked before reuse.
const STAGING_DIRECTORY = join(tmpdir(), 'vault-dr-cdktf-function-sources');

/**
 * A function's Lambda archive: a TerraformAsset (DIRECTORY) holding the bundle (`index.js`) and the
 * CA bundle (`vault-ca.pem`), zipped at plan time by the archive provider's `archive_file`.
 *
 * `archive_file` writes every entry with a zero modification time, and here with a fixed mode, so
 * the zip and its `output_base64sha256` (the value Lambda reports as CodeSha256) depend only on the
 * two files' names and contents: a rebuild of the same sources on any machine is no change.
 * Both paths are relative to the stack folder (`${path.module}/assets/...`); the zip lands beside
 * the asset folder, never inside it (it would archive itself).
 */
export class FunctionArchive extends Construct {
  /** `${data.archive_file.<id>.output_path}`: the Lambda function's `filename`. */
  readonly outputPath: string;
  /** `${data.archive_file.<id>.output_base64sha256}`: the Lambda function's `source_code_hash`. */
  readonly sourceCodeHash: string;
  /** Content hash of the asset folder (it names the folder: `assets/<id>/<hash>`). */
  readonly assetHash: string;

  constructor(scope: Construct, id: string, props: FunctionArchiveProps) {
    super(scope, id);
    const folder = stageSources({
      [BUNDLE_FILE_NAME]: readFileSync(props.bundleFile),
      [VAULT_CA_FILE_NAME]: Buffer.from(props.vaultCaBundlePem, 'utf8'),
    });
    const asset = new TerraformAsset(this, 'Asset', { path: folder, type: AssetType.DIRECTORY });
    const zip = new DataArchiveFile(this, 'Zip', {
      provider: props.provider,
      type: 'zip',
      sourceDir: `${MODULE_PATH}/${asset.path}`,
      outputPath: `${MODULE_PATH}/${asset.path}.zip`,
      outputFileMode: ARCHIVE_FILE_MODE,
    });
    this.outputPath = zip.outputPath;
    this.sourceCodeHash = zip.outputBase64Sha256;
    this.assetHash = asset.assetHash;
  }
}

function holds(folder: string, files: Readonly<Record<string, Buffer>>): boolean {
  if (!existsSync(folder)) return false;
  const names = Object.keys(files).sort();
  const present = readdirSync(folder).sort();
  return (
    present.length === names.length &&
    present.every((name, i) => name === names[i] && readFileSync(join(folder, name)).equals(files[name]!))
  );
}

/** A folder that holds exactly these files, named by their content. */
function stageSources(files: Readonly<Record<string, Buffer>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    hash.update(`${name}\0${files[name]!.length}\0`).update(files[name]!);
  }
  const folder = join(STAGING_DIRECTORY, hash.digest('hex'));
  for (let attempt = 0; attempt < 2; attempt++) {
    if (holds(folder, files)) return folder;
    // Written aside, then renamed: two synths at once (parallel jest workers) never see half a folder.
    const partial = `${folder}.${process.pid}.${randomBytes(4).toString('hex')}`;
    mkdirSync(partial, { recursive: true });
    for (const [name, data] of Object.entries(files)) writeFileSync(join(partial, name), data, { mode: 0o644 });
    try {
      renameSync(partial, folder);
      return folder;
    } catch {
      rmSync(partial, { recursive: true, force: true });
      // Another process staged it first, or an earlier run left a damaged folder: check, else replace.
      if (holds(folder, files)) return folder;
      rmSync(folder, { recursive: true, force: true });
    }
  }
  throw new Error(`could not stage the Lambda sources in ${folder}`);
}

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { DataArchiveFile } from '../../internal/archive';
import { addCustomSynthesis, type ISynthesisSession, TerraformStack, type TerraformProvider } from '../../internal/cdktf';
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
    const asset = new SourceFolder(this, 'Asset', {
      [BUNDLE_FILE_NAME]: readFileSync(props.bundleFile),
      [VAULT_CA_FILE_NAME]: Buffer.from(props.vaultCaBundlePem, 'utf8'),
    });
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

/**
 * A directory asset whose files are held in memory and written straight into the stack's output
 * folder when the stack is synthesized: the folder and hash a cdktf `TerraformAsset` (DIRECTORY)
 * of the same files would have (`assets/<logical id>/<MD5 of the contents in name order>`), without
 * the source folder on disk that a TerraformAsset copies from. So synthesis writes nothing outside
 * its output (no staging folder in the temp directory), and what is not synthesized writes nothing.
 */
class SourceFolder extends Construct {
  /** Path of the folder, relative to the stack folder. */
  readonly path: string;
  readonly assetHash: string;

  constructor(scope: Construct, id: string, files: Readonly<Record<string, Buffer>>) {
    super(scope, id);
    const names = Object.keys(files).sort();
    const md5 = createHash('md5');
    for (const name of names) md5.update(files[name]!);
    this.assetHash = md5.digest('hex').slice(0, 32).toUpperCase();
    const stack = TerraformStack.of(this);
    const namedFolder = `assets/${stack.getLogicalId(this.node)}`;
    this.path = `${namedFolder}/${this.assetHash}`;
    addCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        const stackFolder = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath, '..');
        // Earlier versions of this asset go, as TerraformAsset does it.
        rmSync(join(stackFolder, namedFolder), { recursive: true, force: true });
        const folder = join(stackFolder, this.path);
        mkdirSync(folder, { recursive: true });
        for (const name of names) writeFileSync(join(folder, name), files[name]!, { mode: 0o644 });
      },
    });
  }
}

/**
 * The only door to the cdktf core package.
 *
 * cdktf was archived upstream in December 2025 (0.21.0 is its last release). Its maintained fork
 * keeps the same API under other package names, so every cdktf import in this repository goes
 * through this file: moving to the fork is a rename here (and in package.json).
 */
export {
  App,
  AssetType,
  dependable,
  Fn,
  S3Backend,
  TerraformAsset,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from 'cdktf';
export type { ISynthesisSession, ITerraformDependable } from 'cdktf';
// Lets a construct write files into its stack's output folder while the stack is synthesized, as
// cdktf's own TerraformAsset does (the function archives use it to write their sources straight into
// the output, with no staging folder elsewhere). Exported by cdktf's synthesizer module but not its
// root; cdktf is archived, so the API stays as it is.
export { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';

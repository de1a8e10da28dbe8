/**
 * The only door to the cdktf core package.
 *
 * cdktf was archived upstream in December 2025 (0.21.0 is its last release). Its maintained fork
 * keeps the same API under other package names, so every cdktf import in this repository goes
 * through this file: moving to the fork is a rename here (and in package.json).
 */
export { App, AssetType, dependable, Fn, S3Backend, TerraformAsset, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
export type { ITerraformDependable, TerraformProvider } from 'cdktf';

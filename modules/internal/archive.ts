/**
 * The only door to @cdktf/provider-archive, by deep path (see ./aws.ts for why).
 */
export { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
export { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';

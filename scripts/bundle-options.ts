/**
 * The esbuild options every bundle of this repository shares (the Lambda functions and the
 * operator CLI): one CommonJS file for Node, byte-identical for identical sources on any machine
 * and in any checkout location: no source maps, no legal comments, no paths.
 */
import type { BuildOptions } from 'esbuild';

export const DETERMINISTIC_NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The AWS SDK and its dependencies ship ES modules beside CommonJS; esbuild can only tree-shake
  // the ES modules. Preferring them roughly halves a bundle's load time.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
} as const satisfies BuildOptions;

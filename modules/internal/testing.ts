/**
 * The test-only door to cdktf: its jest matchers (`toHaveResourceWithProperties`, ...). Never
 * imported by modules/index.ts, so it stays out of the published library.
 *
 * Importing this file brings the matchers' types (cdktf/lib/testing/adapters/jest declares them on
 * jest's global Matchers); `setupJest()` registers them at run time.
 */
import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

/** Registers cdktf's jest matchers for the calling test file. */
export function setupJest(): void {
  Testing.setupJest();
}

/** HCL to JSON (Terraform's own parser, as WebAssembly): the tests read rendered HCL back with it. */
export { parse as parseHcl } from '@cdktf/hcl2json';

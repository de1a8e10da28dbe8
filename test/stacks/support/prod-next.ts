/**
 * prod with its third cluster (environments/next/prod-performance-secondary.ts), built with this
 * checkout's stack. Run directly, it synthesizes that stack into a folder and writes the checkov
 * baseline of the package's accepted findings beside it (`checkovBaseline`, each with its reason),
 * so checkov can judge the new resources before prod takes them:
 *
 *   npx tsx test/stacks/support/prod-next.ts /tmp/prod-next
 *   checkov -d /tmp/prod-next/stacks/vault-dr-prod --framework terraform_json --config-file .checkov.yaml \
 *     --baseline /tmp/prod-next/checkov-baseline.json
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prodPerformanceSecondary } from '../../../environments/next/prod-performance-secondary';
import { prod } from '../../../environments/prod';
import { checkovBaseline } from '../../../modules';
import { App } from '../../../modules/internal/cdktf';
import { VaultDrStack } from '../../../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../../../stacks/vault-dr-stack-props';

/** prod's values with the performance secondary; `functionBundlesDirectory` as the caller needs it. */
export function prodNextProps(functionBundlesDirectory?: string): VaultDrStackProps {
  const drAutomation = { ...prod.drAutomation, ...(functionBundlesDirectory !== undefined ? { functionBundlesDirectory } : {}) };
  return { ...(prod as VaultDrStackProps), ...prodPerformanceSecondary, drAutomation };
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (outdir === undefined) throw new Error('usage: tsx test/stacks/support/prod-next.ts <output folder>');
  const app = new App({ outdir });
  const stack = new VaultDrStack(app, prodNextProps());
  app.synth();
  writeFileSync(join(outdir, 'checkov-baseline.json'), `${JSON.stringify(checkovBaseline(stack), null, 2)}\n`);
  console.log(`synthesized ${join(outdir, 'stacks', stack.node.id)} and its checkov baseline`);
}

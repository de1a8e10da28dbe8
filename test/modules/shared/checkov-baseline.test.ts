import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dev } from '../../../environments/dev';
import { checkovBaseline } from '../../../modules';
import { App, TerraformStack } from '../../../modules/internal/cdktf';
import { VaultDrStack } from '../../../stacks/vault-dr-stack';
import { REPO_ROOT } from '../support/import-rules';

interface Finding {
  resource: string;
  check_ids: string[];
  reason: string;
}

const logicalIdOf = (resource: string) => resource.slice(resource.indexOf('.') + 1);
/** (logical id, check, reason) triples, whatever checkov's name for the resource. */
const triples = (findings: Finding[]) =>
  [...new Set(findings.flatMap((f) => f.check_ids.map((check) => JSON.stringify([logicalIdOf(f.resource), check, f.reason]))))].sort();

describe('checkovBaseline: the accepted findings, for a consumer\'s stack', () => {
  const stack = new VaultDrStack(new App({ outdir: join(REPO_ROOT, 'cdktf.out') }), dev);
  const generated = checkovBaseline(stack).failed_checks.flatMap((f) => f.findings);

  it('gives, for dev\'s stack, the findings and reasons this repository\'s own baseline accepts there', () => {
    const ours = (JSON.parse(readFileSync(join(REPO_ROOT, 'ci', 'checkov-baseline.json'), 'utf8')) as { failed_checks: Array<{ findings: Finding[] }> }).failed_checks.flatMap(
      (f) => f.findings,
    );
    const devIds = new Set(generated.map((f) => logicalIdOf(f.resource)));
    const oursInDev = triples(ours.filter((f) => devIds.has(logicalIdOf(f.resource))));
    expect(oursInDev).toEqual(expect.arrayContaining(triples(generated)));
    // The repository's baseline also serves stage and prod, built from release 0.2.1, whose
    // access-log buckets have one more finding (CKV_AWS_18) the current constructs do not.
    const onlyOurs = oursInDev.filter((t) => !triples(generated).includes(t)).map((t) => JSON.parse(t) as string[]);
    expect(onlyOurs.map(([, check, reason]) => [check, reason!.includes('releases up to 0.2.1')])).toEqual([
      ['CKV_AWS_18', true],
      ['CKV_AWS_18', true],
    ]);
    // Four functions, the DR token secret, two load balancers, two snapshot buckets and their two log buckets.
    expect(devIds.size).toBe(11);
  });

  it('names each resource as checkov does, for its graph checks and its Python checks', () => {
    expect(generated.map((f) => f.resource)).toEqual(
      expect.arrayContaining(['aws_lambda_function.DrAutomation_DnsSwitch_Function_A3E4D1F8', 'resource.DrAutomation_DnsSwitch_Function_A3E4D1F8']),
    );
  });

  it('accepts nothing in a stack without the package\'s constructs', () => {
    expect(checkovBaseline(new TerraformStack(new App(), 'empty')).failed_checks[0]!.findings).toEqual([]);
  });
});

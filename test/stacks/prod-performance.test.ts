/**
 * prod's third cluster (environments/prod.ts: a performance secondary in eu-west-1), built with this
 * checkout's stack, the one prod's pinned release carries. `make test/checkov ENV=prod` judges the
 * same resources with checkov, built from the pinned release.
 */
import { prod } from '../../environments/prod';
import { VaultDrStack } from '../../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { FIXTURE_BUNDLES_DIRECTORY } from '../modules/support/dr-automation-fixtures';
import { synthesizeStack, testApp } from '../modules/support/synthesized';

/** prod's values, with the fixture bundles instead of a build. */
const prodProps = (): VaultDrStackProps => ({ ...(prod as VaultDrStackProps), drAutomation: { ...prod.drAutomation, functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY } });

describe('prod with its performance secondary', () => {
  it('is a third region, apart from prod\'s two, with networks that overlap neither', () => {
    const [secondary] = prod.performanceSecondaries ?? [];
    if (secondary === undefined) throw new Error('prod has no performance secondary');
    expect([prod.primaryCluster.region, prod.drCluster.region]).not.toContain(secondary.cluster.region);
    expect(secondary.cluster.vpcCidrs).toEqual(['10.52.0.0/16']);
    expect([...prod.primaryCluster.vpcCidrs, ...prod.drCluster.vpcCidrs]).toEqual(['10.50.0.0/16', '10.51.0.0/16']);
  });

  it('synthesizes with this checkout\'s stack: three clusters, the weighted name as it is, and the nearest name over two groups', () => {
    const stack = new VaultDrStack(testApp(), prodProps());
    const synth = synthesizeStack(stack);
    expect(Object.values(synth.resources('aws_autoscaling_group')).map((g) => g.name).sort()).toEqual(['vault-prod-euw1', 'vault-prod-use1', 'vault-prod-usw2']);
    const records = Object.values(synth.resources('aws_route53_record'));
    expect(records.filter((r) => r.name === 'vault-prod.example.com').map((r) => [r.set_identifier, r.weighted_routing_policy.weight]).sort()).toEqual([
      ['vault-prod-use1', 255],
      ['vault-prod-usw2', 0],
    ]);
    expect(records.filter((r) => r.name === 'vault-prod-near.example.com').map((r) => [r.set_identifier, r.latency_routing_policy.region, r.records]).sort()).toEqual([
      ['vault-prod-euw1', 'eu-west-1', ['vault-prod-euw1.example.com']],
      ['vault-prod-use1', 'us-east-1', ['vault-prod.example.com']],
    ]);
  });

  it('gives dr-operations the third cluster (and only dr-operations), by its own name and address, and lets the functions reach it on 8200', () => {
    const synth = synthesizeStack(new VaultDrStack(testApp(), prodProps()));
    const functions = Object.values(synth.resources('aws_lambda_function'));
    const operations = functions.find((f) => f.function_name.startsWith('dr-operations-prod-'))!;
    expect(JSON.parse(operations.environment.variables.VAULT_PERFORMANCE_SECONDARIES)).toEqual([
      { name: 'vault-prod-euw1', address: 'https://vault-prod-euw1.example.com:8200', clusterAddress: 'https://vault-prod-euw1.example.com:8201' },
    ]);
    expect(functions.filter((f) => f.environment.variables.VAULT_PERFORMANCE_SECONDARIES !== undefined)).toEqual([operations]);
    expect(Object.values(synth.resources('vault_policy')).map((p) => p.name)).toContainEqual(expect.stringMatching(/^dr-perf-ops-prod-/));
    // The functions run in prod's DR region (not eu-west-1): the third cluster lets their subnets in by CIDR.
    const euw1Clients = Object.entries(synth.resources('aws_vpc_security_group_ingress_rule'))
      .filter(([id]) => id.startsWith('PerformanceCluster-euw1_SecurityGroups_Nodes_InClient'))
      .map(([, r]) => r.cidr_ipv4);
    expect(euw1Clients).toEqual(expect.arrayContaining([...prod.drFunctionsNetwork.subnetCidrs]));
  });
});

import { PropsValidationError, WeightedVaultEndpoint, type WeightedVaultEndpointProps } from '../../../modules';
import { CLUSTERS, HOSTED_ZONE_ID, VAULT_ADDRESS } from '../support/dr-automation-fixtures';
import { synthesize, type Synthesized, testStack } from '../support/synthesized';

const props = (overrides: Partial<WeightedVaultEndpointProps> = {}): WeightedVaultEndpointProps => ({
  vaultAddress: VAULT_ADDRESS,
  hostedZoneId: HOSTED_ZONE_ID,
  clusters: CLUSTERS,
  ...overrides,
});

describe('WeightedVaultEndpoint', () => {
  let synth: Synthesized;
  const record = (setIdentifier: string) => synth.resource('aws_route53_record', (r) => r.set_identifier === setIdentifier).body;

  beforeAll(() => {
    synth = synthesize((scope) => new WeightedVaultEndpoint(scope, 'Endpoint', props()));
  });

  it('creates the two weighted records of the high-level name, and nothing else', () => {
    expect(Object.keys(synth.resources('aws_route53_record'))).toHaveLength(2);
    expect(Object.keys(synth.doc.resource)).toEqual(['aws_route53_record']);
  });

  it('sends every client to the primary cluster (255) and none to the DR cluster (0)', () => {
    expect(record(CLUSTERS.primary.name).weighted_routing_policy).toEqual({ weight: 255 });
    expect(record(CLUSTERS.dr.name).weighted_routing_policy).toEqual({ weight: 0 });
  });

  it('uses the cluster names as set identifiers and points each record at its cluster, with a low TTL', () => {
    expect(record(CLUSTERS.primary.name)).toMatchObject({
      zone_id: HOSTED_ZONE_ID,
      name: 'vault-test.example.com',
      type: 'CNAME',
      ttl: 10,
      records: ['vault-test-use1.example.com'],
      set_identifier: 'vault-test-use1',
    });
    expect(record(CLUSTERS.dr.name)).toMatchObject({
      zone_id: HOSTED_ZONE_ID,
      name: 'vault-test.example.com',
      type: 'CNAME',
      ttl: 10,
      records: ['vault-test-usw2.example.com'],
      set_identifier: 'vault-test-usw2',
    });
  });

  it('leaves the weights to the DNS switch: an apply after a failover must not send clients back', () => {
    for (const name of [CLUSTERS.primary.name, CLUSTERS.dr.name]) {
      expect(record(name).lifecycle).toEqual({ ignore_changes: ['weighted_routing_policy'] });
    }
  });

  it('keeps its construct ids (they are the records\' Terraform addresses)', () => {
    expect(Object.keys(synth.resources('aws_route53_record')).map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'Endpoint_DrRecord',
      'Endpoint_PrimaryRecord',
    ]);
  });

  it('takes another TTL', () => {
    const custom = synthesize((scope) => new WeightedVaultEndpoint(scope, 'Endpoint', props({ ttlSeconds: 30 })));
    for (const body of Object.values(custom.resources('aws_route53_record'))) expect(body.ttl).toBe(30);
  });

  it('exposes the record name and type', () => {
    const endpoint = new WeightedVaultEndpoint(testStack(), 'Endpoint', props({ vaultAddress: 'https://Vault-Test.Example.com' }));
    expect(endpoint.recordName).toBe('vault-test.example.com');
    expect(endpoint.recordType).toBe('CNAME');
  });

  const cases: Array<[string, Partial<WeightedVaultEndpointProps>, string]> = [
    ['an http address', { vaultAddress: 'http://vault-test.example.com' }, 'vaultAddress'],
    ['a missing hosted zone', { hostedZoneId: '' }, 'hostedZoneId'],
    ['a negative TTL', { ttlSeconds: -1 }, 'ttlSeconds'],
    ['a fractional TTL', { ttlSeconds: 1.5 }, 'ttlSeconds'],
    ['two clusters with one name', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, name: CLUSTERS.primary.name } } }, 'clusters.dr.name'],
    ['a cluster address over http', { clusters: { ...CLUSTERS, dr: { ...CLUSTERS.dr, address: 'http://x.example.com' } } }, 'clusters.dr.address'],
  ];
  it.each(cases)('refuses %s, naming the prop', (_case, overrides, prop) => {
    const attempt = () => new WeightedVaultEndpoint(testStack(), 'Endpoint', props(overrides));
    expect(attempt).toThrow(PropsValidationError);
    expect(attempt).toThrow(`WeightedVaultEndpoint prop "${prop}"`);
  });
});

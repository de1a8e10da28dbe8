import { NearestVaultEndpoint, type NearestVaultEndpointProps, PropsValidationError } from '../../../modules';
import { HOSTED_ZONE_ID } from '../support/dr-automation-fixtures';
import { synthesize, type Synthesized, testStack } from '../support/synthesized';

const NEAREST = 'https://vault-test-near.example.com:8200';
const TARGETS = [
  { name: 'vault-test-use1', region: 'us-east-1', address: 'https://vault-test.example.com:8200' },
  { name: 'vault-test-euw1', region: 'eu-west-1', address: 'https://vault-test-euw1.example.com:8200' },
];

const props = (overrides: Partial<NearestVaultEndpointProps> = {}): NearestVaultEndpointProps => ({
  vaultAddress: NEAREST,
  hostedZoneId: HOSTED_ZONE_ID,
  targets: TARGETS,
  ...overrides,
});

function problemsOf(overrides: Partial<NearestVaultEndpointProps>): string[] {
  try {
    new NearestVaultEndpoint(testStack(), 'Nearest', props(overrides));
  } catch (error) {
    return (error as PropsValidationError).problems.map((p) => `${p.prop}: ${p.problem}`);
  }
  return [];
}

describe('NearestVaultEndpoint', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize((scope) => new NearestVaultEndpoint(scope, 'Nearest', props()));
  });

  it('creates one latency record per serving group, each pointing at that group\'s name, and nothing else', () => {
    expect(Object.keys(synth.doc.resource)).toEqual(['aws_route53_record']);
    const bySetId = Object.values(synth.resources('aws_route53_record')).sort((a, b) => a.set_identifier.localeCompare(b.set_identifier));
    expect(bySetId).toEqual([
      {
        zone_id: HOSTED_ZONE_ID,
        name: 'vault-test-near.example.com',
        type: 'CNAME',
        ttl: 10,
        records: ['vault-test-euw1.example.com'],
        set_identifier: 'vault-test-euw1',
        latency_routing_policy: { region: 'eu-west-1' },
      },
      {
        zone_id: HOSTED_ZONE_ID,
        name: 'vault-test-near.example.com',
        type: 'CNAME',
        ttl: 10,
        records: ['vault-test.example.com'],
        set_identifier: 'vault-test-use1',
        latency_routing_policy: { region: 'us-east-1' },
      },
    ]);
  });

  it('names each record\'s construct after its set identifier (adding a group leaves the others\' addresses alone)', () => {
    expect(Object.keys(synth.resources('aws_route53_record')).map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['Nearest_Record-vault-test-euw1', 'Nearest_Record-vault-test-use1']);
  });

  it('takes another TTL', () => {
    const other = synthesize((scope) => new NearestVaultEndpoint(scope, 'Nearest', props({ ttlSeconds: 30 })));
    expect(Object.values(other.resources('aws_route53_record')).map((r) => r.ttl)).toEqual([30, 30]);
  });

  describe('validation', () => {
    it('refuses fewer than two groups', () => {
      expect(problemsOf({ targets: [TARGETS[0]!] })).toEqual([expect.stringMatching(/^targets: must list at least two serving groups/)]);
    });

    it('refuses two groups in one region, with one name, or at one address', () => {
      expect(problemsOf({ targets: [TARGETS[0]!, { ...TARGETS[1]!, region: 'us-east-1' }] })).toEqual([
        'targets[1].region: "us-east-1" is also targets[0]\'s: one record per region, or the clients of that region would be split between two groups at random',
      ]);
      expect(problemsOf({ targets: [TARGETS[0]!, { ...TARGETS[1]!, name: 'vault-test-use1' }] })).toEqual([
        'targets[1].name: "vault-test-use1" is also targets[0]\'s: each record needs a set identifier of its own',
      ]);
      expect(problemsOf({ targets: [TARGETS[0]!, { ...TARGETS[1]!, address: 'https://vault-test.example.com:8200' }] })).toEqual([
        'targets[1].address: "vault-test.example.com" is also targets[0]\'s: each record points at another group',
      ]);
    });

    it('refuses a group that is the nearest name itself, a TTL over 60 s and a bad address', () => {
      expect(problemsOf({ targets: [TARGETS[0]!, { ...TARGETS[1]!, address: NEAREST }] })).toEqual([
        'targets[1].address: is the nearest name itself (vault-test-near.example.com): point at the group\'s own name',
      ]);
      expect(problemsOf({ ttlSeconds: 300 })).toEqual([expect.stringMatching(/^ttlSeconds: /)]);
      expect(problemsOf({ vaultAddress: 'http://vault-test-near.example.com' })).toEqual([expect.stringMatching(/^vaultAddress: /)]);
      expect(problemsOf({ targets: [TARGETS[0]!, { ...TARGETS[1]!, region: 'eu-nowhere-9' }] })).toEqual([expect.stringMatching(/^targets\[1\]\.region: must be an AWS region/)]);
    });

    it('refuses a second construct for the same name in one stack', () => {
      const stack = testStack();
      new NearestVaultEndpoint(stack, 'One', props());
      expect(() => new NearestVaultEndpoint(stack, 'Two', props())).toThrow(/latency records "Z[^"]* vault-test-near\.example\.com", which test\/One in this stack already has/);
    });
  });
});
